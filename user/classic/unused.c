/* Classic style (initsh, stresssched): variables declared and never used. */
#include <inc/lib.h>

void
umain(int argc, char **argv)
{
	int i, r, x, want;
	envid_t unused_env;

	r = 0;
	for (i = 0; i < 3; i++)
		sys_yield();
}
