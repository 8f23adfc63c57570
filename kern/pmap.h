/* Physical page allocation and page-table management. */
#ifndef JOS_KERN_PMAP_H
#define JOS_KERN_PMAP_H

#include <inc/memlayout.h>
#include <inc/assert.h>

struct Env;

extern char bootstacktop[], bootstack[];
extern struct PageInfo *pages;
extern size_t npages;
extern pml4e_t *kern_pml4;
extern physaddr_t kern_cr3;

/* Kernel virtual address of physical address pa (through the KERNBASE window). */
#define KADDR(pa) _kaddr(__FILE__, __LINE__, pa)
/* Physical address of a kernel virtual address in the KERNBASE window. */
#define PADDR(kva) _paddr(__FILE__, __LINE__, kva)

static inline physaddr_t
_paddr(const char *file, int line, const void *kva)
{
	if ((uintptr_t) kva < KERNBASE)
		_panic(file, line, "PADDR called with invalid kva %p", kva);
	return (physaddr_t) kva - KERNBASE;
}

static inline void *
_kaddr(const char *file, int line, physaddr_t pa)
{
	if (pa >= PHYSMEM_MAX)
		_panic(file, line, "KADDR called with invalid pa %lx", pa);
	return (void *) (pa + KERNBASE);
}

enum {
	ALLOC_ZERO = 1 << 0,	/* page_alloc returns a zeroed page */
};

void mem_init(physaddr_t bootinfo_pa);

void page_init(void);
struct PageInfo *page_alloc(int alloc_flags);
void page_free(struct PageInfo *pp);
size_t page_free_count(void);
int page_incref(struct PageInfo *pp);
void page_decref(struct PageInfo *pp);
int page_insert(pml4e_t *pml4, struct PageInfo *pp, void *va, int perm);
void page_remove(pml4e_t *pml4, void *va);
struct PageInfo *page_lookup(pml4e_t *pml4, void *va, pte_t **pte_store);
pte_t *pml4e_walk(pml4e_t *pml4, const void *va, int create);
void pml4e_free(pml4e_t *pml4e);
void boot_map_region(pml4e_t *pml4, uintptr_t va, size_t size, physaddr_t pa, int perm);
void tlb_invalidate(pml4e_t *pml4, void *va);
void *mmio_map_region(physaddr_t pa, size_t size);

int user_mem_check(struct Env *env, const void *va, size_t len, int perm);
extern uintptr_t user_mem_check_addr;
void user_mem_assert(struct Env *env, const void *va, size_t len, int perm);	/* first bad address of the last failed check */

static inline physaddr_t
page2pa(struct PageInfo *pp)
{
	return (pp - pages) << PGSHIFT;
}

static inline struct PageInfo *
pa2page(physaddr_t pa)
{
	if (PGNUM(pa) >= npages)
		panic("pa2page called with invalid pa %lx", pa);
	return &pages[PGNUM(pa)];
}

static inline void *
page2kva(struct PageInfo *pp)
{
	return KADDR(page2pa(pp));
}

#endif /* !JOS_KERN_PMAP_H */
