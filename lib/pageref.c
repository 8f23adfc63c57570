/*
 * What the read-only views tell a program about memory: whether a page
 * of its own is mapped (the self-mapped page tables), how many address
 * spaces share it, and how many physical pages are free (pages[]).
 */
#include <inc/lib.h>

/* Is the page at va mapped? */
bool
va_mapped(uintptr_t va)
{
	return (uvpml4[va >> PML4SHIFT] & PTE_P) && (uvpdp[va >> PDPSHIFT] & PTE_P) &&
	       (uvpd[va >> PTSHIFT] & PTE_P) && (uvpt[PGNUM(va)] & PTE_P);
}

/* How many address spaces map the page at va (its pp_ref). */
int
pageref(void *v)
{
	uintptr_t va = (uintptr_t) v;

	if (!va_mapped(va))
		return 0;
	return pages[PGNUM(PTE_ADDR(uvpt[PGNUM(va)]))].pp_ref;
}

/* Physical pages nobody holds: pp_ref 0 in the pages[] view, to its mapped end. */
size_t
free_pages(void)
{
	size_t i, n = 0;

	for (i = 0; va_mapped(ROUNDDOWN((uintptr_t) &pages[i], PGSIZE)); i++)
		if (pages[i].pp_ref == 0)
			n++;
	return n;
}
