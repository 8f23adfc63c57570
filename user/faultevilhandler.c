/*
 * The page fault entry point is inside the kernel.  The kernel must
 * never run it with user privileges... or with its own: either the
 * upcall is refused or jumping there faults; in the end we are
 * destroyed and the kernel does not panic.
 */
#include <inc/lib.h>

void
umain(int argc, char **argv)
{
	volatile int *volatile nullp = 0;	/* hides the null from the compiler */
	int r;

	if ((r = sys_page_alloc(0, (void *) (UXSTACKTOP - PGSIZE),
				PTE_P | PTE_U | PTE_W)) < 0)
		panic("faultevilhandler: sys_page_alloc: %e", r);
	sys_env_set_pgfault_upcall(0, (void *) 0xffffffff80100020UL);
	*nullp = 0;
	cprintf("faultevilhandler: survived the fault\n");
}
