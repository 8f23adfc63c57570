/*
 * Raise vector 14 (page fault) with a software interrupt.  Its IDT gate
 * is for the kernel only (DPL 0), so the CPU turns the attempt into a
 * general protection fault instead of a fake page fault.
 */
#include <inc/lib.h>

void
umain(int argc, char **argv)
{
	asm volatile("int $14");
	cprintf("softint: int $14 returned\n");
}
