/* The console for user programs, through system calls. */
#include <inc/lib.h>

void
cputchar(int ch)
{
	char c = ch;

	sys_cputs(&c, 1);
}

/* Wait for a console character, letting others run meanwhile. */
int
getchar(void)
{
	int c;

	while ((c = sys_cgetc()) == 0)
		sys_yield();
	return c;
}

int
iscons(int fdnum)
{
	return 1;
}
