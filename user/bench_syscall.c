// Measure one system call round trip (sys_getenvid) with the TSC.
// In Bochs with the virtual clock the TSC counts emulated instructions.
#include <inc/lib.h>
#include <inc/x86.h>

#define ROUNDS	10000

void
umain(int argc, char **argv)
{
	uint64_t start, total;
	int i;

	start = read_tsc();
	for (i = 0; i < ROUNDS; i++)
		sys_getenvid();
	total = read_tsc() - start;
	cprintf("null system call: %lu TSC ticks per round trip (%d rounds)\n",
		total / ROUNDS, ROUNDS);
}
