/* Write to the unmapped page at address 0: a user page fault. */
#include <inc/lib.h>

volatile unsigned *volatile target = (volatile unsigned *) 0;

void
umain(int argc, char **argv)
{
	*target = 0x600df00d;
	cprintf("faultwrite: wrote to %lx\n", (uintptr_t) target);
}
