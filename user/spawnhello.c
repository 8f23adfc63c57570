/*
 * Spawn /hello, a program read from the file system, and wait for it.
 * The child prints its own greeting and environment id.
 */
#include <inc/lib.h>

void
umain(int argc, char **argv)
{
	envid_t child;

	cprintf("spawnhello: i am environment %08x\n", thisenv->env_id);
	if ((child = spawnl("/hello", "hello", NULL)) < 0)
		panic("spawnhello: spawn /hello: %e", child);
	cprintf("spawnhello: spawned /hello as %08x\n", child);
	wait(child);
	cprintf("spawnhello: %08x is done\n", child);
}
