/*
 * debugport.c: the debug port at GUEST_DEBUG_PORT. The guest writes bytes
 * with OUT (any size: each byte of the access counts); the device prints
 * them a line at a time (linebuf.h); what is left when the guest ends is
 * printed then.
 * Reading the port gives 0xE9, as Bochs's port_e9_hack does.
 */
#include <devices/debugport.h>
#include <devices/linebuf.h>
#include <devices/guests/guestabi.h>

static struct debugport {
	struct dev dev;
	struct linebuf out;
} port;

static enum dev_status
debugport_io(struct dev *d, uint16_t p, bool write, uint8_t *data, unsigned size)
{
	if (!write) {
		dev_data_put(data, size, GUEST_DEBUG_PORT);
		return DEV_OK;
	}
	for (unsigned i = 0; i < size; i++)
		linebuf_put(&port.out, data[i]);
	return DEV_OK;
}

static enum dev_status
debugport_finish(struct dev *d)
{
	linebuf_flush(&port.out);
	return DEV_OK;
}

enum dev_status
debugport_register(struct bus *b)
{
	port = (struct debugport) {
		.dev = {
			.name = "debugport",
			.port = GUEST_DEBUG_PORT,
			.nports = 1,
			.io = debugport_io,
			.finish = debugport_finish,
		},
	};
	return bus_add(b, &port.dev);
}
