/*
 * Round-robin scheduling: starting after the current environment, run
 * the first runnable one; failing that, keep running the current one;
 * failing that, halt this CPU until an interrupt. When no environment
 * can ever run again (none runnable, running or dying, nor asleep until
 * a key or a tick), the kernel says so and enters the monitor.
 */
#include <inc/assert.h>
#include <inc/x86.h>
#include <kern/fpu.h>
#include <kern/env.h>
#include <kern/pmap.h>
#include <kern/monitor.h>
#include <kern/sched.h>
#include <kern/spinlock.h>
#include <vmm/vmm.h>

static bool
anything_can_run(void)
{
	int i;

	for (i = 0; i < env_slots_used; i++)
		if (envs[i].env_status == ENV_RUNNABLE || envs[i].env_status == ENV_RUNNING ||
		    envs[i].env_status == ENV_DYING || envs[i].env_cons_waiting)
			return true;
	return false;
}

/* Idle: give up the kernel lock and sleep until an interrupt arrives. */
static void __attribute__((noreturn))
sched_halt(void)
{
	if (!anything_can_run()) {
		cprintf("No runnable environments in the system!\n");
		for (;;)
			monitor(NULL);
	}
	fpu_release();
	curenv = NULL;
	lcr3(kern_cr3);
	thiscpu->cpu_halt_tsc = read_tsc();
	xchg(&thiscpu->cpu_status, CPU_HALTED);
	unlock_kernel();
	/* Restart on a clean stack: nothing below this frame is needed. */
	asm volatile("movq %0, %%rsp\n"
		     "xorl %%ebp, %%ebp\n"
		     "sti\n"
		     "1: hlt\n"
		     "jmp 1b\n"
		     : : "r" (kstacktop(cpunum())));
	__builtin_unreachable();
}

void
sched_yield(void)
{
	int i, start = curenv ? ENVX(curenv->env_id) + 1 : 0;
	struct Env *e;

	/* Slots at or above env_slots_used have never held an environment. */
	for (i = 0; i < env_slots_used; i++) {
		e = &envs[(start + i) % env_slots_used];
		/* A guest destroyed elsewhere is freed where its VMCS lives. */
		if (e->env_status == ENV_DYING && e->env_type == ENV_TYPE_GUEST &&
		    e != curenv && vmm_can_run_here(e))
			env_free(e);
		if (e->env_status == ENV_RUNNABLE &&
		    (e->env_type != ENV_TYPE_GUEST || vmm_can_run_here(e)))
			env_run(e);
	}
	if (curenv && curenv->env_status == ENV_RUNNING)
		env_run(curenv);
	sched_halt();
}
