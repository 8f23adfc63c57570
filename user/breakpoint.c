/*
 * A breakpoint from user mode: the kernel prints the trap frame and
 * destroys this program (or, built with JOS_USER_BREAK_MONITOR, stops in
 * its monitor, where 'continue' comes back here).
 */
#include <inc/lib.h>

void
umain(int argc, char **argv)
{
	asm volatile("int3");
}
