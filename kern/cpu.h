/* Per-CPU state, CPU discovery (MP tables) and the local APIC's id. */
#ifndef JOS_KERN_CPU_H
#define JOS_KERN_CPU_H

#include <inc/types.h>
#include <inc/memlayout.h>
#include <inc/mmu.h>
#include <inc/env.h>

#define NCPU	8	/* the most CPUs the kernel supports */

enum {
	CPU_UNUSED = 0,
	CPU_STARTED,
	CPU_HALTED,
};

struct CpuInfo {
	uint8_t cpu_id;			/* local APIC id; equals the index in cpus[] */
	volatile uint32_t cpu_status;	/* CPU_* */
	struct Env *cpu_env;		/* the environment running here, or NULL */
	struct Taskstate cpu_ts;	/* gives the CPU its ring-0 stack */
	uint64_t cpu_halt_tsc;		/* TSC when it last halted */
	uint64_t cpu_idle_ticks;	/* TSC ticks spent halted, in all */
};

extern struct CpuInfo cpus[NCPU];
extern int ncpu;			/* CPUs found */
extern struct CpuInfo *bootcpu;
extern physaddr_t lapicaddr;		/* physical address of the local APIC */
extern uint8_t percpu_kstacks[NCPU][KSTKSIZE];

void mp_init(void);
void mp_init_uniprocessor(void);
void boot_aps(void);
int cpunum(void);
#define thiscpu (&cpus[cpunum()])

/* Top of CPU i's kernel stack in the KSTACKTOP area (see inc/memlayout.h). */
static inline uintptr_t
kstacktop(int i)
{
	return KSTACKTOP - i * (KSTKSIZE + KSTKGAP);
}

#endif /* !JOS_KERN_CPU_H */
