/*
 * fork without copy-on-write: create a blank environment with
 * sys_exofork and fill it with copies of every page we have, made
 * through a scratch mapping at UTEMP.  Then parent and child take turns
 * printing (10 lines for the parent, 20 for the child).
 */
#include <inc/lib.h>

static void
copy_page_to(envid_t child, uintptr_t va)
{
	int r;

	if ((r = sys_page_alloc(child, (void *) va, PTE_P | PTE_U | PTE_W)) < 0)
		panic("dumbfork: sys_page_alloc(%lx): %e", va, r);
	if ((r = sys_page_map(child, (void *) va, 0, UTEMP,
			      PTE_P | PTE_U | PTE_W)) < 0)
		panic("dumbfork: sys_page_map(%lx): %e", va, r);
	memmove(UTEMP, (const void *) va, PGSIZE);
	if ((r = sys_page_unmap(0, UTEMP)) < 0)
		panic("dumbfork: sys_page_unmap: %e", r);
}

/*
 * Copy every present page below UTOP (except the scratch page and the
 * exception stack), found by walking our own page tables through the
 * self-map, skipping whole tables that are not present.
 */
static void
copy_address_space(envid_t child)
{
	const uintptr_t pdp_span = (uintptr_t) 1 << PDPSHIFT;	/* 1 GB */
	const uintptr_t pd_span = (uintptr_t) 1 << PTSHIFT;	/* 2 MB */
	uintptr_t va = 0;

	/* All of user memory is below UTOP, the span of PML4 entry 0. */
	if (!(uvpml4[0] & PTE_P))
		panic("dumbfork: PML4 entry 0 is not present");
	while (va < UTOP) {
		if (!(uvpdp[va >> PDPSHIFT] & PTE_P)) {
			va = ROUNDDOWN(va, pdp_span) + pdp_span;
			continue;
		}
		if (!(uvpd[va >> PTSHIFT] & PTE_P)) {
			va = ROUNDDOWN(va, pd_span) + pd_span;
			continue;
		}
		if ((uvpt[PGNUM(va)] & PTE_P) && va != (uintptr_t) UTEMP
		    && va != UXSTACKTOP - PGSIZE)
			copy_page_to(child, va);
		va += PGSIZE;
	}
}

static envid_t
dumbfork(void)
{
	envid_t child;
	int r;

	child = sys_exofork();
	if (child < 0)
		panic("dumbfork: sys_exofork: %e", child);
	if (child == 0) {
		/* The copied thisenv still points at the parent's Env. */
		thisenv = &envs[ENVX(sys_getenvid())];
		return 0;
	}
	copy_address_space(child);
	if ((r = sys_env_set_status(child, ENV_RUNNABLE)) < 0)
		panic("dumbfork: sys_env_set_status: %e", r);
	return child;
}

void
umain(int argc, char **argv)
{
	envid_t who;
	int i, lines;

	who = dumbfork();
	lines = who ? 10 : 20;
	for (i = 0; i < lines; i++) {
		cprintf("%d: I am the %s!\n", i, who ? "parent" : "child");
		sys_yield();
	}
}
