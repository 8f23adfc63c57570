/*
 * The buffer given to sys_cputs starts at a readable string but is
 * 1 MB long, far beyond the end of this program's memory.  The kernel
 * must check the whole range, not just the first byte.
 */
#include <inc/lib.h>

static const char greeting[] = "hello, world";

void
umain(int argc, char **argv)
{
	cprintf("buggyhello2: buffer at %lx\n", (uintptr_t) greeting);
	sys_cputs(greeting, 1024 * 1024);
	cprintf("buggyhello2: sys_cputs returned, the kernel read past the end\n");
}
