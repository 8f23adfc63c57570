// bench_read FILE: read FILE through the file server, 4 KB at a time, and
// report emulated instructions (TSC ticks in Bochs) per KB. Milestones
// around the reading let make bench count a guest's hypercalls too.
#include <inc/lib.h>
#include <inc/x86.h>

#define CHUNK	4096

static char buf[CHUNK];

void
umain(int argc, char **argv)
{
	uint64_t start, ticks;
	size_t total = 0;
	int fd, n;

	if (argc != 2) {
		cprintf("usage: bench_read FILE\n");
		return;
	}
	if ((fd = open(argv[1], O_RDONLY)) < 0) {
		cprintf("bench_read: open %s: %e\n", argv[1], fd);
		return;
	}
	sys_milestone("read start");
	start = read_tsc();
	while ((n = readn(fd, buf, CHUNK)) > 0)
		total += n;
	ticks = read_tsc() - start;
	sys_milestone("read end");
	close(fd);
	if (n < 0 || total == 0) {
		cprintf("bench_read: read %s: %e\n", argv[1], n);
		return;
	}
	cprintf("bench_read: %lu KB, %lu TSC ticks per KB\n", total / 1024,
		ticks / (total / 1024));
}
