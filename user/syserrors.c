/*
 * System calls that fail hand their error back to the caller, as in
 * classic JOS: each call below is a misuse the kernel refuses, and the
 * program prints what came back and carries on.
 */
#include <inc/lib.h>

static void
report(const char *what, int r)
{
	cprintf("syserrors: %s returned %d\n", what, r);
}

void
umain(int argc, char **argv)
{
	const int perm = PTE_P | PTE_U | PTE_W;
	envid_t stale = sys_getenvid() + NENV;	/* our slot, another generation */
	struct Trapframe tf;

	memset(&tf, 0, sizeof(tf));
	sys_page_unmap(0, UTEMP);
	report("sys_page_alloc above UTOP", sys_page_alloc(0, (void *) UTOP, perm));
	report("sys_page_alloc unaligned", sys_page_alloc(0, UTEMP + 1, perm));
	report("sys_page_map of an unmapped page", sys_page_map(0, UTEMP, 0, PFTEMP, perm));
	report("sys_page_unmap above UTOP", sys_page_unmap(0, (void *) UTOP));
	report("sys_env_destroy of a stale id", sys_env_destroy(stale));
	report("sys_env_set_status to ENV_FREE", sys_env_set_status(0, ENV_FREE));
	report("sys_env_set_trapframe of a stale id", sys_env_set_trapframe(stale, &tf));
	report("sys_env_set_pgfault_upcall of a stale id",
	       sys_env_set_pgfault_upcall(stale, NULL));
	report("sys_ipc_recv unaligned", sys_ipc_recv(UTEMP + 1));
	cprintf("syserrors: still running\n");
}
