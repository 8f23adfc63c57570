/*
 * Demand paging in user space: the handler maps a fresh page where the
 * fault happened and writes a string there.  The second string starts
 * two bytes before a page boundary, so writing it faults again inside
 * the handler (a nested fault on the exception stack).
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
		panic("faultalloc: sys_page_alloc at %lx: %e", va, r);
	snprintf((char *) va, 100, "this string was faulted in at %lx", va);
}

void
umain(int argc, char **argv)
{
	set_pgfault_handler(alloc_handler);
	cprintf("%s\n", (const char *) 0xDeadBeef);
	cprintf("%s\n", (const char *) 0xCafeBffe);
}
