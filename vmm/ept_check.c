/*
 * The sys_ept_map self-test, on whichever backend's nested page tables
 * (EPT or NPT). It runs once at boot, where guests can run, on scratch
 * environments of its own, and checks every way the call can be misused
 * - each must fail without changing any reference count - then the
 * mapping that must work, and running out of memory.
 */
#include <inc/error.h>
#include <inc/string.h>
#include <inc/assert.h>
#include <kern/env.h>
#include <kern/pmap.h>
#include <kern/pmap_check.h>
#include <kern/syscall.h>
#include <vmm/vmm.h>

#define SRC_RW		UTEMP_VA		/* a writable page of the source */
#define SRC_RO		(UTEMP_VA + PGSIZE)	/* a read-only page */
#define SRC_NONE	(UTEMP_VA + 2 * PGSIZE)	/* nothing mapped */
#define GUEST_MEM	(PDPSIZE + PTSIZE)	/* 1 GB + 2 MB: two page directories */
#define BAD_ENVID	0x7ffff000

static int ncases;

/* One misuse: it must fail with err and leave both pages' counts at one. */
static void
expect_fail(struct Env *src, uintptr_t va, struct Env *guest, uint64_t gpa, int perm,
	    int err, struct PageInfo *rw, struct PageInfo *ro)
{
	int r = ept_map_page(src, va, guest, gpa, perm);

	if (r != err)
		panic("ept_map_page(va %lx, gpa %lx, perm %x) returned %e, expected %e",
		      va, gpa, perm, r, err);
	assert(rw->pp_ref == 1 && ro->pp_ref == 1);
	ncases++;
}

/* The checks made before any Env is looked at: through the system call itself. */
static void
check_syscall_envs(void)
{
	assert(syscall(SYS_ept_map, BAD_ENVID, SRC_RW, 0, 0, EPT_RWX) == -E_BAD_ENV);
	assert(syscall(SYS_ept_map, 0, SRC_RW, BAD_ENVID, 0, EPT_RWX) == -E_BAD_ENV);
	ncases += 2;
}

static void
check_misuse(struct Env *src, struct Env *guest, struct PageInfo *rw, struct PageInfo *ro)
{
	expect_fail(src, SRC_RW, src, 0, EPT_RWX, -E_INVAL, rw, ro);	/* not a guest */
	expect_fail(src, UTOP, guest, 0, EPT_RWX, -E_INVAL, rw, ro);	/* srcva >= UTOP */
	expect_fail(src, SRC_RW + 8, guest, 0, EPT_RWX, -E_INVAL, rw, ro);	/* unaligned */
	expect_fail(src, SRC_NONE, guest, 0, EPT_RWX, -E_INVAL, rw, ro);	/* unmapped */
	expect_fail(src, SRC_RW, guest, 8, EPT_RWX, -E_INVAL, rw, ro);	/* gpa unaligned */
	expect_fail(src, SRC_RW, guest, GUEST_MEM, EPT_RWX, -E_INVAL, rw, ro); /* outside */
	expect_fail(src, SRC_RW, guest, 0, 0, -E_INVAL, rw, ro);		/* no permission */
	expect_fail(src, SRC_RW, guest, 0, EPT_W, -E_INVAL, rw, ro);	/* write, no read */
	expect_fail(src, SRC_RW, guest, 0, EPT_RWX | 0x8, -E_INVAL, rw, ro); /* unknown bits */
	expect_fail(src, SRC_RO, guest, 0, EPT_RWX, -E_INVAL, rw, ro);	/* write to RO */
}

static void
check_good_maps(struct Env *src, struct Env *guest, struct PageInfo *rw, struct PageInfo *ro)
{
	struct PageInfo *saved;
	void *hva;

	assert(ept_map_page(src, SRC_RW, guest, 0, EPT_RWX) == 0);
	assert(rw->pp_ref == 2);
	assert(vmm_backend->npt_lookup(guest->env_pml4, 0, &hva) == 0 && hva == page2kva(rw));
	assert(ept_map_page(src, SRC_RO, guest, PGSIZE, EPT_R | EPT_X) == 0);
	assert(ro->pp_ref == 2);
	ncases += 2;

	/* Remapping a gpa in use fails and changes nothing. */
	assert(ept_map_page(src, SRC_RO, guest, 0, EPT_R) == -E_INVAL);
	assert(rw->pp_ref == 2 && ro->pp_ref == 2);
	ncases++;

	/* A gpa needing new tables, with no free memory: -E_NO_MEM, nothing lost. */
	saved = page_free_list;
	page_free_list = NULL;
	assert(ept_map_page(src, SRC_RW, guest, PDPSIZE, EPT_RWX) == -E_NO_MEM);
	page_free_list = saved;
	assert(rw->pp_ref == 2);
	ncases++;
}

void
check_ept_map(void)
{
	struct VmxGuestInfo *info;
	struct Env src, guest;
	struct PageInfo *rw, *ro, *pml4, *infopage;

	check_syscall_envs();
	memset(&src, 0, sizeof src);
	memset(&guest, 0, sizeof guest);
	assert((pml4 = page_alloc(ALLOC_ZERO)) && (infopage = page_alloc(ALLOC_ZERO)));
	assert((rw = page_alloc(ALLOC_ZERO)) && (ro = page_alloc(ALLOC_ZERO)));
	src.env_type = ENV_TYPE_USER;
	src.env_pml4 = page2kva(pml4);
	assert(page_insert(src.env_pml4, rw, (void *) SRC_RW, PTE_U | PTE_W) == 0);
	assert(page_insert(src.env_pml4, ro, (void *) SRC_RO, PTE_U) == 0);
	info = page2kva(infopage);
	info->phys_sz = GUEST_MEM;
	guest.env_type = ENV_TYPE_GUEST;
	guest.env_vmxinfo = info;
	assert((guest.env_pml4 = guest_table_alloc()));

	check_misuse(&src, &guest, rw, ro);
	check_good_maps(&src, &guest, rw, ro);

	/* Freeing the guest's EPT gives back exactly its references. */
	guest_table_free(guest.env_pml4);
	assert(rw->pp_ref == 1 && ro->pp_ref == 1);
	pml4e_free(&src.env_pml4[0]);	/* frees rw and ro with their tables */
	page_free(pml4);
	page_free(infopage);
	cprintf("[VMM] sys_ept_map self-test (%s): all %d cases passed\n", vmm_backend->name,
		ncases);
}
