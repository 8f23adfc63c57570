/*
 * simvirtio.c: the SIMVIRTIO device, a tiny virtio-like MMIO device (its
 * config space is in simvirtio.h). One instance per VM.
 *
 * The handshake, driven by the guest's driver (devices/guests/simvirtio.S):
 *   1. it sets up TX (QUEUE_SEL, MAX_QUEUE_LEN, RING, LEN and, for polling
 *      mode, INDEX) and pushes 'R': the device resets to DEVICE_RESET;
 *   2. it writes DRIVER_ACK to DRIVER_STATUS and pushes 'C': the device
 *      adds an entry for itself to the device table at GUEST_DEVTABLE
 *      (guestabi.h) and goes to DEVICE_CONFIG;
 *   3. it writes DRIVER_DRIVER, then DRIVER_OK: the device goes to
 *      DEVICE_READY.
 * The device prints each status it enters. Once READY, TX carries data,
 * which the device prints a line at a time ("Ana are mere").
 *
 * Notification mode: the device drains TX when the driver writes TAIL,
 * inside that exit. Polling mode: head and tail live in guest RAM and the
 * device drains TX in poll(), which the host calls between exits and from
 * a thread of its own; the driver's pushes cause no exits. When the guest
 * ends, the device reports the payload's exits per byte: the exits from
 * the last config access of the handshake to the last data byte.
 *
 * Where the assignment's texts disagree, and the choices it leaves open,
 * are listed in simvirtio.h, beside the config-space table.
 */
#include <devices/simvirtio.h>
#include <devices/linebuf.h>
#include <devices/guests/guestabi.h>

struct svq {
	uint32_t ring, len, index;	/* as the driver set them */
	uint32_t head, tail;		/* the indices, in notification mode */
	uint32_t max_len;
};

static struct simvirtio {
	struct dev dev;
	uint8_t device_status, driver_status, queue_sel;
	struct svq q[SV_NQUEUES];
	bool used;			/* the guest touched the config space */
	enum dev_status error;		/* a protocol error found by poll() */
	struct linebuf data;		/* TX data, printed by lines */
	uint64_t bytes;			/* data bytes received */
	uint64_t mark_exits, mark_ns;	/* at the last config access */
	uint64_t last_exits, last_ns;	/* at the last data byte */
} sv;

static enum dev_status
guest_error(const char *why)
{
	devhost_printf("simvirtio: %s\n", why);
	return DEV_GUEST_ERROR;
}

static const char *
device_status_name(uint8_t s)
{
	switch (s) {
	case DEVICE_RESET:	return "DEVICE_RESET";
	case DEVICE_CONFIG:	return "DEVICE_CONFIG";
	case DEVICE_READY:	return "DEVICE_READY";
	default:		return "?";
	}
}

static void
enter(uint8_t status)
{
	sv.device_status = status;
	devhost_printf("simvirtio: device status %u (%s)\n", status,
		       device_status_name(status));
}

/* ---------------------------------------------------------------- queues */

/* Index WHICH (SVQ_INDEX_HEAD or _TAIL): in guest RAM when polling. */
static bool
q_load(struct svq *q, unsigned which, uint32_t *v)
{
	if (q->index)
		return gmem_read32(q->index + which, v);
	*v = which == SVQ_INDEX_HEAD ? q->head : q->tail;
	return true;
}

static bool
q_store(struct svq *q, unsigned which, uint32_t v)
{
	if (q->index)
		return gmem_write32(q->index + which, v);
	if (which == SVQ_INDEX_HEAD)
		q->head = v;
	else
		q->tail = v;
	return true;
}

/* ---------------------------------------------------------------- TX bytes */

static void
data_byte(uint8_t c)
{
	sv.bytes++;
	sv.last_exits = devhost_exits();
	sv.last_ns = devhost_time_ns();
	linebuf_put(&sv.data, c);
}

static void
reset(void)
{
	sv.driver_status = DRIVER_ACK;
	enter(DEVICE_RESET);
}

/* Our entry in the device table: the one with our base, else a new one. */
static enum dev_status
add_to_devtable(void)
{
	volatile struct guest_devtable *t = devhost_gpa(GUEST_DEVTABLE, sizeof(*t));
	uint32_t i;

	if (!t)
		return guest_error("the device table is outside guest RAM");
	for (i = 0; i < t->count && i < DEVTABLE_MAX; i++)
		if (t->entries[i].base == SIMVIRTIO_BASE)
			break;
	if (i == DEVTABLE_MAX)
		return guest_error("the device table is full");
	t->entries[i].magic = SIMVIRTIO_MAGIC;
	t->entries[i].base = SIMVIRTIO_BASE;
	if (i == t->count)
		t->count = i + 1;
	devhost_printf("simvirtio: device table entry %u at 0x%x\n", i,
		       (unsigned) (GUEST_DEVTABLE + DEVTABLE_ENTRIES + i * DEVENTRY_SIZE));
	return DEV_OK;
}

static enum dev_status
config(void)
{
	enum dev_status s;

	if (sv.device_status != DEVICE_RESET || sv.driver_status != DRIVER_ACK)
		return guest_error("'C' before a reset and DRIVER_ACK");
	if ((s = add_to_devtable()) != DEV_OK)
		return s;
	enter(DEVICE_CONFIG);
	return DEV_OK;
}

static enum dev_status
consume(uint8_t c)
{
	if (sv.device_status == DEVICE_READY) {
		data_byte(c);
		return DEV_OK;
	}
	if (c == SV_CMD_RESET) {
		reset();
		return DEV_OK;
	}
	if (c == SV_CMD_CONFIG)
		return config();
	return guest_error("unknown command on TX before DEVICE_READY");
}

/* Consume TX from head to tail; called in the TAIL write's exit or a poll. */
static enum dev_status
drain_tx(void)
{
	struct svq *q = &sv.q[SV_QUEUE_TX];
	volatile uint8_t *ring;
	uint32_t head, tail;
	enum dev_status s;

	if (!q_load(q, SVQ_INDEX_HEAD, &head) || !q_load(q, SVQ_INDEX_TAIL, &tail))
		return guest_error("TX indices outside guest RAM");
	if (head == tail)
		return DEV_OK;
	if (tail - head > q->len)
		return guest_error("TX tail more than a ring ahead of head");
	if (!(ring = devhost_gpa(q->ring, q->len)))
		return guest_error("TX ring outside guest RAM");
	for (; head != tail; head++)
		if ((s = consume(ring[head % q->len])) != DEV_OK)
			return s;
	if (!q_store(q, SVQ_INDEX_HEAD, head))
		return guest_error("TX indices outside guest RAM");
	return DEV_OK;
}

/* ---------------------------------------------------------------- registers */

static bool
is_queue_reg(uint64_t off)
{
	return off >= SV_Q0 && off < SV_Q1 + SV_QSIZE;
}

static unsigned
reg_size(uint64_t off)
{
	if (off == SV_MAGIC)
		return 4;
	if (off >= SV_MAX_QUEUE_LEN && off <= SV_QUEUE_SEL)
		return 1;
	if (is_queue_reg(off) && (off - SV_Q0) % SV_QSIZE <= SVQ_TAIL &&
	    (off - SV_Q0) % 4 == 0)
		return 4;
	return 0;
}

static enum dev_status
write_driver_status(uint32_t v)
{
	if (v != DRIVER_ACK && v != DRIVER_DRIVER && v != DRIVER_OK)
		return guest_error("driver status other than ACK, DRIVER or OK");
	if (v == DRIVER_OK && sv.device_status != DEVICE_CONFIG)
		return guest_error("DRIVER_OK before DEVICE_CONFIG");
	sv.driver_status = v;
	if (v == DRIVER_OK)
		enter(DEVICE_READY);
	return DEV_OK;
}

static enum dev_status
read_config(uint64_t off, uint8_t *data, unsigned size)
{
	uint32_t v;

	switch (off) {
	case SV_MAGIC:		v = SIMVIRTIO_MAGIC; break;
	case SV_MAX_QUEUE_LEN:	v = sv.q[sv.queue_sel].max_len; break;
	case SV_DEVICE_STATUS:	v = sv.device_status; break;
	case SV_DRIVER_STATUS:	v = sv.driver_status; break;
	default:		v = sv.queue_sel; break;
	}
	dev_data_put(data, size, v);
	return DEV_OK;
}

static enum dev_status
write_config(uint64_t off, uint32_t v)
{
	if (off == SV_DRIVER_STATUS)
		return write_driver_status(v);
	if (off != SV_QUEUE_SEL)
		return guest_error("write to a read-only register");
	if (v >= SV_NQUEUES)
		return guest_error("QUEUE_SEL names no queue");
	sv.queue_sel = v;
	return DEV_OK;
}

static enum dev_status
read_queue(struct svq *q, unsigned reg, uint8_t *data)
{
	uint32_t v;

	switch (reg) {
	case SVQ_RING:	v = q->ring; break;
	case SVQ_LEN:	v = q->len; break;
	case SVQ_INDEX:	v = q->index; break;
	default:
		if (!q_load(q, reg == SVQ_HEAD ? SVQ_INDEX_HEAD : SVQ_INDEX_TAIL, &v))
			return guest_error("queue indices outside guest RAM");
	}
	dev_data_put(data, 4, v);
	return DEV_OK;
}

/* The driver may write the index it owns: TX's tail, RX's head. */
static enum dev_status
write_index(struct svq *q, unsigned reg, uint32_t v)
{
	bool tx = q == &sv.q[SV_QUEUE_TX];

	if (reg != (tx ? SVQ_TAIL : SVQ_HEAD))
		return guest_error("write to the device's own queue index");
	if (!q_store(q, tx ? SVQ_INDEX_TAIL : SVQ_INDEX_HEAD, v))
		return guest_error("queue indices outside guest RAM");
	return tx ? drain_tx() : DEV_OK;
}

static enum dev_status
write_queue(struct svq *q, unsigned reg, uint32_t v)
{
	switch (reg) {
	case SVQ_RING:
		q->ring = v;
		return DEV_OK;
	case SVQ_LEN:
		if (v < 1 || v > q->max_len)
			return guest_error("queue length out of range");
		q->len = v;
		return DEV_OK;
	case SVQ_INDEX:
		if (v && !devhost_gpa(v, 2 * sizeof(uint32_t)))
			return guest_error("queue indices outside guest RAM");
		q->index = v;
		return DEV_OK;
	default:
		return write_index(q, reg, v);
	}
}

/* The end of the handshake, as far as the payload's figures go. */
static void
mark_config_access(void)
{
	sv.mark_exits = devhost_exits();
	sv.mark_ns = devhost_time_ns();
}

static enum dev_status
queue_access(uint64_t off, bool write, uint8_t *data)
{
	struct svq *q = &sv.q[(off - SV_Q0) / SV_QSIZE];
	unsigned reg = (off - SV_Q0) % SV_QSIZE;

	if (reg != SVQ_HEAD && reg != SVQ_TAIL)
		mark_config_access();
	if (write)
		return write_queue(q, reg, dev_data_get(data, 4));
	return read_queue(q, reg, data);
}

static enum dev_status
simvirtio_mmio(struct dev *d, uint64_t off, bool write, uint8_t *data, unsigned size)
{
	sv.used = true;
	if (size != reg_size(off)) {
		devhost_printf("simvirtio: no %u-byte register at offset 0x%x\n",
			       size, (unsigned) off);
		return DEV_BAD_ACCESS;
	}
	if (is_queue_reg(off))
		return queue_access(off, write, data);
	mark_config_access();
	if (write)
		return write_config(off, dev_data_get(data, size));
	return read_config(off, data, size);
}

/* ---------------------------------------------------------------- host calls */

static enum dev_status
simvirtio_poll(struct dev *d, bool *again)
{
	enum dev_status s;

	*again = sv.q[SV_QUEUE_TX].index != 0 && sv.error == DEV_OK;
	if (!*again)
		return DEV_OK;
	if ((s = drain_tx()) != DEV_OK) {
		sv.error = s;
		*again = false;
	}
	return s;
}

/* The payload: exits per byte in hundredths, and the time it took. */
static void
report_payload(void)
{
	uint64_t exits = sv.last_exits - sv.mark_exits;
	uint64_t ns = sv.last_ns - sv.mark_ns;
	uint64_t per100 = sv.bytes ? exits * 100 / sv.bytes : 0;

	devhost_printf("simvirtio: payload %lu bytes, %lu exits, %lu.%02lu exits per byte (%s mode)\n",
		       sv.bytes, exits, per100 / 100, per100 % 100,
		       sv.q[SV_QUEUE_TX].index ? "polling" : "notification");
	devhost_printf("simvirtio: payload took %lu us, %lu ns per byte\n",
		       ns / 1000, sv.bytes ? ns / sv.bytes : 0);
}

static enum dev_status
simvirtio_finish(struct dev *d)
{
	if (!sv.used)
		return DEV_OK;
	if (sv.error != DEV_OK)
		return sv.error;
	if (sv.device_status != DEVICE_READY) {
		devhost_printf("simvirtio: the guest ended in %s\n",
			       device_status_name(sv.device_status));
		return DEV_GUEST_ERROR;
	}
	linebuf_flush(&sv.data);
	report_payload();
	return DEV_OK;
}

enum dev_status
simvirtio_register(struct bus *b)
{
	sv = (struct simvirtio) {
		.dev = {
			.name = "simvirtio",
			.mmio_base = SIMVIRTIO_BASE,
			.mmio_len = SIMVIRTIO_SIZE,
			.mmio = simvirtio_mmio,
			.poll = simvirtio_poll,
			.finish = simvirtio_finish,
		},
		.device_status = DEVICE_RESET,
		.driver_status = DRIVER_ACK,
		.q = {
			[SV_QUEUE_TX] = { .max_len = SV_TX_MAX_LEN },
			[SV_QUEUE_RX] = { .max_len = SV_RX_MAX_LEN },
		},
	};
	return bus_add(b, &sv.dev);
}
