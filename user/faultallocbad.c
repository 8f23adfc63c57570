/*
 * The same handler as faultalloc, but the bad address goes to the
 * kernel in a system call.  The kernel must not fault on our behalf
 * (and must not call our handler): it checks the buffer and kills us.
 */
#include <inc/lib.h>

static void
alloc_handler(struct UTrapframe *utf)
{
	uintptr_t va = utf->utf_fault_va;
	int r;

	cprintf("fault %lx\n", va);
	r = sys_page_alloc(0, (void *) ROUNDDOWN(va, PGSIZE), PTE_P | PTE_U | PTE_W);
	if (r < 0)
		panic("faultallocbad: sys_page_alloc at %lx: %e", va, r);
	snprintf((char *) va, 100, "this string was faulted in at %lx", va);
}

void
umain(int argc, char **argv)
{
	set_pgfault_handler(alloc_handler);
	sys_cputs((const char *) 0xDEADBEEF, 4);
	cprintf("faultallocbad: sys_cputs returned\n");
}
