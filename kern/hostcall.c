/*
 * A guest kernel's side of the path from its file server to the host's:
 * the system calls through which a user environment of a guest reaches
 * the hypervisor's IPC hypercalls (sys_host_ipc, and sys_host_call for a
 * batch of pages), and only the guest's file server may make them. The
 * kernel turns the caller's page addresses into guest-physical ones and
 * makes the hypercall itself, so no user program of a guest ever names
 * guest-physical memory (the hypervisor refuses these hypercalls from
 * guest ring 3).
 *
 * Runs in a guest kernel only, with the kernel lock held; the hypercall
 * may block the whole virtual machine until the host answers.
 */
#include <inc/assert.h>
#include <inc/error.h>
#include <inc/vmx.h>
#include <inc/fs.h>
#include <kern/env.h>
#include <kern/pmap.h>
#include <kern/hostcall.h>

/*
 * The guest-physical address of the caller's page at va (VMX_IPC_NOPAGE
 * for none), which must be a user page, writable if need_w. A page the
 * host replaces (a reply) must be the caller's alone.
 */
static int
gpa_of(void *va, bool need_w, bool replaced, uint64_t *gpa)
{
	struct PageInfo *pp;
	pte_t *pte;

	if (va == NULL) {
		*gpa = VMX_IPC_NOPAGE;
		return 0;
	}
	if ((uintptr_t) va >= UTOP || PGOFF(va))
		return -E_INVAL;
	if (!(pp = page_lookup(curenv->env_pml4, va, &pte)) || !(*pte & PTE_U))
		return -E_INVAL;
	if ((need_w && !(*pte & PTE_W)) || (replaced && pp->pp_ref != 1))
		return -E_INVAL;
	*gpa = page2pa(pp);
	return 0;
}

/*
 * call is VMX_VMCALL_IPCSEND, _IPCRECV or _IPCCALL; value, the page at
 * va with perm, and the reply page at reply_va as inc/vmx.h describes.
 */
int64_t
sys_host_ipc(uint64_t call, uint32_t value, void *va, int perm, void *reply_va)
{
	uint64_t gpa, reply_gpa;
	int r;

	if (!VMM_GUEST || curenv->env_type != ENV_TYPE_FS)
		return -E_PERM;
	if (call != VMX_VMCALL_IPCSEND && call != VMX_VMCALL_IPCRECV &&
	    call != VMX_VMCALL_IPCCALL)
		return -E_INVAL;
	if ((r = gpa_of(va, perm & PTE_W, false, &gpa)) < 0 ||
	    (r = gpa_of(reply_va, true, true, &reply_gpa)) < 0)
		return r;
	if (call == VMX_VMCALL_IPCRECV)
		return hypercall(call, reply_gpa, 0, 0, 0);
	return hypercall(call, value, gpa, perm, reply_gpa);
}

static_assert(sizeof(struct host_pages) <= PGSIZE);

/*
 * The page behind the caller's va for the host to fill: the one mapped
 * there (the caller's alone), or a fresh one, mapped only once the host
 * has filled it (*fresh; its old bytes never reach the caller).
 */
static int
page_to_fill(void *va, uint64_t *gpa, struct PageInfo **fresh)
{
	*fresh = NULL;
	if (va == NULL || (uintptr_t) va >= UTOP || PGOFF(va))
		return -E_INVAL;
	if (page_lookup(curenv->env_pml4, va, NULL))
		return gpa_of(va, true, true, gpa);
	if (!(*fresh = page_alloc(0)))
		return -E_NO_MEM;
	*gpa = page2pa(*fresh);
	return 0;
}

/* After the host's answer r: map the fresh pages if it filled them, else free them. */
static int
map_filled(int64_t r, void *const *vas, struct PageInfo **fresh, size_t n)
{
	size_t i;
	int err = 0;

	for (i = 0; i < n; i++) {
		if (!fresh[i])
			continue;
		if (r >= 0 && !err)
			err = page_insert(curenv->env_pml4, fresh[i], vas[i], PTE_P | PTE_U | PTE_W);
		if (!fresh[i]->pp_ref)
			page_free(fresh[i]);
	}
	return err;
}

/*
 * A request to the host's file server about n of the caller's pages (at
 * vas[i], with tags[i]), and the reply, in one hypercall: the host sees
 * a list of tags and guest-physical addresses (struct host_pages), and
 * may read or write the pages until it answers. Each page must be the
 * caller's own and writable. A disk read (GDISK_READ) fills every page,
 * so there a va with no page gets a fresh one, which the host may
 * replace whole (no zeroing, no copy). Returns the reply's value.
 */
int64_t
sys_host_call(uint32_t value, const uint64_t *tags, void *const *vas, size_t n)
{
	/* A page of its own: the host sees all of it, and nothing else may share it. */
	static union {
		struct host_pages list;
		char page[PGSIZE];
	} req __attribute__((aligned(PGSIZE)));
	struct host_pages *list = &req.list;
	struct PageInfo *fresh[HOST_PAGES_MAX] = { NULL };
	bool fill = value == GDISK_READ;
	size_t i;
	int64_t r = 0;
	int err;

	if (!VMM_GUEST || curenv->env_type != ENV_TYPE_FS)
		return -E_PERM;
	if (n == 0 || n > HOST_PAGES_MAX)
		return -E_INVAL;
	if (user_mem_check(curenv, tags, n * sizeof tags[0], PTE_U) < 0 ||
	    user_mem_check(curenv, vas, n * sizeof vas[0], PTE_U) < 0)
		return -E_FAULT;
	for (i = 0; i < n && r >= 0; i++) {
		list->page[i].tag = tags[i];
		r = fill ? page_to_fill(vas[i], &list->page[i].gpa, &fresh[i])
			 : gpa_of(vas[i], true, true, &list->page[i].gpa);
	}
	list->n = n;
	if (r >= 0)
		r = hypercall(VMX_VMCALL_IPCCALL, value, PADDR(list), PTE_P | PTE_U, VMX_IPC_NOPAGE);
	err = map_filled(r, vas, fresh, n);
	return r < 0 ? r : err < 0 ? err : r;
}
