/* printf and fprintf: formatted output to a file descriptor, buffered per call. */
#include <inc/lib.h>

#define FPRINTBUF_SIZE	256

struct printbuf {
	int fd;
	int idx;		/* bytes in buf */
	ssize_t result;		/* bytes written, or the first error */
	int error;
	char buf[FPRINTBUF_SIZE];
};

static void
flush(struct printbuf *b)
{
	ssize_t r;

	if (b->idx > 0 && b->error == 0) {
		r = write(b->fd, b->buf, b->idx);
		if (r < 0)
			b->error = r;
		else
			b->result += r;
	}
	b->idx = 0;
}

static void
putch(int ch, void *thunk)
{
	struct printbuf *b = thunk;

	b->buf[b->idx++] = ch;
	if (b->idx == FPRINTBUF_SIZE)
		flush(b);
}

int
vfprintf(int fd, const char *fmt, va_list ap)
{
	struct printbuf b = { .fd = fd };

	vprintfmt(putch, &b, fmt, ap);
	flush(&b);
	return b.error ? b.error : b.result;
}

int
fprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	int cnt;

	va_start(ap, fmt);
	cnt = vfprintf(fd, fmt, ap);
	va_end(ap);
	return cnt;
}

int
printf(const char *fmt, ...)
{
	va_list ap;
	int cnt;

	va_start(ap, fmt);
	cnt = vfprintf(1, fmt, ap);
	va_end(ap);
	return cnt;
}
