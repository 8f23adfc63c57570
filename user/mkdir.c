/* mkdir DIR...: create directories; an existing name is an error. */
#include <inc/lib.h>

void
umain(int argc, char **argv)
{
	int fd, i;

	if (argc < 2) {
		cprintf("usage: mkdir DIR...\n");
		return;
	}
	for (i = 1; i < argc; i++) {
		if ((fd = open(argv[i], O_MKDIR | O_CREAT | O_EXCL)) < 0)
			cprintf("mkdir: %s: %e\n", argv[i], fd);
		else
			close(fd);
	}
}
