/*
 * icode: the first program when the kernel boots with a file system.
 * It shows that the file server works (printing /motd) and that spawn
 * works (starting /init with two arguments), then exits.
 */
#include <inc/lib.h>

static void
print_file(const char *path)
{
	char buf[512];
	ssize_t n;
	int fd;

	cprintf("icode: open %s\n", path);
	if ((fd = open(path, O_RDONLY)) < 0)
		panic("icode: open %s: %e", path, fd);
	cprintf("icode: read %s\n", path);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		sys_cputs(buf, n);
	if (n < 0)
		panic("icode: read %s: %e", path, (int) n);
	cprintf("icode: close %s\n", path);
	close(fd);
}

void
umain(int argc, char **argv)
{
	envid_t r;

	binaryname = "icode";
	cprintf("icode startup\n");
	print_file("/motd");

	cprintf("icode: spawn /init\n");
	if ((r = spawnl("/init", "init", "initarg1", "initarg2", NULL)) < 0)
		panic("icode: spawn /init: %e", r);
	cprintf("icode: exiting\n");
}
