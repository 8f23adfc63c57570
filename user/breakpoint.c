/* A breakpoint from user mode: the kernel shows the trap frame and enters its monitor. */
#include <inc/lib.h>

void
umain(int argc, char **argv)
{
	asm volatile("int3");
}
