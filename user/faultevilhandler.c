/*
 * The page fault entry point is inside the kernel.  Running it in user
 * mode can only fault; running it in kernel mode would hand the kernel
 * over to us.  Whether the kernel refuses the address or the jump there
 * faults, we must end up destroyed, and the kernel must not panic.
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
