/*
 * Hypercalls (inc/vmx.h), the same for both backends: one table maps each
 * number to its handler, with a column saying whether only the guest's
 * kernel may make it. A hypercall from guest user mode that is
 * kernel-only, a bad argument, or an unknown number returns an error code
 * in rax: a guest is never destroyed or frozen for a hypercall, except
 * the memory map with a buffer outside its memory (the boot stub's bug:
 * nothing can run after it).
 *
 * Context: kernel lock held, on the guest's CPU, right after the
 * VMCALL/VMMCALL exit; handle_vmcall skips the instruction exactly once.
 */
#include <inc/error.h>
#include <inc/string.h>
#include <inc/multiboot.h>
#include <kern/env.h>
#include <kern/pmap.h>
#include <kern/console.h>
#include <kern/ipc.h>
#include <kern/time.h>
#include <vmm/vmm.h>
#include <vmm/guestio.h>

struct hypercall {
	enum vmexit_action (*handler)(struct Env *e, struct PushRegs *r);
	bool kernel_only;		/* refused from guest user mode */
};

/*
 * MBMAP: the e820 map of a PC with the guest's memory: base memory up to
 * the EBDA, the BIOS hole, then RAM from 1 MB to the end, written in
 * Multiboot layout at gpa (rdx), at most rcx bytes. Returns the bytes.
 */
static enum vmexit_action
vmcall_mbmap(struct Env *e, struct PushRegs *r)
{
	/* HANDOUT BEGIN vmcall_mbmap: guest_fail(e, "MBMAP: not written yet"); */
	uint64_t top = e->env_vmxinfo->phys_sz, gpa = r->reg_rdx;
	const struct multiboot_mmap_entry map[] = {
		{ E820_ENTRY_SIZE, 0, GUEST_EBDA, E820_RAM },
		{ E820_ENTRY_SIZE, GUEST_EBDA, EXTPHYSMEM - GUEST_EBDA, E820_RESERVED },
		{ E820_ENTRY_SIZE, EXTPHYSMEM, top - EXTPHYSMEM, E820_RAM },
	};

	if (r->reg_rcx < sizeof(map) || gpa >= top || gpa + sizeof(map) > top ||
	    gpa + sizeof(map) < gpa)
		guest_fail(e, "MBMAP hypercall with a buffer outside guest memory");
	r->reg_rax = guest_copy_out(e, gpa, map, sizeof(map)) < 0 ? -E_NO_MEM : sizeof(map);
	return VMEXIT_RESUME;
	/* HANDOUT END */
}

/* A guest page for IPC: page-aligned, inside the guest, or none at all. */
static bool
valid_ipc_gpa(struct Env *e, uint64_t gpa)
{
	return gpa == VMX_IPC_NOPAGE || (PGOFF(gpa) == 0 && gpa < e->env_vmxinfo->phys_sz);
}

/* The only host environment a guest may talk to: the file server. */
static struct Env *
host_file_server(void)
{
	int i;

	for (i = 0; i < env_slots_used; i++)
		if (envs[i].env_type == ENV_TYPE_FS && envs[i].env_status != ENV_FREE)
			return &envs[i];
	return NULL;
}

/*
 * A message (and maybe a page of guest memory) to the host's file server.
 * After it, and only then, the guest may wait for the reply.
 */
static int64_t
ipc_send(struct Env *e, uint32_t value, uint64_t gpa, int perm)
{
	struct Env *fs = host_file_server();
	struct PageInfo *pp = NULL;
	void *hva;
	int r;

	if (!valid_ipc_gpa(e, gpa))
		return -E_INVAL;
	if (!fs)
		return -E_BAD_ENV;
	if (gpa != VMX_IPC_NOPAGE) {
		if (guest_page_fill(e, gpa) < 0 ||
		    vmm_backend->npt_lookup(e->env_pml4, gpa, &hva) < 0)
			return -E_NO_MEM;
		if ((perm & PTE_W) && !guest_page_writable(e, gpa))
			return -E_INVAL;
		pp = pa2page(PADDR(hva));
	}
	if ((r = ipc_deliver(e, fs, value, pp, PTE_P | PTE_U | (perm & PTE_W))) == 0) {
		e->env_vmxinfo->ipc_waiting = true;
		e->env_vmxinfo->ipc_sent_gpa = gpa;
	}
	return r;
}

/*
 * Wait (the guest as a whole) for the host's reply, whose page goes to
 * gpa. Only a guest with a request out may wait: it cannot sleep forever.
 */
static enum vmexit_action
ipc_recv(struct Env *e, uint64_t gpa)
{
	struct VmxGuestInfo *info = e->env_vmxinfo;

	if (!valid_ipc_gpa(e, gpa) || !info->ipc_waiting) {
		e->env_tf.tf_regs.reg_rax = -E_INVAL;
		return VMEXIT_RESUME;
	}
	info->ipc_waiting = false;
	e->env_ipc_recving = true;
	e->env_ipc_dstva = (void *) gpa;
	e->env_status = ENV_NOT_RUNNABLE;
	return VMEXIT_YIELD;	/* the reply fills in rax */
}

/* The list guest g sent with its request (a struct host_pages), or NULL. */
static struct host_pages *
request_list(struct Env *g)
{
	struct host_pages *list;

	if (g->env_vmxinfo->ipc_sent_gpa == VMX_IPC_NOPAGE ||
	    vmm_backend->npt_lookup(g->env_pml4, g->env_vmxinfo->ipc_sent_gpa, (void **) &list) < 0)
		return NULL;
	return list;
}

/* How many pages the list names (a guest may write any n there). */
static uint64_t
list_len(const struct host_pages *list)
{
	return list ? MIN(list->n, (uint64_t) HOST_PAGES_MAX) : 0;
}

/* Does guest g's request list gpa? */
static bool
listed(struct Env *g, uint64_t gpa)
{
	struct host_pages *list = request_list(g);
	uint64_t i;

	for (i = 0; i < list_len(list); i++)
		if (list->page[i].gpa == gpa)
			return true;
	return false;
}

/*
 * The guest g whose request server serves: only the host's file server,
 * and only while the guest waits for its reply.
 */
static int
served_guest(struct Env *server, envid_t guestid, struct Env **g)
{
	int r;

	if (server->env_type != ENV_TYPE_FS)
		return -E_PERM;
	if ((r = envid2env(guestid, g, 0)) < 0)
		return r;
	if ((*g)->env_type != ENV_TYPE_GUEST || !(*g)->env_ipc_recving ||
	    (*g)->env_status != ENV_NOT_RUNNABLE)
		return -E_INVAL;
	return 0;
}

/* Is gpa a page of guest g's memory (not a device's)? */
static bool
guest_ram_page(struct Env *g, uint64_t gpa)
{
	return !PGOFF(gpa) && gpa < g->env_vmxinfo->phys_sz && !runloop_is_device(g, gpa);
}

/* The guest whose request server serves, if its request listed gpa, a page of its memory. */
static int
served_page(struct Env *server, envid_t guestid, uint64_t gpa, struct Env **g)
{
	int r;

	if ((r = served_guest(server, guestid, g)) < 0)
		return r;
	return listed(*g, gpa) && guest_ram_page(*g, gpa) ? 0 : -E_INVAL;
}

/*
 * The host's file server copies its page at va (a block in its cache)
 * into a page the guest's request listed, for a read of the guest's
 * disk. A page of the host kernel's that the guest shares, or one it
 * has not touched yet, becomes its own first (guest_page_fill); any
 * other page the guest may not write (one its parent mapped read-only,
 * sys_ept_map) is refused: it may be someone else's.
 *
 * Context: a system call of the host's file server, kernel lock held.
 */
int
guest_page_write(struct Env *server, envid_t guestid, uint64_t gpa, const void *va)
{
	struct Env *g;
	void *hva;
	int r;

	if ((r = served_page(server, guestid, gpa, &g)) < 0)
		return r;
	if (user_mem_check(server, va, PGSIZE, PTE_U) < 0)
		return -E_FAULT;
	if ((r = guest_page_fill(g, gpa)) < 0)
		return r;
	if (!guest_page_writable(g, gpa) || vmm_backend->npt_lookup(g->env_pml4, gpa, &hva) < 0)
		return -E_INVAL;
	memcpy(hva, va, PGSIZE);
	return 0;
}

/*
 * The host's file server gives its page at va, which no one else maps,
 * to the guest at a page the guest's request listed (a block read
 * straight from the disk into it): the guest's page there is dropped,
 * and the server's va is left unmapped. No copy.
 */
int
guest_page_give(struct Env *server, envid_t guestid, uint64_t gpa, void *va)
{
	struct PageInfo *pp;
	struct Env *g;
	pte_t *pte;
	int r;

	if ((r = served_page(server, guestid, gpa, &g)) < 0)
		return r;
	if ((uintptr_t) va >= UTOP || PGOFF(va))
		return -E_INVAL;
	if (!(pp = page_lookup(server->env_pml4, va, &pte)) ||
	    (*pte & (PTE_U | PTE_W)) != (PTE_U | PTE_W) || pp->pp_ref != 1)
		return -E_INVAL;
	if ((r = vmm_map_page(g, pp, gpa, EPT_RWX)) < 0)
		return r;
	page_remove(server->env_pml4, va);
	return 0;
}

/* Is the window of HOST_PAGES_MAX pages at va user memory, and in one page table? */
static bool
window_ok(uintptr_t va)
{
	return !PGOFF(va) && va < UTOP && UTOP - va >= HOST_PAGES_MAX * PGSIZE &&
	       ROUNDDOWN(va, PTSIZE) == ROUNDDOWN(va + HOST_PAGES_MAX * PGSIZE - 1, PTSIZE);
}

/* Unmap whatever the window's entries map. */
static void
window_clear(struct Env *server, uintptr_t va, pte_t *pte)
{
	struct PageInfo *pp;
	int i;

	for (i = 0; i < HOST_PAGES_MAX; i++)
		if (pte[i] & PTE_P) {
			pp = pa2page(PTE_ADDR(pte[i]));
			pte[i] = 0;
			tlb_invalidate(server->env_pml4, (void *) (va + i * PGSIZE));
			page_decref(pp);
		}
}

/* Map guest g's page at gpa, which must be there, read-only at the window entry pte. */
static int
window_map(struct Env *g, uint64_t gpa, pte_t *pte)
{
	struct PageInfo *pp;
	void *hva;

	if (!guest_ram_page(g, gpa) || vmm_backend->npt_lookup(g->env_pml4, gpa, &hva) < 0)
		return -E_INVAL;
	pp = pa2page(PADDR(hva));
	if (page_incref(pp) < 0)
		return -E_NO_MEM;
	*pte = page2pa(pp) | PTE_P | PTE_U;
	return 0;
}

/*
 * The host's file server maps the pages of guest guestid's request, in
 * the order its list names them, read-only at va, va + PGSIZE, ... (to
 * write them to the disk with no copy), and learns how many; with map
 * false it unmaps the HOST_PAGES_MAX pages there again, whether or not
 * the guest lives. The window must lie in one page table: one walk
 * serves every page.
 */
int
guest_request_map(struct Env *server, envid_t guestid, uintptr_t va, bool map)
{
	struct host_pages *list;
	struct Env *g;
	pte_t *pte;
	uint64_t i;
	int r;

	if (server->env_type != ENV_TYPE_FS)
		return -E_PERM;
	if (!window_ok(va))
		return -E_INVAL;
	if (!(pte = pml4e_walk(server->env_pml4, (void *) va, map)))
		return map ? -E_NO_MEM : 0;
	window_clear(server, va, pte);
	if (!map)
		return 0;
	if ((r = served_guest(server, guestid, &g)) < 0)
		return r;
	list = request_list(g);
	for (i = 0; i < list_len(list); i++)
		if ((r = window_map(g, list->page[i].gpa, &pte[i])) < 0) {
			window_clear(server, va, pte);
			return r;
		}
	return i;
}

/*
 * The server is busy: the guest sleeps with its message instead of
 * retrying (each retry would be an exit) until guest_ipc_release.
 */
static int nparked;		/* guests with a parked message, alive or not */

static enum vmexit_action
ipc_park(struct Env *e, struct PushRegs *r, bool then_wait)
{
	if (e->env_vmxinfo->parked.parked) {	/* cannot be: it sleeps while parked */
		r->reg_rax = -E_BUSY;
		return VMEXIT_RESUME;
	}
	nparked++;
	e->env_vmxinfo->parked = (struct parked_send) {
		.parked = true, .then_wait = then_wait, .value = r->reg_rdx,
		.gpa = r->reg_rcx, .perm = r->reg_rbx, .reply_gpa = r->reg_rdi,
	};
	e->env_status = ENV_NOT_RUNNABLE;
	return VMEXIT_YIELD;
}

static enum vmexit_action
vmcall_ipcsend(struct Env *e, struct PushRegs *r)
{
	int64_t ret = ipc_send(e, r->reg_rdx, r->reg_rcx, r->reg_rbx);

	if (ret == -E_IPC_NOT_RECV)
		return ipc_park(e, r, false);
	r->reg_rax = ret;
	return VMEXIT_RESUME;
}

static enum vmexit_action
vmcall_ipcrecv(struct Env *e, struct PushRegs *r)
{
	return ipc_recv(e, r->reg_rdx);
}

/* A request and its reply in one exit, not two. */
static enum vmexit_action
vmcall_ipccall(struct Env *e, struct PushRegs *r)
{
	int64_t ret;

	if (!valid_ipc_gpa(e, r->reg_rdi)) {
		r->reg_rax = -E_INVAL;
		return VMEXIT_RESUME;
	}
	if ((ret = ipc_send(e, r->reg_rdx, r->reg_rcx, r->reg_rbx)) == -E_IPC_NOT_RECV)
		return ipc_park(e, r, true);
	if (ret < 0) {
		r->reg_rax = ret;
		return VMEXIT_RESUME;
	}
	return ipc_recv(e, r->reg_rdi);
}

/* Deliver g's parked message; true if the server took it. */
static bool
unpark(struct Env *g)
{
	struct parked_send p = g->env_vmxinfo->parked;
	int64_t ret;

	g->env_vmxinfo->parked.parked = false;
	nparked--;
	ret = ipc_send(g, p.value, p.gpa, p.perm);
	if (ret == 0 && p.then_wait && ipc_recv(g, p.reply_gpa) == VMEXIT_YIELD)
		return true;
	g->env_tf.tf_regs.reg_rax = ret;	/* sent (IPCSEND), or why not */
	g->env_status = ENV_RUNNABLE;
	return ret == 0;
}

/* Guest e is going away: a message it parked goes with it. */
void
guest_ipc_forget(struct Env *e)
{
	if (e->env_vmxinfo->parked.parked) {
		e->env_vmxinfo->parked.parked = false;
		nparked--;
	}
}

/* Hand the server, waiting in ipc_recv, the next parked guest message. */
static void
release_one(void)
{
	static int next;
	struct Env *g;
	int i;

	for (i = 0; i < env_slots_used; i++) {
		g = &envs[(next + i) % env_slots_used];
		if (g->env_type != ENV_TYPE_GUEST || g->env_status != ENV_NOT_RUNNABLE ||
		    !g->env_vmxinfo || !g->env_vmxinfo->parked.parked)
			continue;
		next = (next + i + 1) % env_slots_used;
		if (unpark(g))
			return;
	}
}

/*
 * The host's file server is about to wait in ipc_recv: give it the next
 * parked guest message, taking the guests in turn; but if a host
 * program found it busy meanwhile, this turn is that program's (it
 * retries), and the host timer's tick releases a guest later
 * (guest_ipc_tick) should it not come. Kernel lock held.
 */
void
guest_ipc_release(struct Env *server)
{
	if (server->env_type != ENV_TYPE_FS || nparked == 0)
		return;
	if (server->env_ipc_missed) {
		server->env_ipc_missed = false;
		return;
	}
	release_one();
}

/* The host's timer: a server left waiting with guests parked takes one. */
void
guest_ipc_tick(void)
{
	struct Env *fs;

	if (nparked == 0 || !(fs = host_file_server()) || !fs->env_ipc_recving ||
	    fs->env_status != ENV_NOT_RUNNABLE)
		return;
	release_one();
}

/* An exit kind's name as one word ("EPT_violation"), for machine-read lines. */
static const char *
exit_key(struct Env *e, unsigned slot)
{
	static char key[32];
	int i;

	strlcpy(key, vmm_exit_name(e->env_vmxinfo->stats.backend, slot), sizeof key);
	for (i = 0; key[i]; i++)
		if (key[i] == ' ')
			key[i] = '_';
	return key;
}

#define MILESTONE_NAME_MAX	64

/* A guest's milestone: printed (bench mode) with its exit counts so far. */
static enum vmexit_action
vmcall_milestone(struct Env *e, struct PushRegs *r)
{
	struct VmxExitStats *st = &e->env_vmxinfo->stats;
	char name[MILESTONE_NAME_MAX];
	uint64_t len = r->reg_rcx;
	int i;

	r->reg_rax = 0;
	if (len >= MILESTONE_NAME_MAX || r->reg_rdx >= e->env_vmxinfo->phys_sz ||
	    guest_copy_in(e, name, r->reg_rdx, len) < 0) {
		r->reg_rax = -E_INVAL;
		return VMEXIT_RESUME;
	}
	name[len] = 0;
	if (!bench_mode)
		return VMEXIT_RESUME;
	cprintf("[bench] guest %08x milestone '%s' busy_tsc %lu exits %lu", e->env_id, name,
		busy_tsc(), st->total_exits);
	for (i = 0; i < VMM_EXIT_SLOTS; i++)
		if (st->count[i])
			cprintf(" %s=%lu", exit_key(e, i), st->count[i]);
	cprintf("\n");
	return VMEXIT_RESUME;
}

static enum vmexit_action
vmcall_null(struct Env *e, struct PushRegs *r)
{
	r->reg_rax = 0;
	return VMEXIT_RESUME;
}

#define CPUTS_MAX	PGSIZE

/* CPUTS: the guest's console output (vmm/vmconsole.c). */
static enum vmexit_action
vmcall_cputs(struct Env *e, struct PushRegs *r)
{
	static char text[CPUTS_MAX];
	uint64_t len = r->reg_rcx;

	if (len > CPUTS_MAX || r->reg_rdx >= e->env_vmxinfo->phys_sz ||
	    guest_copy_in(e, text, r->reg_rdx, len) < 0) {
		r->reg_rax = -E_INVAL;
		return VMEXIT_RESUME;
	}
	gcons_write(e, text, len);
	r->reg_rax = len;
	return VMEXIT_RESUME;
}

/*
 * CGETC: the next key typed for the guest; with none queued, it sleeps
 * until one is, or (CGETC_POLL: it has other work) gets 0.
 */
static enum vmexit_action
vmcall_cgetc(struct Env *e, struct PushRegs *r)
{
	if ((r->reg_rax = gcons_getc(e)) != 0 || r->reg_rdx == CGETC_POLL)
		return VMEXIT_RESUME;
	return gcons_wait(e);
}

/* CONSRING: the guest's console output ring is its page at rdx. */
static enum vmexit_action
vmcall_consring(struct Env *e, struct PushRegs *r)
{
	r->reg_rax = gcons_set_ring(e, r->reg_rdx);
	return VMEXIT_RESUME;
}

static const struct hypercall hypercalls[] = {
	[VMX_VMCALL_MBMAP]	= { vmcall_mbmap, true },
	[VMX_VMCALL_IPCSEND]	= { vmcall_ipcsend, true },
	[VMX_VMCALL_IPCRECV]	= { vmcall_ipcrecv, true },
	[VMX_VMCALL_MILESTONE]	= { vmcall_milestone, true },
	[VMX_VMCALL_NULL]	= { vmcall_null, false },
	[VMX_VMCALL_CPUTS]	= { vmcall_cputs, true },
	[VMX_VMCALL_CGETC]	= { vmcall_cgetc, true },
	[VMX_VMCALL_IPCCALL]	= { vmcall_ipccall, true },
	[VMX_VMCALL_CONSRING]	= { vmcall_consring, true },
};

/*
 * A VMCALL (VT-x) or VMMCALL (SVM) exit: number in rax, arguments in
 * rdx, rcx, rbx, rdi, rsi, result in rax. The guest kernel mediates for
 * its user environments (kern/hostcall.c), so guest ring 3 cannot name
 * guest-physical memory.
 */
enum vmexit_action
handle_vmcall(struct Env *e)
{
	struct PushRegs *r = &e->env_tf.tf_regs;
	uint64_t num = r->reg_rax;

	vmm_backend->skip_insn(e);
	if (num >= ARRAY_SIZE(hypercalls) || !hypercalls[num].handler) {
		r->reg_rax = -E_INVAL;		/* unknown: an error, not a crime */
		return VMEXIT_RESUME;
	}
	if (hypercalls[num].kernel_only && vmm_backend->cpl(e) != 0) {
		r->reg_rax = -E_PERM;
		return VMEXIT_RESUME;
	}
	return hypercalls[num].handler(e, r);
}
