/*
 * fork with copy-on-write. The child gets the parent's mappings; pages
 * that either side may write are mapped read-only with PTE_COW in both,
 * and the first write to one makes a private copy in the page fault
 * handler below. PTE_SHARE pages stay shared and writable.
 *
 * sfork shares every page with the child (writes show on both sides)
 * except the stack, which is copy-on-write as in fork, and the page of
 * per-environment library variables, so that thisenv is right in each.
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

/* Replace the page at addr with a private, writable copy of it. */
static int
copy_private(void *addr)
{
	int r;

	if ((r = sys_page_alloc(0, PFTEMP, PTE_P | PTE_U | PTE_W)) < 0)
		return r;
	memmove(PFTEMP, addr, PGSIZE);
	if ((r = sys_page_map(0, PFTEMP, 0, addr, PTE_P | PTE_U | PTE_W)) < 0)
		return r;
	return sys_page_unmap(0, PFTEMP);
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
	if ((r = copy_private(addr)) < 0)
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

/* Call dup on every present user page in [va, end), skipping empty tables. */
static int
for_each_user_page(envid_t envid, uintptr_t va, uintptr_t end,
		   int (*dup)(envid_t, uintptr_t))
{
	int r;

	while (va < end) {
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

/*
 * The common part of fork and sfork: a child with the pages dup gives it
 * below stack, copy-on-write pages from stack up to USTACKTOP, its own
 * exception stack, and our page fault upcall. Returns the child's id in
 * the parent and 0 in the child, whose thisenv it sets.
 */
static envid_t
fork_with(int (*dup)(envid_t, uintptr_t), uintptr_t stack)
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
	if ((r = for_each_user_page(envid, 0, stack, dup)) < 0 ||
	    (r = for_each_user_page(envid, stack, USTACKTOP, duppage)) < 0 ||
	    (r = sys_page_alloc(envid, (void *) (UXSTACKTOP - PGSIZE), PTE_P | PTE_U | PTE_W)) < 0 ||
	    (r = sys_env_set_pgfault_upcall(envid, _pgfault_upcall)) < 0 ||
	    (r = sys_env_set_status(envid, ENV_RUNNABLE)) < 0) {
		sys_env_destroy(envid);
		return r;
	}
	return envid;
}

envid_t
fork(void)
{
	return fork_with(duppage, USTACKTOP);
}

/* The per-environment page (thisenv), laid out by user/user.ld. */
extern char perenv_start[], perenv_end[];

/*
 * sfork's page: copy-on-write for the per-environment page, so that each
 * side has its own thisenv; shared as it is for the rest. A page that is
 * copy-on-write here (from an earlier fork) first becomes our own, or a
 * write would unshare it again.
 */
static int
sharepage(envid_t envid, uintptr_t pn)
{
	void *va = (void *) (pn * PGSIZE);
	int r;

	if (va >= (void *) perenv_start && va < (void *) perenv_end)
		return duppage(envid, pn);
	if ((uvpt[pn] & PTE_COW) && (r = copy_private(va)) < 0)
		return r;
	return sys_page_map(0, va, envid, va, uvpt[pn] & PTE_SYSCALL);
}

/* The bottom of the stack: the run of present pages just below USTACKTOP. */
static uintptr_t
stack_bottom(void)
{
	uintptr_t va = USTACKTOP;

	while (present(pte_of(va - PGSIZE)))
		va -= PGSIZE;
	return va;
}

/* fork sharing all memory but the stack (classic JOS's lab 4 challenge). */
envid_t
sfork(void)
{
	return fork_with(sharepage, stack_bottom());
}
