/*
 * Guests share the host kernel's read-only image. vmm boots guests on the
 * very kernel the host runs (/guest/kernel is obj/kern/kernel), loaded at
 * the same physical addresses as the host's. The host's text segment
 * (text, read-only data, symbols: [ktextseg, ektextseg) in kernel.ld) is
 * never written after the boot loader and never freed, so it can back
 * every guest's copy of it: when vmm maps a page it gives up
 * (EPT_MAY_SHARE) whose content is the host's page at that address, the
 * guest gets the host's page, read and execute only. The content is
 * compared here, never taken on the caller's word. (What a caller can
 * learn from it, whether a page it guessed is the host's, tells nothing:
 * the same bytes are /guest/kernel, which anyone may read.)
 *
 * The first write to such a page, by the guest (a nested page fault) or
 * by the hypervisor for it (guest_page_fill), gives the guest a private
 * copy first: copy on write. The host's pages hold a reference from boot
 * (page_init), so a guest dropping its references never frees them.
 *
 * Context: kernel lock held.
 */
#include <kern/pmap.h>
#include <vmm/vmm.h>

extern char ktextseg[], ektextseg[];	/* kern/kernel.ld: page aligned */

/* Is pa in the host kernel's shareable image? */
static bool
kshare_pa(physaddr_t pa)
{
	return pa >= PADDR(ktextseg) && pa < PADDR(ektextseg);
}

/* Is pp one of the host kernel's pages that guests share? */
bool
kshare_page(struct PageInfo *pp)
{
	return kshare_pa(page2pa(pp));
}

/*
 * Do two pages hold the same bytes? A word at a time: memcmp's byte loop
 * takes about 5 instructions a byte, some 9 M for the 1.7 MB that a
 * guest's boot compares.
 */
static bool
same_page(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;
	size_t i;

	for (i = 0; i < PGSIZE / sizeof(uint64_t); i++)
		if (x[i] != y[i])
			return false;
	return true;
}

/*
 * The page to map at guest-physical gpa for pp, which its owner gives up:
 * the host kernel's own page at that address if it holds the same bytes
 * (and can take one more reference), else pp.
 */
struct PageInfo *
kshare_lookup(struct PageInfo *pp, uint64_t gpa)
{
	struct PageInfo *host;

	if (PGOFF(gpa) || !kshare_pa(gpa))
		return pp;
	host = pa2page(gpa);
	if (host->pp_ref >= PAGE_REF_MAX || !same_page(page2kva(pp), page2kva(host)))
		return pp;
	return host;
}
