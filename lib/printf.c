/*
 * cprintf for user programs: characters collect in a buffer that goes to
 * the console with one sys_cputs per line (or per full buffer), so
 * output from concurrent environments interleaves by line, not by byte.
 */
#include <inc/lib.h>

#define PRINTBUF_SIZE	256

struct printbuf {
	int idx;
	int cnt;
	char buf[PRINTBUF_SIZE];
};

static void
putch(int ch, void *p)
{
	struct printbuf *b = p;

	b->buf[b->idx++] = ch;
	b->cnt++;
	if (b->idx == PRINTBUF_SIZE || ch == '\n') {
		sys_cputs(b->buf, b->idx);
		b->idx = 0;
	}
}

int
vcprintf(const char *fmt, va_list ap)
{
	struct printbuf b = { 0, 0 };

	vprintfmt(putch, &b, fmt, ap);
	if (b.idx)
		sys_cputs(b.buf, b.idx);
	return b.cnt;
}

int
cprintf(const char *fmt, ...)
{
	va_list ap;
	int cnt;

	va_start(ap, fmt);
	cnt = vcprintf(fmt, ap);
	va_end(ap);
	return cnt;
}
