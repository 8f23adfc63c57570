/*
 * bus.c: the table of a VM's devices, and dispatch of port I/O and MMIO
 * exits to the device that claims the address (see dev.h). Portable: it
 * runs inside whichever host (kvm/ on Linux, vmm -r on JOS) owns the bus,
 * under that host's promise that bus calls never overlap.
 */
#include <devices/dev.h>

static const char *const status_names[] = {
	[DEV_OK] = "ok",
	[DEV_NO_DEVICE] = "no device there",
	[DEV_BAD_ACCESS] = "bad access size or offset",
	[DEV_GUEST_ERROR] = "guest broke the device's protocol",
	[DEV_CONFLICT] = "device range taken or bus full",
};

const char *
dev_status_name(enum dev_status s)
{
	if ((unsigned) s < sizeof(status_names) / sizeof(status_names[0]))
		return status_names[s];
	return "unknown status";
}

void
bus_init(struct bus *b)
{
	b->ndevs = 0;
}

static bool
ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return alen && blen && a < b + blen && b < a + alen;
}

static bool
dev_conflicts(const struct dev *d, const struct dev *e)
{
	return ranges_overlap(d->port, d->nports, e->port, e->nports) ||
	       ranges_overlap(d->mmio_base, d->mmio_len, e->mmio_base, e->mmio_len);
}

enum dev_status
bus_add(struct bus *b, struct dev *d)
{
	if (b->ndevs == BUS_MAX_DEVS)
		return DEV_CONFLICT;
	for (int i = 0; i < b->ndevs; i++)
		if (dev_conflicts(d, b->devs[i]))
			return DEV_CONFLICT;
	b->devs[b->ndevs++] = d;
	return DEV_OK;
}

enum dev_status
bus_io(struct bus *b, uint16_t port, bool write, uint8_t *data, unsigned size)
{
	for (int i = 0; i < b->ndevs; i++) {
		struct dev *d = b->devs[i];

		if (d->io && port >= d->port && port - d->port < d->nports)
			return d->io(d, port, write, data, size);
	}
	return DEV_NO_DEVICE;
}

enum dev_status
bus_mmio(struct bus *b, uint64_t gpa, bool write, uint8_t *data, unsigned size)
{
	for (int i = 0; i < b->ndevs; i++) {
		struct dev *d = b->devs[i];

		if (d->mmio && gpa >= d->mmio_base && gpa - d->mmio_base < d->mmio_len) {
			if (gpa - d->mmio_base + size > d->mmio_len)
				return DEV_BAD_ACCESS;
			return d->mmio(d, gpa - d->mmio_base, write, data, size);
		}
	}
	return DEV_NO_DEVICE;
}

/* *again: some device wants to be polled again. */
enum dev_status
bus_poll(struct bus *b, bool *again)
{
	*again = false;
	for (int i = 0; i < b->ndevs; i++) {
		struct dev *d = b->devs[i];
		bool more = false;
		enum dev_status s = d->poll ? d->poll(d, &more) : DEV_OK;

		if (s != DEV_OK)
			return s;
		*again = *again || more;
	}
	return DEV_OK;
}

/* Every device reports; the first failure is the bus's verdict. */
enum dev_status
bus_finish(struct bus *b)
{
	enum dev_status verdict = DEV_OK;

	for (int i = 0; i < b->ndevs; i++) {
		struct dev *d = b->devs[i];
		enum dev_status s = d->finish ? d->finish(d) : DEV_OK;

		if (verdict == DEV_OK)
			verdict = s;
	}
	return verdict;
}
