/*
 * num [file...]: copy the files (or standard input) to standard output
 * with each line preceded by its number ("%5d "), counting on across files.
 */
#include <inc/lib.h>

static char buf[4096];
static int line;
static bool at_line_start = true;

/* Write buf[0..n), numbering each line that starts in it. */
static void
number(const char *p, ssize_t n)
{
	const char *nl;
	ssize_t len;

	while (n > 0) {
		if (at_line_start)
			printf("%5d ", ++line);
		nl = memfind(p, '\n', n);
		len = (nl < p + n) ? nl - p + 1 : n;
		write(1, p, len);
		at_line_start = (nl < p + n);
		p += len;
		n -= len;
	}
}

static void
num(int fd, const char *name)
{
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		number(buf, n);
	if (n < 0)
		cprintf("num: error reading %s: %e\n", name, (int) n);
}

void
umain(int argc, char **argv)
{
	int fd, i;

	binaryname = "num";
	if (argc == 1)
		num(0, "<stdin>");
	for (i = 1; i < argc; i++) {
		if ((fd = open(argv[i], O_RDONLY)) < 0) {
			cprintf("num: can't open %s: %e\n", argv[i], fd);
			continue;
		}
		num(fd, argv[i]);
		close(fd);
	}
}
