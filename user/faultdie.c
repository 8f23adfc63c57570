/* A page fault handler that reports the fault and then destroys its own environment. */
#include <inc/lib.h>

static void
die_handler(struct UTrapframe *utf)
{
	cprintf("i faulted at va %lx, err %x\n", utf->utf_fault_va,
		(unsigned) (utf->utf_err & 7));
	sys_env_destroy(sys_getenvid());
	cprintf("faultdie: still alive after sys_env_destroy\n");
}

void
umain(int argc, char **argv)
{
	set_pgfault_handler(die_handler);
	*(volatile int *) 0xDeadBeef = 0;
	cprintf("faultdie: returned from the faulting write\n");
}
