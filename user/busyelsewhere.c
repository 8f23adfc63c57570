/*
 * busyelsewhere: on two CPUs, change a child while it runs on the other
 * one. Its page tables and status must not change under that CPU (it
 * would keep stale TLB entries, or run on freed tables): the kernel says
 * "busy" instead. Destroying it is allowed: that CPU frees it at its next
 * trap. Run with 2 CPUs.
 */
#include <inc/lib.h>

#define WAIT_LIMIT	100000000UL	/* reads of envs[] before giving up */

static void
report(const char *what, int64_t r)
{
	if (r < 0)
		cprintf("busyelsewhere: %s: refused (%e)\n", what, (int) r);
	else
		cprintf("busyelsewhere: %s: ALLOWED\n", what);
}

/* Wait (without giving up this CPU) until the child's status is status. */
static bool
wait_status(envid_t child, int status)
{
	const volatile struct Env *e = &envs[ENVX(child)];
	unsigned long i;

	for (i = 0; i < WAIT_LIMIT; i++)
		if (e->env_id != child || e->env_status == status)
			return e->env_id == child || status == ENV_FREE;
	return false;
}

void
umain(int argc, char **argv)
{
	envid_t child;

	if ((child = fork()) == 0)
		for (;;)
			;
	if (!wait_status(child, ENV_RUNNING)) {
		cprintf("busyelsewhere: the child never ran on the other CPU\n");
		return;
	}
	cprintf("busyelsewhere: child running on CPU %d\n", envs[ENVX(child)].env_cpunum);
	report("unmap a page of the running child", sys_page_unmap(child, (void *) UTEXT));
	report("map a page into the running child",
	       sys_page_map(0, ROUNDDOWN(&child, PGSIZE), child, UTEMP, PTE_P | PTE_U));
	report("stop the running child", sys_env_set_status(child, ENV_NOT_RUNNABLE));
	report("set the running child's registers",
	       sys_env_set_trapframe(child, (struct Trapframe *) &envs[ENVX(child)].env_tf));
	if (sys_env_destroy(child) == 0 && wait_status(child, ENV_FREE))
		cprintf("busyelsewhere: the child was destroyed\n");
}
