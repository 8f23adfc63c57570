/*
 * Physical memory and the kernel's page tables.
 *
 * At boot, mem_init reads the e820 map the boot loader handed over,
 * sizes the pages[] array (one struct PageInfo per physical page up to
 * the top of RAM), threads the free pages onto page_free_list, and builds
 * kern_pml4: all of physical memory at KERNBASE, the per-CPU kernel
 * stacks, read-only views of pages[] (and later envs[]) for user
 * programs, and the self-map at UVPT. Every step is followed by a
 * self-check (kern/pmap_check.c) that prints a success line.
 */
#include <inc/x86.h>
#include <inc/mmu.h>
#include <inc/error.h>
#include <inc/string.h>
#include <inc/assert.h>
#include <inc/env.h>
#include <inc/multiboot.h>
#include <inc/vmx.h>
#include <kern/pmap.h>
#include <kern/pmap_check.h>
#include <kern/cpu.h>
#include <kern/env.h>

size_t npages;				/* physical pages up to the top of RAM */
struct PageInfo *pages;
struct PageInfo *page_free_list;
pml4e_t *kern_pml4;
physaddr_t kern_cr3;

/* The usable RAM ranges from the e820 map, page-aligned. */
static struct {
	physaddr_t start, end;
} ram[BOOTMMAP_MAX];
static int nram;

static char *nextfree;			/* boot_alloc's next free byte */

/* Record one e820 entry, clipped to the part the kernel can map. */
static void
add_e820_region(const struct multiboot_mmap_entry *e)
{
	physaddr_t start = ROUNDUP(e->addr, PGSIZE);
	physaddr_t end = ROUNDDOWN(MIN(e->addr + e->len, (uint64_t) PHYSMEM_MAX), PGSIZE);

	if (e->type != E820_RAM || start >= end || nram == BOOTMMAP_MAX)
		return;
	ram[nram].start = start;
	ram[nram].end = end;
	nram++;
	if (end / PGSIZE > npages)
		npages = end / PGSIZE;
}

static void
detect_memory(physaddr_t bootinfo_pa)
{
	struct multiboot_info *mbi = KADDR(bootinfo_pa);
	uint8_t *p = KADDR(mbi->mmap_addr);
	uint8_t *e = p + mbi->mmap_length;
	size_t usable = 0;
	int i;

	if (!(mbi->flags & MULTIBOOT_INFO_MEM_MAP))
		panic("the boot loader passed no memory map");
	for (; p < e; p += ((struct multiboot_mmap_entry *) p)->size + 4)
		add_e820_region((struct multiboot_mmap_entry *) p);
	if (nram == 0)
		panic("the e820 memory map lists no usable RAM");
	for (i = 0; i < nram; i++)
		usable += ram[i].end - ram[i].start;
	cprintf("Physical memory: %luK usable in %d ranges, %lu pages up to %luM\n",
		usable / 1024, nram, npages, npages * PGSIZE / (1024 * 1024));
}

/*
 * Allocate n bytes (rounded up to whole pages) of kernel memory before
 * the page allocator exists. boot_alloc(0) returns the next free address.
 */
static void *
boot_alloc(size_t n)
{
	extern char end[];
	char *result;

	if (!nextfree)
		nextfree = ROUNDUP((char *) end, PGSIZE);
	result = nextfree;
	nextfree += ROUNDUP(n, PGSIZE);
	if (PADDR(nextfree) > npages * PGSIZE)
		panic("boot_alloc: out of memory");
	return result;
}

static bool
in_ram(physaddr_t pa)
{
	int i;

	for (i = 0; i < nram; i++)
		if (pa >= ram[i].start && pa < ram[i].end)
			return true;
	return false;
}

/* May the page at pa go on the free list? */
static bool
page_is_free_at_boot(physaddr_t pa)
{
	if (pa == 0 || pa == MPENTRY_PADDR)	/* BIOS data; AP start-up code */
		return false;
	if (pa >= IOPHYSMEM && pa < PADDR(boot_alloc(0)))	/* hole, kernel, boot_alloc */
		return false;
	return in_ram(pa);
}

/*
 * Does the free page at pa hold zeros at boot? In a guest, above 1 MB:
 * its hypervisor backs memory with zeroed pages and wrote nothing there
 * but the kernel (vmm's loader; the boot stub is below 1 MB). On a PC,
 * memory holds whatever it holds.
 */
static bool
page_is_zero_at_boot(physaddr_t pa)
{
	return VMM_GUEST && pa >= EXTPHYSMEM;
}

/*
 * Build the free list. Pages that are not free get pp_ref 1 so they can
 * never be freed by accident. The list runs from low to high addresses.
 */
void
page_init(void)
{
	size_t i;

	page_free_list = NULL;
	for (i = npages; i-- > 0; ) {
		pages[i].pp_link = NULL;
		pages[i].pp_zeroed = false;
		if (page_is_free_at_boot(i * PGSIZE)) {
			pages[i].pp_ref = 0;
			pages[i].pp_zeroed = page_is_zero_at_boot(i * PGSIZE);
			pages[i].pp_link = page_free_list;
			page_free_list = &pages[i];
		} else {
			pages[i].pp_ref = 1;
		}
	}
}

/*
 * A free page (zeroed with ALLOC_ZERO), or NULL. The caller counts
 * references. A page never used since boot that holds zeros is not
 * zeroed again: in a guest that saves the writes, and the host the
 * backing of the page, until the page's first real use.
 */
struct PageInfo *
page_alloc(int alloc_flags)
{
	struct PageInfo *pp = page_free_list;

	if (!pp)
		return NULL;
	page_free_list = pp->pp_link;
	pp->pp_link = NULL;
	if ((alloc_flags & ALLOC_ZERO) && !pp->pp_zeroed)
		memset(page2kva(pp), 0, PGSIZE);
	pp->pp_zeroed = false;
	return pp;
}

/* How many pages are on the free list (a walk: for rare questions only). */
size_t
page_free_count(void)
{
	struct PageInfo *pp;
	size_t n = 0;

	for (pp = page_free_list; pp; pp = pp->pp_link)
		n++;
	return n;
}

void
page_free(struct PageInfo *pp)
{
	if (pp->pp_ref != 0 || pp->pp_link != NULL)
		panic("page_free: page %lx is still in use", page2pa(pp));
#ifndef JOS_BREAK_PAGE_FREE	/* a test build loses freed pages: the checks must notice */
	pp->pp_link = page_free_list;
	page_free_list = pp;
#endif
}

/*
 * One more reference to pp, unless its count is full: a user can map one
 * page as often as it likes, and a wrapped count would free a page that
 * is still mapped.
 */
int
page_incref(struct PageInfo *pp)
{
	if (pp->pp_ref >= PAGE_REF_MAX)
		return -E_NO_MEM;
	pp->pp_ref++;
	return 0;
}

void
page_decref(struct PageInfo *pp)
{
	if (--pp->pp_ref == 0)
		page_free(pp);
}

/* The table an entry points to, creating it if asked; NULL if absent. */
static uint64_t *
next_table(uint64_t *entry, int create)
{
	struct PageInfo *pp;

	if (*entry & PTE_P)
		return (*entry & PTE_PS) ? NULL : KADDR(PTE_ADDR(*entry));
	if (!create || !(pp = page_alloc(ALLOC_ZERO)))
		return NULL;
	pp->pp_ref++;
	/* Intermediate levels allow everything; the leaf entry decides. */
	*entry = page2pa(pp) | PTE_P | PTE_W | PTE_U;
	return page2kva(pp);
}

/* The page table entry for va, creating missing tables if create is set. */
pte_t *
pml4e_walk(pml4e_t *pml4, const void *va, int create)
{
	pdpe_t *pdpt;
	pde_t *pd;
	pte_t *pt;

	if (!(pdpt = next_table(&pml4[PML4X(va)], create)))
		return NULL;
	if (!(pd = next_table(&pdpt[PDPX(va)], create)))
		return NULL;
	if (!(pt = next_table(&pd[PDX(va)], create)))
		return NULL;
	return &pt[PTX(va)];
}

/* Map [va, va+size) to [pa, pa+size) for good: no reference counts. */
void
boot_map_region(pml4e_t *pml4, uintptr_t va, size_t size, physaddr_t pa, int perm)
{
	size_t off;
	pte_t *pte;

	assert(PGOFF(va) == 0 && PGOFF(pa) == 0 && PGOFF(size) == 0);
	for (off = 0; off < size; off += PGSIZE) {
		if (!(pte = pml4e_walk(pml4, (void *) (va + off), 1)))
			panic("boot_map_region: out of memory");
		*pte = (pa + off) | perm | PTE_P;
	}
}

struct PageInfo *
page_lookup(pml4e_t *pml4, void *va, pte_t **pte_store)
{
	pte_t *pte = pml4e_walk(pml4, va, 0);

	if (!pte || !(*pte & PTE_P))
		return NULL;
	if (pte_store)
		*pte_store = pte;
	return pa2page(PTE_ADDR(*pte));
}

void
page_remove(pml4e_t *pml4, void *va)
{
	pte_t *pte;
	struct PageInfo *pp = page_lookup(pml4, va, &pte);

	if (!pp)
		return;
	*pte = 0;
	tlb_invalidate(pml4, va);
	page_decref(pp);
}

/*
 * Map pp at va with permissions perm | PTE_P, replacing what was there.
 * Returns -E_NO_MEM if a page table could not be allocated.
 */
int
page_insert(pml4e_t *pml4, struct PageInfo *pp, void *va, int perm)
{
	pte_t *pte = pml4e_walk(pml4, va, 1);

	if (!pte)
		return -E_NO_MEM;
#ifndef JOS_BREAK_PAGE_INSERT	/* a test build miscounts references: the checks must notice */
	/* First, so re-inserting the same page does not free it. */
	if (page_incref(pp) < 0)
		return -E_NO_MEM;
#endif
	if (*pte & PTE_P)
		page_remove(pml4, va);
	*pte = page2pa(pp) | perm | PTE_P;
	return 0;
}

/* Drop every page and table under one paging entry; depth 3 = a PML4E. */
static void
free_subtree(uint64_t *entry, int depth)
{
	uint64_t *table;
	int i;

	if (!(*entry & PTE_P))
		return;
	if (depth > 0) {
		table = KADDR(PTE_ADDR(*entry));
		for (i = 0; i < NPTENTRIES; i++)
			free_subtree(&table[i], depth - 1);
	}
	page_decref(pa2page(PTE_ADDR(*entry)));
	*entry = 0;
}

/*
 * Unmap everything under one PML4 entry and free its page tables.
 * The caller flushes the TLB if the address space is in use.
 */
void
pml4e_free(pml4e_t *pml4e)
{
	free_subtree(pml4e, 3);
}

/* Drop a stale translation, if pml4 is the address space in use. */
void
tlb_invalidate(pml4e_t *pml4, void *va)
{
	if (rcr3() == PADDR(pml4))
		invlpg(va);
}

/* Map device memory [pa, pa+size) uncached at the next free MMIO address. */
void *
mmio_map_region(physaddr_t pa, size_t size)
{
	static uintptr_t base = MMIOBASE;
	uintptr_t va = base;

	size = ROUNDUP(size + PGOFF(pa), PGSIZE);
	if (base + size > MMIOLIM)
		panic("mmio_map_region: MMIO area exhausted");
	boot_map_region(kern_pml4, base, size, ROUNDDOWN(pa, PGSIZE),
			PTE_PCD | PTE_PWT | PTE_W);
	base += size;
	return (void *) (va + PGOFF(pa));
}

/* The first faulting address of the last failed user_mem_check. */
uintptr_t user_mem_check_addr;

/* The permissions of va as the MMU sees them: the AND over all levels. */
static uint64_t
effective_perm(pml4e_t *pml4, uintptr_t va)
{
	uint64_t *table = pml4, e = 0, perm = PTE_P | PTE_W | PTE_U;
	int shift;

	for (shift = PML4SHIFT; shift >= PGSHIFT; shift -= 9) {
		e = table[(va >> shift) & (NPTENTRIES - 1)];
		perm &= e;
		if (!(e & PTE_P) || (e & PTE_PS))
			break;
		table = KADDR(PTE_ADDR(e));
	}
	return (e & PTE_PS) ? 0 : perm;
}

/*
 * Can env access [va, va+len) with permissions perm | PTE_P (and PTE_U)?
 * Returns 0 or -E_FAULT, remembering the first bad address.
 */
int
user_mem_check(struct Env *env, const void *va, size_t len, int perm)
{
	uintptr_t start = (uintptr_t) va, a = ROUNDDOWN(start, PGSIZE);
	uintptr_t end = start + len;
	uint64_t want = perm | PTE_P | PTE_U;

	if (end < start) {		/* wrapped around */
		user_mem_check_addr = start;
		return -E_FAULT;
	}
	for (; a < end; a += PGSIZE) {
		if (a >= ULIM || (effective_perm(env->env_pml4, a) & want) != want) {
			user_mem_check_addr = MAX(a, start);
			return -E_FAULT;
		}
	}
	return 0;
}

/* Like user_mem_check, but destroys env (not returning if it is curenv) on failure. */
void
user_mem_assert(struct Env *env, const void *va, size_t len, int perm)
{
	if (user_mem_check(env, va, len, perm | PTE_U) < 0) {
		cprintf("[%08x] user_mem_check assertion failure for va %lx\n",
			env->env_id, user_mem_check_addr);
		env_destroy(env);
	}
}

/* The kernel's permanent mappings, above UTOP. */
static void
map_kernel(void)
{
	int i;

	boot_map_region(kern_pml4, UPAGES, ROUNDUP(npages * sizeof(struct PageInfo), PGSIZE),
			PADDR(pages), PTE_U);
	boot_map_region(kern_pml4, UENVS, ROUNDUP(NENV * sizeof(struct Env), PGSIZE),
			PADDR(envs), PTE_U);
	for (i = 0; i < NCPU; i++)
		boot_map_region(kern_pml4, kstacktop(i) - KSTKSIZE, KSTKSIZE,
				PADDR(percpu_kstacks[i]), PTE_W);
	boot_map_region(kern_pml4, KERNBASE, npages * PGSIZE, 0, PTE_W);
}

void
mem_init(physaddr_t bootinfo_pa)
{
	detect_memory(bootinfo_pa);

	kern_pml4 = boot_alloc(PGSIZE);
	memset(kern_pml4, 0, PGSIZE);
	kern_pml4[PML4X(UVPT)] = PADDR(kern_pml4) | PTE_U | PTE_P;

	pages = boot_alloc(npages * sizeof(struct PageInfo));
	memset(pages, 0, npages * sizeof(struct PageInfo));
	envs = boot_alloc(NENV * sizeof(struct Env));
	memset(envs, 0, NENV * sizeof(struct Env));

	page_init();
	check_page_free_list(true);
	check_page_alloc();
	check_page();

	map_kernel();
	check_kern_pml4();

	kern_cr3 = PADDR(kern_pml4);
	lcr3(kern_cr3);
	check_page_free_list(false);
	check_page_installed_pml4();
}
