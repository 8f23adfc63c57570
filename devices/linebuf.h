/*
 * linebuf.h: bytes from a guest, printed on the VMM's console a whole
 * line at a time, so that a guest's output and the VMM's messages never
 * interleave mid-line. A line longer than the buffer is printed in pieces.
 * Used by the devices that print what a guest sends (debugport, simvirtio).
 */
#ifndef DEVICES_LINEBUF_H
#define DEVICES_LINEBUF_H

#include <devices/devhost.h>

#define LINEBUF_MAX	128

struct linebuf {
	char text[LINEBUF_MAX + 1];
	unsigned len;
};

void linebuf_put(struct linebuf *lb, uint8_t c);
void linebuf_flush(struct linebuf *lb);		/* print what is left, if any */

#endif /* !DEVICES_LINEBUF_H */
