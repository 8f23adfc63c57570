/* Read from the unmapped page at address 0: a user page fault. */
#include <inc/lib.h>

/* Read through a volatile pointer variable, so the compiler cannot see
 * that the address is null and replace the load with a trap. */
const volatile unsigned *volatile target = (const volatile unsigned *) 0;

void
umain(int argc, char **argv)
{
	unsigned v = *target;
	cprintf("faultread: read %08x from %lx\n", v, (uintptr_t) target);
}
