/*
 * Register a page fault entry point but no exception stack.  The
 * kernel cannot push the UTrapframe, so it must destroy us rather than
 * write to an unmapped page (or panic).
 */
#include <inc/lib.h>

static void
never_entered(void)
{
	cprintf("faultnostack: the upcall ran without an exception stack\n");
	exit();
}

void
umain(int argc, char **argv)
{
	volatile int *volatile nullp = 0;	/* hides the null from the compiler */
	int r;

	/* Be sure the exception stack page really is absent. */
	sys_page_unmap(0, (void *) (UXSTACKTOP - PGSIZE));
	if ((r = sys_env_set_pgfault_upcall(0, (void *) never_entered)) < 0)
		panic("faultnostack: sys_env_set_pgfault_upcall: %e", r);
	*nullp = 0;
	cprintf("faultnostack: survived the fault\n");
}
