/* How many address spaces map the page at va (its pp_ref, read from the pages[] view). */
#include <inc/lib.h>

int
pageref(void *v)
{
	uintptr_t va = (uintptr_t) v;
	pte_t pte;

	if (!(uvpml4[va >> PML4SHIFT] & PTE_P) || !(uvpdp[va >> PDPSHIFT] & PTE_P) ||
	    !(uvpd[va >> PTSHIFT] & PTE_P))
		return 0;
	pte = uvpt[PGNUM(va)];
	if (!(pte & PTE_P))
		return 0;
	return pages[PGNUM(PTE_ADDR(pte))].pp_ref;
}
