/*
 * Nested page tables (AMD). Unlike EPT, a nested page table has the very
 * format of an ordinary x86-64 page table, indexed by guest-physical
 * address, so pmap.c's walker, page_insert and pml4e_free serve it as
 * they serve an environment's page table (and guest.c allocates and
 * frees its root as it does an EPT's). The CPU treats every nested
 * access as a user access: entries carry PTE_U. Leaf pages are reference
 * counted, so a page shared between vmm and its guest lives until both
 * let go.
 */
#include <inc/error.h>
#include <inc/vmx.h>
#include <kern/env.h>
#include <kern/pmap.h>
#include <vmm/svm.h>

/* The PTE_* bits for EPT_* permissions (execute is always allowed). */
static int
npt_perm(int perm)
{
	return PTE_U | ((perm & EPT_W) ? PTE_W : 0);
}

/*
 * Map pp at gpa with perm (EPT_* bits), dropping any page it replaces.
 * Returns 1 if a present entry changed (the CPU must forget it), else 0
 * or an error.
 */
int
npt_page_insert(uint64_t *root, struct PageInfo *pp, uint64_t gpa, int perm)
{
	bool replaced = page_lookup(root, (void *) gpa, NULL) != NULL;
	int r;

	if ((r = page_insert(root, pp, (void *) gpa, npt_perm(perm))) < 0)
		return r;
	return replaced;
}

/* The host kernel address backing gpa, if it is mapped. */
int
npt_gpa2hva(uint64_t *root, uint64_t gpa, void **hva)
{
	struct PageInfo *pp = page_lookup(root, (void *) gpa, NULL);

	if (!pp)
		return -E_NOT_FOUND;
	*hva = (char *) page2kva(pp) + PGOFF(gpa);
	return 0;
}
