/* Waiting for another environment to end: asleep in the kernel, not in a loop of yields. */
#include <inc/lib.h>

void
wait(envid_t envid)
{
	const volatile struct Env *e;

	assert(envid != 0);
	e = &envs[ENVX(envid)];
	while (e->env_id == envid && e->env_status != ENV_FREE)
		sys_env_wait(envid);
}
