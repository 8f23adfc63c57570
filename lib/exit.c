/* Ending a user program. */
#include <inc/lib.h>

void
exit(void)
{
	close_all();
	sys_env_destroy(0);
	for (;;)
		;	/* not reached: the kernel does not return to a destroyed env */
}
