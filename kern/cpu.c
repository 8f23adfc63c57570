/* Per-CPU state: the cpus[] table and the kernel stacks. */
#include <kern/cpu.h>

struct CpuInfo cpus[NCPU];
int ncpu = 1;
uint8_t percpu_kstacks[NCPU][KSTKSIZE] __attribute__((aligned(PGSIZE)));

/* The index of the CPU running this code (only the boot CPU runs so far). */
int
cpunum(void)
{
	return 0;
}
