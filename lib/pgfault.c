/*
 * User-level page fault handling. The kernel reflects a page fault to
 * the environment's upcall (_pgfault_upcall in pfentry.S) on the user
 * exception stack; the upcall calls the C handler set here and then
 * resumes the faulting code.
 */
#include <inc/lib.h>

extern void _pgfault_upcall(void);

/* Read by pfentry.S. */
void (*_pgfault_handler)(struct UTrapframe *utf);

void
set_pgfault_handler(void (*handler)(struct UTrapframe *utf))
{
	int r;

	if (_pgfault_handler == NULL) {
		/* First time: give ourselves an exception stack and register the upcall. */
		if ((r = sys_page_alloc(0, (void *) (UXSTACKTOP - PGSIZE), PTE_P | PTE_U | PTE_W)) < 0)
			panic("set_pgfault_handler: %e", r);
		if ((r = sys_env_set_pgfault_upcall(0, _pgfault_upcall)) < 0)
			panic("set_pgfault_handler: %e", r);
	}
	_pgfault_handler = handler;
}
