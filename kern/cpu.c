/* Per-CPU state: the cpus[] table and the kernel stacks. */
#include <kern/cpu.h>
#include <kern/lapic.h>

struct CpuInfo cpus[NCPU];
struct CpuInfo *bootcpu = &cpus[0];
int ncpu;
uint8_t percpu_kstacks[NCPU][KSTKSIZE] __attribute__((aligned(PGSIZE)));

/* The index of the CPU running this code: its local APIC id. */
int
cpunum(void)
{
	return lapic_id();
}
