/*
 * Replace the message of the day: copy /newmotd over /motd, then open
 * /motd again and check that it reads back as /newmotd. If /motd
 * already holds /newmotd's text (a second boot on the same disk), say
 * so and write nothing: the test boots twice to see the change survive.
 */
#include <inc/lib.h>

#define MAXTEXT	(4 * PGSIZE)

static char motd[MAXTEXT], newmotd[MAXTEXT];

/* Read all of path into buf; returns its size. */
static int
read_file(const char *path, char *buf)
{
	int fd, n;

	if ((fd = open(path, O_RDONLY)) < 0)
		panic("writemotd: open %s: %e", path, fd);
	if ((n = readn(fd, buf, MAXTEXT)) < 0)
		panic("writemotd: read %s: %e", path, n);
	if (n == MAXTEXT)
		panic("writemotd: %s is larger than %d bytes", path, MAXTEXT);
	close(fd);
	return n;
}

/* Print a file's text after a title line, ending with a newline. */
static void
show(const char *title, const char *text, int n)
{
	cprintf("writemotd: %s\n", title);
	sys_cputs(text, n);
	if (n > 0 && text[n - 1] != '\n')
		cprintf("\n");
}

void
umain(int argc, char **argv)
{
	struct Stat st;
	int fd, n, newn, r;

	n = read_file("/motd", motd);
	newn = read_file("/newmotd", newmotd);
	show("old /motd:", motd, n);
	if (n == newn && memcmp(motd, newmotd, n) == 0) {
		cprintf("writemotd: /motd already holds the text of /newmotd\n");
		return;
	}

	if ((fd = open("/motd", O_WRONLY | O_TRUNC)) < 0)
		panic("writemotd: open /motd for writing: %e", fd);
	if ((r = fstat(fd, &st)) < 0 || st.st_size != 0)
		panic("writemotd: O_TRUNC left /motd with size %ld (%e)", (long) st.st_size, r);
	if ((r = write(fd, newmotd, newn)) != newn)
		panic("writemotd: write /motd: got %d (%e), expected %d", r, r, newn);
	if ((r = close(fd)) < 0)
		panic("writemotd: close /motd: %e", r);
	if ((r = sync()) < 0)
		panic("writemotd: sync: %e", r);

	n = read_file("/motd", motd);
	show("new /motd:", motd, n);
	if (n != newn || memcmp(motd, newmotd, n) != 0)
		panic("writemotd: /motd reads back %d bytes that are not /newmotd's %d", n, newn);
	cprintf("writemotd: /motd now holds the text of /newmotd\n");
}
