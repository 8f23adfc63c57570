/*
 * A forked child shares its parent's open files, offset included. The
 * parent reads /motd once to know its contents and rewinds; the child
 * reads the first half; then the parent reads on and must get the
 * second half, since the child's reads moved the shared offset.
 */
#include <inc/lib.h>

static char text[8192], buf[8192];

void
umain(int argc, char **argv)
{
	envid_t kid;
	size_t half;
	int fd, n, r;

	if ((fd = open("/motd", O_RDONLY)) < 0)
		panic("testfdsharing: open /motd: %e", fd);
	if ((n = readn(fd, text, sizeof(text))) < 2)
		panic("testfdsharing: read /motd: got %d", n);
	if ((r = seek(fd, 0)) < 0)
		panic("testfdsharing: seek: %e", r);
	half = n / 2;

	if ((kid = fork()) < 0)
		panic("testfdsharing: fork: %e", kid);
	if (kid == 0) {
		if ((r = readn(fd, buf, half)) != half || memcmp(buf, text, half) != 0)
			panic("testfdsharing: read in child got %d bytes, not the first %ld of /motd",
			      r, (long) half);
		cprintf("read in child succeeded\n");
		exit();
	}
	wait(kid);
	if ((r = readn(fd, buf, sizeof(buf))) != n - half ||
	    memcmp(buf, text + half, n - half) != 0)
		panic("testfdsharing: read in parent got %d bytes, not the last %ld of /motd",
		      r, (long) (n - half));
	cprintf("read in parent succeeded\n");
	close(fd);
}
