// tscloop [N]: read the TSC N times (default 1000) and print the ticks
// between the first and the last read. In a guest started with vmm -T M
// each read is an RDTSC exit, which the hypervisor counts (vmstat), and
// the ticks are M times the host's.
#include <inc/lib.h>
#include <inc/x86.h>

#define DEFAULT_READS	1000
#define MAX_READS	1000000

void
umain(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], 0, 10) : DEFAULT_READS;
	uint64_t first, last;
	long i;

	if (n < 2 || n > MAX_READS) {
		printf("usage: tscloop [N], N from 2 to %d\n", MAX_READS);
		return;
	}
	first = last = read_tsc();
	for (i = 1; i < n; i++)
		last = read_tsc();
	printf("tscloop: %ld rdtsc, %lu TSC ticks\n", n, last - first);
}
