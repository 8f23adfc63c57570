/*
 * Ask the kernel to print its own memory for us.  The address is mapped
 * (it is the kernel's code) but not for user access, so sys_cputs must
 * refuse it and destroy this environment.
 */
#include <inc/lib.h>

void
umain(int argc, char **argv)
{
	sys_cputs((const char *) 0xffffffff80100000UL, 100);
	cprintf("evilhello: sys_cputs returned, the kernel leaked its memory\n");
}
