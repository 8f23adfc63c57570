/*
 * The page fault entry point is a wild user address.  Jumping there
 * faults again, and again...: the kernel must end up destroying us,
 * not panic.
 */
#include <inc/lib.h>

void
umain(int argc, char **argv)
{
	volatile int *volatile nullp = 0;	/* hides the null from the compiler */
	int r;

	if ((r = sys_page_alloc(0, (void *) (UXSTACKTOP - PGSIZE),
				PTE_P | PTE_U | PTE_W)) < 0)
		panic("faultbadhandler: sys_page_alloc: %e", r);
	sys_env_set_pgfault_upcall(0, (void *) 0xDeadBeef);
	*nullp = 0;
	cprintf("faultbadhandler: survived the fault\n");
}
