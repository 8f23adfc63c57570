/*
 * halt: write the file system's dirty blocks back to disk (if a file
 * server is running), then power the machine off.
 */
#include <inc/lib.h>

void
umain(int argc, char **argv)
{
	int r;

	if (ipc_find_env(ENV_TYPE_FS) != 0 && (r = sync()) < 0)
		cprintf("halt: sync: %e\n", r);
	r = sys_halt();
	cprintf("halt: power-off failed: %e\n", r);
}
