/*
 * Spin locks. The kernel uses one, the big kernel lock: a CPU takes it
 * on every entry from user mode (and when it leaves the idle halt) and
 * drops it just before returning to user mode, so at most one CPU runs
 * kernel code at a time. Simple to reason about; the cost is that
 * system calls on different CPUs cannot overlap.
 */
#include <inc/x86.h>
#include <inc/assert.h>
#include <kern/cpu.h>
#include <kern/spinlock.h>

struct spinlock kernel_lock = { .name = "kernel_lock" };

static bool
holding(struct spinlock *lk)
{
	return lk->locked && lk->cpu == thiscpu;
}

void
spin_lock(struct spinlock *lk)
{
	if (holding(lk))
		panic("CPU %d cannot acquire %s: already holding", cpunum(), lk->name);
	/* xchg is atomic and a full barrier: later loads cannot move above it. */
	while (xchg(&lk->locked, 1) != 0)
		asm volatile("pause");
	lk->cpu = thiscpu;
}

void
spin_unlock(struct spinlock *lk)
{
	if (!holding(lk))
		panic("CPU %d cannot release %s: not holding", cpunum(), lk->name);
	lk->cpu = NULL;
	xchg(&lk->locked, 0);
}
