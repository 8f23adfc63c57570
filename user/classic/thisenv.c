/* Classic style: thisenv is a variable a program may declare and set (dumbfork does). */
#include <inc/lib.h>
#include "signature.h"

extern const volatile struct Env *thisenv;

static_assert(HAS_TYPE(thisenv, const volatile struct Env *));

void
umain(int argc, char **argv)
{
	thisenv = &envs[ENVX(sys_getenvid())];
	cprintf("i am %08x, run %d times\n", thisenv->env_id, thisenv->env_runs);
}
