/* Classic style: sfork, then both sides use a shared global and thisenv. */
#include <inc/lib.h>
#include "signature.h"

static_assert(HAS_TYPE(sfork, envid_t (void)));

uint32_t counter;

void
umain(int argc, char **argv)
{
	envid_t who;

	if ((who = sfork()) < 0)
		panic("sfork: %e", who);
	counter++;
	cprintf("%08x: counter %d, parent %08x\n", thisenv->env_id, counter,
		thisenv->env_parent_id);
}
