// Measure file throughput through the file server with the TSC: write a
// 1 MB file and close it (which writes it to disk), then read it back
// (from the file server's block cache). In Bochs with the virtual clock
// the TSC counts emulated instructions.
#include <inc/lib.h>
#include <inc/x86.h>

#define FILE_BYTES	(1024 * 1024)
#define CHUNK		4096

static char buf[CHUNK];

static uint64_t
timed_pass(int fd, bool writing)
{
	uint64_t start = read_tsc();
	ssize_t r;
	int off;

	for (off = 0; off < FILE_BYTES; off += CHUNK) {
		r = writing ? write(fd, buf, CHUNK) : readn(fd, buf, CHUNK);
		if (r != CHUNK)
			panic("bench_fs: %s at %d: %e", writing ? "write" : "read", off, (int) r);
	}
	return read_tsc() - start;
}

void
umain(int argc, char **argv)
{
	uint64_t wticks, rticks, start;
	int fd;

	memset(buf, 'x', sizeof buf);
	if ((fd = open("/bench-file", O_RDWR | O_CREAT | O_TRUNC)) < 0)
		panic("open: %e", fd);
	wticks = timed_pass(fd, true);
	start = read_tsc();
	close(fd);
	wticks += read_tsc() - start;
	if ((fd = open("/bench-file", O_RDONLY)) < 0)
		panic("open: %e", fd);
	rticks = timed_pass(fd, false);
	close(fd);
	remove("/bench-file");
	cprintf("file write: %lu TSC ticks per KB (%d KB)\n", wticks / (FILE_BYTES / 1024),
		FILE_BYTES / 1024);
	cprintf("file read: %lu TSC ticks per KB (%d KB)\n", rticks / (FILE_BYTES / 1024),
		FILE_BYTES / 1024);
}
