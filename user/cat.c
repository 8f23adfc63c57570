/* cat [file...]: copy the files (or standard input) to standard output. */
#include <inc/lib.h>

static char buf[8192];

static void
cat(int fd, const char *name)
{
	ssize_t n, r;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if ((r = write(1, buf, n)) != n) {
			/* The reader has gone (a closed pipe): nothing more to do. */
			cprintf("cat: error writing %s: %e\n", name, r < 0 ? (int) r : -E_EOF);
			exit();
		}
	if (n < 0)
		cprintf("cat: error reading %s: %e\n", name, (int) n);
}

void
umain(int argc, char **argv)
{
	int fd, i;

	binaryname = "cat";
	if (argc == 1)
		cat(0, "<stdin>");
	for (i = 1; i < argc; i++) {
		if ((fd = open(argv[i], O_RDONLY)) < 0) {
			cprintf("cat: can't open %s: %e\n", argv[i], fd);
			continue;
		}
		cat(fd, argv[i]);
		close(fd);
	}
}
