/*
 * Extended page tables. A guest's EPT has the same 4-level shape as an
 * ordinary page table, indexed by guest-physical address. An entry is
 * present when its read bit is set (the kernel never maps write- or
 * execute-only), and like a PTE it holds a host-physical address. Leaf
 * pages are reference counted as if mapped by an environment, so a page
 * shared between vmm and its guest lives until both let go.
 */
#include <inc/error.h>
#include <inc/string.h>
#include <inc/assert.h>
#include <kern/pmap.h>
#include <vmm/ept.h>

#define EPT_LEVELS	4

/*
 * The leaf entry for gpa, creating missing tables if asked. Fails with
 * -E_NOT_FOUND (no table, create not set) or -E_NO_MEM.
 */
int
ept_lookup_gpa(uint64_t *eptrt, uint64_t gpa, bool create, uint64_t **epte_out)
{
	/* HANDOUT BEGIN ept_lookup_gpa: return -E_NOT_SUPP; */
	uint64_t *table = eptrt, *e;
	struct PageInfo *pp;
	int shift;

	for (shift = PML4SHIFT; shift > PGSHIFT; shift -= 9) {
		e = &table[(gpa >> shift) & (NPTENTRIES - 1)];
		if (!(*e & EPT_R)) {
			if (!create)
				return -E_NOT_FOUND;
			if (!(pp = page_alloc(ALLOC_ZERO)))
				return -E_NO_MEM;
			pp->pp_ref++;
			*e = page2pa(pp) | EPT_RWX;
		}
		table = KADDR(PTE_ADDR(*e));
	}
	*epte_out = &table[(gpa >> PGSHIFT) & (NPTENTRIES - 1)];
	return 0;
	/* HANDOUT END */
}

/* The host kernel address backing gpa, if it is mapped. */
int
ept_gpa2hva(uint64_t *eptrt, uint64_t gpa, void **hva)
{
	uint64_t *epte;
	int r;

	if ((r = ept_lookup_gpa(eptrt, gpa, false, &epte)) < 0)
		return r;
	if (!(*epte & EPT_R))
		return -E_NOT_FOUND;
	*hva = (char *) KADDR(PTE_ADDR(*epte)) + PGOFF(gpa);
	return 0;
}

/*
 * Map pp at gpa, counting the reference and dropping any page it
 * replaces. Returns 1 if a present entry changed (the caller must see
 * that the CPU forgets it: INVEPT), else 0 or an error.
 */
int
ept_page_insert(uint64_t *eptrt, struct PageInfo *pp, uint64_t gpa, int perm)
{
	uint64_t *epte;
	bool replaced;
	int r;

	if ((r = ept_lookup_gpa(eptrt, gpa, true, &epte)) < 0 || (r = page_incref(pp)) < 0)
		return r;
	replaced = (*epte & EPT_R) != 0;
	if (replaced)
		page_decref(pa2page(PTE_ADDR(*epte)));
	*epte = page2pa(pp) | (perm & EPT_PERM_MASK) | EPT_MT_WB;
	return replaced;
}
