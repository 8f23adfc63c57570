/*
 * Run the shell on a script and compare what it prints with the
 * expected output: /sh /testshell.sh runs with its standard output
 * going into a pipe, we read the pipe to its end (when the shell and
 * everything it started, background jobs included, are gone) and
 * compare the bytes with /testshell.key.
 */
#include <inc/lib.h>

#define MAXOUT	(4 * PGSIZE)

static char out[MAXOUT], key[MAXOUT];

/* Read fd to its end into buf; returns the byte count. */
static int
read_all(int fd, char *buf, const char *what)
{
	int n = readn(fd, buf, MAXOUT);

	if (n < 0)
		panic("testshell: read %s: %e", what, n);
	if (n == MAXOUT)
		panic("testshell: %s is longer than %d bytes", what, MAXOUT);
	return n;
}

/* Start the shell with its output going into pipe p; returns at once. */
static void
start_shell(int p[2])
{
	envid_t kid, sh;
	int r;

	if ((kid = fork()) < 0)
		panic("testshell: fork: %e", kid);
	if (kid != 0)
		return;
	/* We start with no descriptors, so the pipe may already be fds 0 and 1. */
	if (p[1] != 1) {
		if ((r = dup(p[1], 1)) < 0)
			panic("testshell: dup: %e", r);
		close(p[1]);
	}
	if (p[0] != 1)
		close(p[0]);
	if ((sh = spawnl("/sh", "sh", "/testshell.sh", NULL)) < 0)
		panic("testshell: spawn /sh: %e", sh);
	exit();
}

/* The line of text that starts at byte off, without its newline. */
static void
print_line(const char *label, int lineno, const char *text, int n, int off)
{
	int end = off;

	while (end < n && text[end] != '\n')
		end++;
	cprintf("%s line %d: '", label, lineno);
	sys_cputs(text + off, end - off);
	cprintf("'%s\n", off >= n ? " (end of output)" : "");
}

/* Report the first line where the output and the key differ. */
static void
report_difference(int nout, int nkey)
{
	int i, line = 1, start = 0;

	for (i = 0; i < nout && i < nkey && out[i] == key[i]; i++)
		if (out[i] == '\n') {
			line++;
			start = i + 1;
		}
	cprintf("shell produced incorrect output.\n");
	print_line("expected", line, key, nkey, start);
	print_line("got     ", line, out, nout, start);
	cprintf("testshell: the whole output was:\n");
	sys_cputs(out, nout);
	cprintf("testshell: (end of output)\n");
}

void
umain(int argc, char **argv)
{
	int p[2], kfd, nout, nkey, r;

	if ((r = pipe(p)) < 0)
		panic("testshell: pipe: %e", r);
	start_shell(p);
	close(p[1]);
	nout = read_all(p[0], out, "the shell's output");
	close(p[0]);

	if ((kfd = open("/testshell.key", O_RDONLY)) < 0)
		panic("testshell: open /testshell.key: %e", kfd);
	nkey = read_all(kfd, key, "/testshell.key");
	close(kfd);

	if (nout == nkey && memcmp(out, key, nout) == 0)
		cprintf("shell ran correctly\n");
	else
		report_difference(nout, nkey);
}
