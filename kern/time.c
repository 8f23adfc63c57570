/*
 * Kernel time: the boot CPU's timer interrupts, TICK_MS apart; and, for
 * measurements, busy time. In Bochs with a virtual clock the TSC counts
 * emulated instructions, but it also runs on while a CPU halts, so
 * busy_tsc subtracts the ticks this CPU spent halted. Milestones mark
 * moments of a boot (the first shell prompt, vmm starting ...) in busy
 * ticks; with "bench" in the boot program list they are printed.
 */
#include <inc/x86.h>
#include <inc/stdio.h>
#include <inc/string.h>
#include <inc/vmx.h>
#include <inc/memlayout.h>
#include <kern/time.h>
#include <kern/cpu.h>

bool bench_mode;

#define TICK_MS	10

static unsigned ticks;

void
time_tick(void)
{
	if (cpunum() == 0)
		ticks++;
}

unsigned
time_msec(void)
{
	return ticks * TICK_MS;
}

uint64_t
busy_tsc(void)
{
	return read_tsc() - thiscpu->cpu_idle_ticks;
}

/*
 * Mark a moment. A guest kernel passes it to its hypervisor (which
 * prints it with the guest's exit counts); a host prints it in bench mode.
 */
void
milestone(const char *name)
{
	if (VMM_GUEST) {
		hypercall(VMX_VMCALL_MILESTONE, (uint64_t) name - KERNBASE, strlen(name), 0, 0);
		return;
	}
	if (bench_mode)
		cprintf("[bench] milestone '%s' busy_tsc %lu\n", name, busy_tsc());
}
