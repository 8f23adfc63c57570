/* A user panic(): it prints its message and ends this program only. */
#include <inc/lib.h>

void
umain(int argc, char **argv)
{
	panic("this program gives up");
	cprintf("after the panic\n");
}
