/*
 * linebuf.c: a guest's bytes, printed a line at a time (see linebuf.h).
 */
#include <devices/linebuf.h>

static void
print_line(struct linebuf *lb)
{
	lb->text[lb->len] = '\0';
	devhost_printf("%s\n", lb->text);
	lb->len = 0;
}

void
linebuf_put(struct linebuf *lb, uint8_t c)
{
	if (c == '\n') {
		print_line(lb);
		return;
	}
	lb->text[lb->len++] = c;
	if (lb->len == LINEBUF_MAX)
		print_line(lb);
}

void
linebuf_flush(struct linebuf *lb)
{
	if (lb->len)
		print_line(lb);
}
