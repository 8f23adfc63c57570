/*
 * fork with copy-on-write. The child gets the parent's mappings; pages
 * that either side may write are mapped read-only with PTE_COW in both,
 * and the first write to one makes a private copy in the page fault
 * handler below. PTE_SHARE pages stay shared and writable.
 */
#include <inc/lib.h>

static bool
present(uint64_t entry)
{
	return entry & PTE_P;
}

/* The PTE for va, or 0 if some level of the page tables is missing. */
static pte_t
pte_of(uintptr_t va)
{
	if (!present(uvpml4[va >> PML4SHIFT]) || !present(uvpdp[va >> PDPSHIFT]) ||
	    !present(uvpd[va >> PTSHIFT]))
		return 0;
	return uvpt[va >> PGSHIFT];
}

/* Write faults on copy-on-write pages get a private, writable copy. */
static void
pgfault(struct UTrapframe *utf)
{
	void *addr = (void *) ROUNDDOWN(utf->utf_fault_va, PGSIZE);
	int r;

	if (!(utf->utf_err & FEC_WR) || !(pte_of((uintptr_t) addr) & PTE_COW))
		panic("page fault at va %lx, ip %lx: not a write to a copy-on-write page",
		      utf->utf_fault_va, utf->utf_rip);
	if ((r = sys_page_alloc(0, PFTEMP, PTE_P | PTE_U | PTE_W)) < 0)
		panic("pgfault: %e", r);
	memmove(PFTEMP, addr, PGSIZE);
	if ((r = sys_page_map(0, PFTEMP, 0, addr, PTE_P | PTE_U | PTE_W)) < 0)
		panic("pgfault: %e", r);
	if ((r = sys_page_unmap(0, PFTEMP)) < 0)
		panic("pgfault: %e", r);
}

/* Give the child page pn: shared, copy-on-write, or read-only as the parent has it. */
static int
duppage(envid_t envid, uintptr_t pn)
{
	void *va = (void *) (pn * PGSIZE);
	pte_t pte = uvpt[pn];
	int r;

	if (pte & PTE_SHARE)
		return sys_page_map(0, va, envid, va, pte & PTE_SYSCALL);
	if (pte & (PTE_W | PTE_COW)) {
		/* The child first: if we remapped ours first, a write in between would fault. */
		if ((r = sys_page_map(0, va, envid, va, PTE_P | PTE_U | PTE_COW)) < 0)
			return r;
		return sys_page_map(0, va, 0, va, PTE_P | PTE_U | PTE_COW);
	}
	return sys_page_map(0, va, envid, va, PTE_P | PTE_U);
}

/* Call dup on every present user page below USTACKTOP, skipping empty tables. */
static int
for_each_user_page(envid_t envid, int (*dup)(envid_t, uintptr_t))
{
	uintptr_t va = 0;
	int r;

	while (va < USTACKTOP) {
		if (!present(uvpml4[va >> PML4SHIFT]))
			va = ROUNDDOWN(va, PML4SIZE) + PML4SIZE;
		else if (!present(uvpdp[va >> PDPSHIFT]))
			va = ROUNDDOWN(va, PDPSIZE) + PDPSIZE;
		else if (!present(uvpd[va >> PTSHIFT]))
			va = ROUNDDOWN(va, PTSIZE) + PTSIZE;
		else {
			if (present(uvpt[va >> PGSHIFT]) && (r = dup(envid, va >> PGSHIFT)) < 0)
				return r;
			va += PGSIZE;
		}
	}
	return 0;
}

envid_t
fork(void)
{
	extern void _pgfault_upcall(void);
	envid_t envid;
	int r;

	set_pgfault_handler(pgfault);
	if ((envid = sys_exofork()) < 0)
		return envid;
	if (envid == 0) {
		thisenv = &envs[ENVX(sys_getenvid())];
		return 0;
	}
	if ((r = for_each_user_page(envid, duppage)) < 0 ||
	    (r = sys_page_alloc(envid, (void *) (UXSTACKTOP - PGSIZE), PTE_P | PTE_U | PTE_W)) < 0 ||
	    (r = sys_env_set_pgfault_upcall(envid, _pgfault_upcall)) < 0 ||
	    (r = sys_env_set_status(envid, ENV_RUNNABLE)) < 0) {
		sys_env_destroy(envid);
		return r;
	}
	return envid;
}
