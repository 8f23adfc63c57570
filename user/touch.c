/* touch FILE...: create each file that does not exist (existing ones are left alone). */
#include <inc/lib.h>

void
umain(int argc, char **argv)
{
	int fd, i;

	if (argc < 2) {
		cprintf("usage: touch FILE...\n");
		return;
	}
	for (i = 1; i < argc; i++) {
		if ((fd = open(argv[i], O_WRONLY | O_CREAT)) < 0)
			cprintf("touch: %s: %e\n", argv[i], fd);
		else
			close(fd);
	}
}
