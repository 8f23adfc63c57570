/*
 * The child never gives up the CPU; only the timer interrupt can take
 * it away.  The parent yields a few times (so it can only run again if
 * the child is preempted) and then destroys the child.
 */
#include <inc/lib.h>

void
umain(int argc, char **argv)
{
	envid_t child;
	int i;

	cprintf("I am the parent.  Forking the child...\n");
	child = fork();
	if (child < 0)
		panic("spin: fork: %e", child);
	if (child == 0) {
		cprintf("I am the child.  Spinning...\n");
		for (;;)
			asm volatile("" ::: "memory");
	}

	cprintf("I am the parent.  Running the child...\n");
	for (i = 0; i < 8; i++)
		sys_yield();

	cprintf("I am the parent.  Killing the child...\n");
	sys_env_destroy(child);
}
