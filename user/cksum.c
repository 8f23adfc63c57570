/*
 * cksum FILE...: a 32-bit FNV-1a checksum and the size of each file, so
 * that a test can show a file byte-for-byte unchanged (vmm-full-fuzz:
 * the host's disk images after a hostile vmm -F guest).
 */
#include <inc/lib.h>

#define FNV_OFFSET	2166136261U
#define FNV_PRIME	16777619U

static void
cksum(const char *path)
{
	static uint8_t buf[PGSIZE];
	uint32_t h = FNV_OFFSET;
	uint64_t size = 0;
	int fd, n, i;

	if ((fd = open(path, O_RDONLY)) < 0) {
		cprintf("cksum: %s: %e\n", path, fd);
		return;
	}
	while ((n = readn(fd, buf, sizeof buf)) > 0) {
		for (i = 0; i < n; i++)
			h = (h ^ buf[i]) * FNV_PRIME;
		size += n;
	}
	close(fd);
	cprintf("%08x %lu %s\n", h, size, path);
}

void
umain(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		cksum(argv[i]);
}
