/* Read kernel memory: mapped, but not for user mode, so it must fault. */
#include <inc/lib.h>

const volatile unsigned *volatile target = (const volatile unsigned *) 0xffffffff80100000UL;

void
umain(int argc, char **argv)
{
	unsigned v = *target;
	cprintf("faultreadkernel: read %08x from %lx\n", v, (uintptr_t) target);
}
