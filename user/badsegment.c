/*
 * Load the selector of CPU 0's TSS descriptor into ds.  A system
 * descriptor can never be a data segment (and its DPL is 0 anyway),
 * so the CPU raises a general protection fault.
 */
#include <inc/lib.h>

void
umain(int argc, char **argv)
{
	asm volatile("movw %0, %%ds" : : "r" ((uint16_t) GD_TSS0));
	cprintf("badsegment: loaded selector %x into ds\n", GD_TSS0);
}
