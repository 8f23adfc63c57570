/*
 * Self-checks for kern/pmap.c. mem_init runs each one as soon as the
 * code it checks is ready; each prints "NAME() succeeded!" or panics
 * with the failed assertion. make grade also builds kernels with a
 * deliberately broken page_free or page_insert (JOS_BREAK_*) and expects
 * these checks to catch them.
 */
#include <inc/x86.h>
#include <inc/error.h>
#include <inc/string.h>
#include <inc/assert.h>
#include <inc/env.h>
#include <kern/pmap.h>
#include <kern/pmap_check.h>
#include <kern/cpu.h>
#include <kern/env.h>

#define NO_MAPPING	(~(physaddr_t) 0)

/* The physical address va maps to in pml4, or NO_MAPPING. */
static physaddr_t
check_va2pa(pml4e_t *pml4, uintptr_t va)
{
	pte_t *pte = pml4e_walk(pml4, (void *) va, 0);

	if (!pte || !(*pte & PTE_P))
		return NO_MAPPING;
	return PTE_ADDR(*pte);
}

static size_t
count_free_pages(void)
{
	struct PageInfo *pp;
	size_t n = 0;

	for (pp = page_free_list; pp; pp = pp->pp_link) {
		assert(n < npages);		/* a cycle */
		n++;
	}
	return n;
}

/* Is pa inside the kernel's fixed or boot-allocated memory? */
static bool
in_boot_memory(physaddr_t pa)
{
	extern char end[];

	return (pa >= IOPHYSMEM && pa < PADDR(end)) ||
		(pa >= PADDR(pages) && pa < PADDR(pages + npages)) ||
		(pa >= PADDR(envs) && pa < PADDR(envs + NENV)) ||
		pa == PADDR(kern_pml4);
}

void
check_page_free_list(bool before_kern_pml4)
{
	struct PageInfo *pp;
	physaddr_t pa;
	size_t nfree = count_free_pages();

	assert(nfree > 0);
	for (pp = page_free_list; pp; pp = pp->pp_link) {
		assert(pp >= pages && pp < pages + npages);
		assert(pp->pp_ref == 0);
		pa = page2pa(pp);
		assert(pa != 0 && pa != MPENTRY_PADDR);
		assert(!in_boot_memory(pa));
		if (!before_kern_pml4)
			assert(check_va2pa(kern_pml4, KERNBASE + pa) == pa);
	}
	cprintf("check_page_free_list() succeeded!\n");
}

void
check_page_alloc(void)
{
	struct PageInfo *pp0, *pp1, *pp2, *pp, *saved;
	size_t nfree = count_free_pages();
	uint8_t *p;
	int i;

	assert((pp0 = page_alloc(0)) && (pp1 = page_alloc(0)) && (pp2 = page_alloc(0)));
	assert(pp0 != pp1 && pp1 != pp2 && pp0 != pp2);
	assert(page2pa(pp0) < npages * PGSIZE && page2pa(pp2) < npages * PGSIZE);
	assert(count_free_pages() == nfree - 3);

	/* With an empty free list, allocation fails; freed pages come back. */
	saved = page_free_list;
	page_free_list = NULL;
	assert(page_alloc(0) == NULL);
	page_free(pp0);
	page_free(pp1);
	page_free(pp2);
	assert(count_free_pages() == 3);
	for (i = 0; i < 3; i++) {
		pp = page_alloc(0);
		assert(pp == pp0 || pp == pp1 || pp == pp2);
	}
	assert(page_alloc(0) == NULL);

	/* ALLOC_ZERO really zeroes. */
	memset(page2kva(pp0), 1, PGSIZE);
	page_free(pp0);
	assert(page_alloc(ALLOC_ZERO) == pp0);
	for (p = page2kva(pp0), i = 0; i < PGSIZE; i++)
		assert(p[i] == 0);

	page_free_list = saved;
	page_free(pp0);
	page_free(pp1);
	page_free(pp2);
	assert(count_free_pages() == nfree);
	cprintf("check_page_alloc() succeeded!\n");
}

/* The three page-table pages created for va 0 must be exactly tbl[]. */
static void
check_tables_for_va0(struct PageInfo *tbl[3])
{
	physaddr_t pdpt = PTE_ADDR(kern_pml4[0]);
	physaddr_t pd = PTE_ADDR(((pdpe_t *) KADDR(pdpt))[0]);
	physaddr_t pt = PTE_ADDR(((pde_t *) KADDR(pd))[0]);
	int i, found = 0;

	for (i = 0; i < 3; i++) {
		assert(tbl[i]->pp_ref == 1);
		found += page2pa(tbl[i]) == pdpt || page2pa(tbl[i]) == pd ||
			 page2pa(tbl[i]) == pt;
	}
	assert(found == 3);
	assert(pml4e_walk(kern_pml4, (void *) PGSIZE, 0) == (pte_t *) KADDR(pt) + 1);
}

/* user_mem_check over pages at 0 (user-readable) and PGSIZE (kernel only). */
static void
check_user_mem(void)
{
	struct Env env = { .env_pml4 = kern_pml4 };

	assert(user_mem_check(&env, (void *) 0, PGSIZE, 0) == 0);
	assert(user_mem_check(&env, (void *) 0, PGSIZE, PTE_W) == -E_FAULT);
	assert(user_mem_check(&env, (void *) (PGSIZE - 1), 2, 0) == -E_FAULT);
	assert(user_mem_check_addr == PGSIZE);
	assert(user_mem_check(&env, (void *) (2 * PGSIZE + 8), 1, 0) == -E_FAULT);
	assert(user_mem_check_addr == 2 * PGSIZE + 8);
	assert(user_mem_check(&env, (void *) ~0UL, 2, 0) == -E_FAULT);
	assert(user_mem_check(&env, (void *) ULIM, 1, 0) == -E_FAULT);
}

void
check_page(void)
{
	struct PageInfo *tbl[3], *pp1, *pp2, *saved, *pp;
	pte_t *pte;
	int i;

	for (i = 0; i < 3; i++)
		assert((tbl[i] = page_alloc(0)));
	assert((pp1 = page_alloc(0)) && (pp2 = page_alloc(0)));
	saved = page_free_list;
	page_free_list = NULL;

	/* No memory for page tables: the insert fails and changes nothing. */
	assert(page_lookup(kern_pml4, (void *) 0, &pte) == NULL);
	assert(page_insert(kern_pml4, pp1, (void *) 0, PTE_W) == -E_NO_MEM);
	assert(pp1->pp_ref == 0);

	/* Three free pages become the PDPT, PD and PT. */
	for (i = 0; i < 3; i++)
		page_free(tbl[i]);
	assert(page_insert(kern_pml4, pp1, (void *) 0, PTE_W) == 0);
	assert(pp1->pp_ref == 1);
	assert(page_free_list == NULL);
	assert(check_va2pa(kern_pml4, 0) == page2pa(pp1));

	/* A second mapping of the same page shares the page table. */
	assert(page_insert(kern_pml4, pp1, (void *) PGSIZE, PTE_W) == 0);
	assert(pp1->pp_ref == 2);
	check_tables_for_va0(tbl);

	/* Re-inserting in place keeps the count and updates the permissions. */
	assert(page_insert(kern_pml4, pp1, (void *) PGSIZE, PTE_W | PTE_U) == 0);
	assert(pp1->pp_ref == 2);
	assert(page_lookup(kern_pml4, (void *) PGSIZE, &pte) == pp1 && (*pte & PTE_U));

	/* Replacing a mapping releases the old page. */
	assert(page_insert(kern_pml4, pp2, (void *) PGSIZE, PTE_W) == 0);
	assert(pp1->pp_ref == 1 && pp2->pp_ref == 1);
	assert(check_va2pa(kern_pml4, PGSIZE) == page2pa(pp2));

	/* A va needing a new page table fails cleanly. */
	assert(page_insert(kern_pml4, pp1, (void *) PTSIZE, PTE_W) == -E_NO_MEM);
	assert(pp1->pp_ref == 1);

	assert(page_insert(kern_pml4, pp1, (void *) 0, PTE_U) == 0);
	assert(pp1->pp_ref == 1);
	check_user_mem();

	/* Removing the last mapping frees the page. */
	page_remove(kern_pml4, (void *) 0);
	assert(check_va2pa(kern_pml4, 0) == NO_MAPPING);
	assert(pp1->pp_ref == 0 && page_free_list == pp1);
	page_remove(kern_pml4, (void *) PGSIZE);
	assert(pp2->pp_ref == 0 && page_free_list == pp2);
	page_remove(kern_pml4, (void *) PGSIZE);	/* removing nothing is fine */

	/* Tearing down the tables returns all five pages. */
	pml4e_free(&kern_pml4[0]);
	assert(kern_pml4[0] == 0);
	assert(count_free_pages() == 5);
	for (pp = page_free_list; pp->pp_link; pp = pp->pp_link)
		;
	pp->pp_link = saved;
	cprintf("check_page() succeeded!\n");
}

/* [va, va+size) maps [pa, pa+size) with exactly the permission bits perm. */
static void
check_range(uintptr_t va, size_t size, physaddr_t pa, uint64_t perm)
{
	size_t off;
	pte_t *pte;

	for (off = 0; off < size; off += PGSIZE) {
		pte = pml4e_walk(kern_pml4, (void *) (va + off), 0);
		assert(pte && PTE_ADDR(*pte) == pa + off);
		assert((*pte & (PTE_P | PTE_W | PTE_U)) == perm);
	}
}

void
check_kern_pml4(void)
{
	size_t pages_size = ROUNDUP(npages * sizeof(struct PageInfo), PGSIZE);
	uintptr_t off;
	int i;

	check_range(KERNBASE, npages * PGSIZE, 0, PTE_P | PTE_W);
	check_range(UPAGES, pages_size, PADDR(pages), PTE_P | PTE_U);
	check_range(UENVS, ROUNDUP(NENV * sizeof(struct Env), PGSIZE), PADDR(envs), PTE_P | PTE_U);
	for (i = 0; i < NCPU; i++) {
		check_range(kstacktop(i) - KSTKSIZE, KSTKSIZE, PADDR(percpu_kstacks[i]),
			    PTE_P | PTE_W);
		for (off = 0; off < KSTKGAP; off += PGSIZE)
			assert(check_va2pa(kern_pml4, kstacktop(i) - KSTKSIZE - KSTKGAP + off)
			       == NO_MAPPING);
	}
	assert(check_va2pa(kern_pml4, KERNBASE + npages * PGSIZE) == NO_MAPPING ||
	       npages * PGSIZE == PHYSMEM_MAX);

	/* Only the kernel's slots are in use; the self-map is read-only. */
	for (i = 0; i < NPTENTRIES; i++) {
		if (i == PML4X(UPAGES) || i == PML4X(KERNBASE))
			assert((kern_pml4[i] & (PTE_P | PTE_W | PTE_U)) == (PTE_P | PTE_W | PTE_U));
		else if (i == PML4X(UVPT))
			assert(kern_pml4[i] == (PADDR(kern_pml4) | PTE_P | PTE_U));
		else
			assert(kern_pml4[i] == 0);
	}
	cprintf("check_kern_pml4() succeeded!\n");
}

void
check_page_installed_pml4(void)
{
	struct PageInfo *pp1, *pp2;
	volatile uint32_t *utemp = (uint32_t *) UTEMP;
	const pte_t *uvpt = (const pte_t *) UVPT;
	const pml4e_t *uvpml4 = (const pml4e_t *) UVPML4;
	const struct PageInfo *upages = (const struct PageInfo *) UPAGES;

	assert(rcr3() == PADDR(kern_pml4));
	assert((pp1 = page_alloc(0)) && (pp2 = page_alloc(0)));
	memset(page2kva(pp1), 1, PGSIZE);
	memset(page2kva(pp2), 2, PGSIZE);

	/* Writes through a fresh mapping land in the page; remapping flushes the TLB. */
	assert(page_insert(kern_pml4, pp1, (void *) UTEMP, PTE_W) == 0);
	assert(*utemp == 0x01010101);
	assert(page_insert(kern_pml4, pp2, (void *) UTEMP, PTE_W) == 0);
	assert(*utemp == 0x02020202);
	assert(pp1->pp_ref == 0);
	*utemp = 0x03030303;
	assert(*(uint32_t *) page2kva(pp2) == 0x03030303);

	/* The self-map shows the same entries the walk finds. */
	assert(uvpt[PGNUM(UTEMP)] == *pml4e_walk(kern_pml4, (void *) UTEMP, 0));
	assert(uvpml4[PML4X(UTEMP)] == kern_pml4[0]);
	assert(upages[page2pa(pp2) >> PGSHIFT].pp_ref == 1);

	page_remove(kern_pml4, (void *) UTEMP);
	assert(pp2->pp_ref == 0);
	pml4e_free(&kern_pml4[0]);
	lcr3(PADDR(kern_pml4));
	cprintf("check_page_installed_pml4() succeeded!\n");
}
