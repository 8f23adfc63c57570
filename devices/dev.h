/*
 * dev.h: the shape every device model has, and the bus a host dispatches
 * exits through.
 *
 * A device is a struct dev: a name, the I/O ports and/or the MMIO range it
 * claims, and handlers. Each device file (debugport.c, simvirtio.c)
 * defines one instance and a NAME_register(bus, ...) function. A host
 * makes a bus, registers the devices, and then, for each exit:
 *
 *   port I/O  ->  bus_io(bus, port, write, data, size)
 *   MMIO      ->  bus_mmio(bus, gpa, write, data, size)
 *
 * data holds the bytes of the access, little-endian; on a read the device
 * fills it. Between exits, and from another thread if it has one, the
 * host calls bus_poll(bus, &again) as often as it can while again comes
 * back true (a device whose queues live in guest RAM has work that only
 * polling finds); a status other than DEV_OK there ends the guest too.
 * When the guest has ended, bus_finish(bus) lets each device report and
 * say whether the guest used it correctly.
 *
 * Every handler returns a dev_status; anything but DEV_OK ends the guest
 * (the host prints the exit), never the host. A device prints why.
 */
#ifndef DEVICES_DEV_H
#define DEVICES_DEV_H

#include <devices/devhost.h>

enum dev_status {
	DEV_OK,
	DEV_NO_DEVICE,		/* no device claims the port or address */
	DEV_BAD_ACCESS,		/* a size or offset the device does not have */
	DEV_GUEST_ERROR,	/* the guest broke the device's protocol */
	DEV_CONFLICT,		/* registering: range taken, or the bus is full */
};

struct dev {
	const char *name;
	uint16_t port, nports;		/* I/O ports [port, port + nports) */
	uint64_t mmio_base, mmio_len;	/* MMIO [base, base + len) */
	enum dev_status (*io)(struct dev *d, uint16_t port, bool write,
			      uint8_t *data, unsigned size);
	enum dev_status (*mmio)(struct dev *d, uint64_t offset, bool write,
				uint8_t *data, unsigned size);
	enum dev_status (*poll)(struct dev *d, bool *again);
	enum dev_status (*finish)(struct dev *d);
};

#define BUS_MAX_DEVS	12

struct bus {
	struct dev *devs[BUS_MAX_DEVS];
	int ndevs;
};

void bus_init(struct bus *b);
enum dev_status bus_add(struct bus *b, struct dev *d);
enum dev_status bus_io(struct bus *b, uint16_t port, bool write,
		       uint8_t *data, unsigned size);
enum dev_status bus_mmio(struct bus *b, uint64_t gpa, bool write,
			 uint8_t *data, unsigned size);
enum dev_status bus_poll(struct bus *b, bool *again);
enum dev_status bus_finish(struct bus *b);
const char *dev_status_name(enum dev_status s);

/* Little-endian access data <-> integers, for the handlers. */
static inline uint32_t
dev_data_get(const uint8_t *data, unsigned size)
{
	uint32_t v = 0;

	while (size--)
		v = (v << 8) | data[size];
	return v;
}

static inline void
dev_data_put(uint8_t *data, unsigned size, uint32_t v)
{
	for (unsigned i = 0; i < size; i++, v >>= 8)
		data[i] = (uint8_t) v;
}

/* 32-bit words of guest RAM; false if outside it. */
static inline bool
gmem_read32(uint64_t gpa, uint32_t *v)
{
	volatile uint32_t *p = devhost_gpa(gpa, sizeof(*p));

	if (p)
		*v = *p;
	return p != NULL;
}

static inline bool
gmem_write32(uint64_t gpa, uint32_t v)
{
	volatile uint32_t *p = devhost_gpa(gpa, sizeof(*p));

	if (p)
		*p = v;
	return p != NULL;
}

#endif /* !DEVICES_DEV_H */
