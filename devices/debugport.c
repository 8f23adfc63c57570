/*
 * debugport.c: the debug port at GUEST_DEBUG_PORT. The guest writes bytes
 * with OUT (any size: each byte of the access counts); the device prints
 * them a line at a time, so that the guest's lines and the VMM's own
 * messages never interleave mid-line. A line longer than the buffer is
 * printed in pieces; what is left when the guest ends is printed then.
 * Reading the port gives 0xE9, as Bochs's port_e9_hack does.
 */
#include <devices/debugport.h>
#include <devices/guests/guestabi.h>

#define LINE_MAX	128

static struct debugport {
	struct dev dev;
	char line[LINE_MAX + 1];
	unsigned len;
} port;

static void
flush_line(void)
{
	port.line[port.len] = '\0';
	devhost_printf("%s\n", port.line);
	port.len = 0;
}

static void
put_byte(uint8_t c)
{
	if (c == '\n') {
		flush_line();
		return;
	}
	port.line[port.len++] = c;
	if (port.len == LINE_MAX)
		flush_line();
}

static enum dev_status
debugport_io(struct dev *d, uint16_t p, bool write, uint8_t *data, unsigned size)
{
	if (!write) {
		dev_data_put(data, size, GUEST_DEBUG_PORT);
		return DEV_OK;
	}
	for (unsigned i = 0; i < size; i++)
		put_byte(data[i]);
	return DEV_OK;
}

static enum dev_status
debugport_finish(struct dev *d)
{
	if (port.len)
		flush_line();
	return DEV_OK;
}

enum dev_status
debugport_register(struct bus *b)
{
	port.dev = (struct dev) {
		.name = "debugport",
		.port = GUEST_DEBUG_PORT,
		.nports = 1,
		.io = debugport_io,
		.finish = debugport_finish,
	};
	port.len = 0;
	return bus_add(b, &port.dev);
}
