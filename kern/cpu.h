/* Per-CPU state. */
#ifndef JOS_KERN_CPU_H
#define JOS_KERN_CPU_H

#include <inc/types.h>
#include <inc/memlayout.h>
#include <inc/mmu.h>

#define NCPU	8	/* the most CPUs the kernel supports */

struct CpuInfo {
	uint8_t cpu_id;			/* local APIC id; index into cpus[] */
	struct Taskstate cpu_ts;	/* gives the CPU its ring-0 stack */
};

extern struct CpuInfo cpus[NCPU];
extern int ncpu;
extern uint8_t percpu_kstacks[NCPU][KSTKSIZE];

int cpunum(void);
#define thiscpu (&cpus[cpunum()])

/* Top of CPU i's kernel stack in the KSTACKTOP area (see inc/memlayout.h). */
static inline uintptr_t
kstacktop(int i)
{
	return KSTACKTOP - i * (KSTKSIZE + KSTKGAP);
}

#endif /* !JOS_KERN_CPU_H */
