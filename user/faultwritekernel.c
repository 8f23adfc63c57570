/* Write to kernel memory from user mode: must fault, not corrupt the kernel. */
#include <inc/lib.h>

volatile unsigned *volatile target = (volatile unsigned *) 0xffffffff80100000UL;

void
umain(int argc, char **argv)
{
	*target = 0x600df00d;
	cprintf("faultwritekernel: wrote to %lx\n", (uintptr_t) target);
}
