/*
 * lsfd [-1]: list this program's open file descriptors, one line each:
 *   fd N: name NAME isdir 0|1 size BYTES dev DEVICE
 * on the console (cprintf), or on fd 1 with -1.
 */
#include <inc/lib.h>

static void __attribute__((noreturn))
usage(void)
{
	cprintf("usage: lsfd [-1]\n");
	exit();
}

void
umain(int argc, char **argv)
{
	static struct Stat st;
	struct Argstate args;
	bool to_fd1 = false;
	int i, flag;

	argstart(&argc, argv, &args);
	while ((flag = argnext(&args)) >= 0) {
		if (flag == '1')
			to_fd1 = true;
		else
			usage();
	}

	for (i = 0; i < MAXFD; i++) {
		if (fstat(i, &st) < 0)
			continue;
		if (to_fd1)
			fprintf(1, "fd %d: name %s isdir %d size %ld dev %s\n",
				i, st.st_name, st.st_isdir, (long) st.st_size, st.st_dev->dev_name);
		else
			cprintf("fd %d: name %s isdir %d size %ld dev %s\n",
				i, st.st_name, st.st_isdir, (long) st.st_size, st.st_dev->dev_name);
	}
}
