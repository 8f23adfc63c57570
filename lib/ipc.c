/* Inter-environment communication on top of sys_ipc_try_send / sys_ipc_recv. */
#include <inc/lib.h>

/*
 * Receive a value (and a page at pg, if pg is not NULL and the sender
 * sent one). Stores the sender and the page's permissions (0 if no page)
 * where asked; on error stores 0 in both and returns the error.
 */
int32_t
ipc_recv(envid_t *from_env_store, void *pg, int *perm_store)
{
	int r = sys_ipc_recv(pg ? pg : (void *) UTOP);

	if (from_env_store)
		*from_env_store = r < 0 ? 0 : thisenv->env_ipc_from;
	if (perm_store)
		*perm_store = r < 0 ? 0 : thisenv->env_ipc_perm;
	return r < 0 ? r : (int32_t) thisenv->env_ipc_value;
}

/* Send until the receiver takes it, yielding in between; panics on other errors. */
void
ipc_send(envid_t to_env, uint32_t val, void *pg, int perm)
{
	int r;

	while ((r = sys_ipc_try_send(to_env, val, pg ? pg : (void *) UTOP, perm)) ==
	       -E_IPC_NOT_RECV)
		sys_yield();
	if (r < 0)
		panic("ipc_send to %08x: %e", to_env, r);
}

/* The first environment of the given type, or 0. */
envid_t
ipc_find_env(enum EnvType type)
{
	int i;

	for (i = 0; i < NENV; i++)
		if (envs[i].env_type == type && envs[i].env_status != ENV_FREE)
			return envs[i].env_id;
	return 0;
}
