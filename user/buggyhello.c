/*
 * Hand sys_cputs a pointer into the unmapped page at address 0.
 * The kernel must check the buffer and kill us instead of reading it.
 */
#include <inc/lib.h>

void
umain(int argc, char **argv)
{
	sys_cputs((const char *) 1, 1);
	cprintf("buggyhello: sys_cputs returned, the kernel read page 0\n");
}
