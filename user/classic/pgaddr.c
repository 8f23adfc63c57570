/* Classic style: walk the page tables through uvpd and uvpt, naming pages with PGADDR. */
#include <inc/lib.h>

void
umain(int argc, char **argv)
{
	uintptr_t pdx, ptx, npages = 0;
	void *first = 0;

	/* NPDENTRIES directory entries: the first 1 GB, where the program is. */
	for (pdx = 0; pdx < NPDENTRIES; pdx++) {
		if (!(uvpd[pdx] & PTE_P))
			continue;
		for (ptx = 0; ptx < NPTENTRIES; ptx++) {
			if (!(uvpt[pdx * NPTENTRIES + ptx] & PTE_P))
				continue;
			if (!first)
				first = PGADDR(pdx, ptx, 0);
			npages++;
		}
	}
	cprintf("%ld pages below %lx, the first at %p; %ld KB per page table\n",
		npages, (uintptr_t) NPDENTRIES << PDXSHIFT, first,
		((uintptr_t) 1 << PDXSHIFT) / 1024);
	cprintf("a page is %ld bytes\n", (uintptr_t) 1 << PTXSHIFT);
}
