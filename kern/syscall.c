/*
 * System calls. Every argument comes from user space and is checked: a
 * pointer must lie in memory the caller may access, an env id must name
 * the caller or (where it says so) one of its children, a page address
 * must be page-aligned and below UTOP, and permissions must be a subset
 * of PTE_SYSCALL. A bad argument returns a negative error code; a bad
 * pointer to data the kernel must read destroys the caller (as a fault
 * at that address would).
 */
#include <inc/x86.h>
#include <inc/error.h>
#include <inc/string.h>
#include <inc/assert.h>
#include <kern/env.h>
#include <kern/pmap.h>
#include <kern/trap.h>
#include <kern/syscall.h>
#include <kern/console.h>
#include <kern/sched.h>
#include <kern/time.h>
#include <kern/ipc.h>
#include <kern/hostcall.h>
#include <inc/vmx.h>
#include <vmm/vmm.h>

/* The most one console write prints: the kernel lock is held meanwhile. */
#define CPUTS_MAX	(64 * 1024)

static int
sys_cputs(const char *s, size_t len)
{
	user_mem_assert(curenv, s, len, 0);
	if (len > CPUTS_MAX)
		return -E_INVAL;
	cprintf("%.*s", (int) len, s);
	return 0;
}

/*
 * The next console character, or 0 if none is waiting (does not block).
 * While a guest is attached to the console, only its attacher gets keys.
 */
static int
sys_cgetc(void)
{
	if (!gcons_host_may_read(curenv))
		return 0;
	return cons_getc();
}

static envid_t
sys_getenvid(void)
{
	return curenv->env_id;
}

static int
sys_env_destroy(envid_t envid)
{
	struct Env *e;
	int r;

	if ((r = envid2env(envid, &e, 1)) < 0)
		return r;
	if (e == curenv)
		cprintf("[%08x] exiting gracefully\n", curenv->env_id);
	else
		cprintf("[%08x] destroying %08x\n", curenv->env_id, e->env_id);
	env_destroy(e);
	return 0;
}

static void
sys_yield(void)
{
	sched_yield();
}

/*
 * Sleep until environment envid is gone (wait(), which used to yield in
 * a loop: a waiting shell cost a CPU, and a guest whose init waits could
 * never idle). Returns at once if it is gone already; 0 either way.
 */
static int
sys_env_wait(envid_t envid)
{
	struct Env *e = &envs[ENVX(envid)];

	if (envid == 0 || envid == curenv->env_id)
		return -E_INVAL;
	if (e->env_id != envid || e->env_status == ENV_FREE)
		return 0;
	curenv->env_waiting_for = envid;
	curenv->env_status = ENV_NOT_RUNNABLE;
	curenv->env_tf.tf_regs.reg_rax = 0;
	sched_yield();
}

/*
 * A key typed at the console, or 0 after sleeping until the next key or
 * timer tick: a console loop (vmm's, at a guest's console) that waits
 * without taking the CPU from the guest it serves. A guest's kernel
 * does not sleep here: its console read is a hypercall that may.
 */
static int
sys_cgetc_wait(void)
{
	int c;

	if ((c = cons_getc()) != 0 || VMM_GUEST)
		return c;
	curenv->env_cons_waiting = true;
	curenv->env_status = ENV_NOT_RUNNABLE;
	curenv->env_tf.tf_regs.reg_rax = 0;
	sched_yield();
}

/* A child that will resume from this very call, returning 0. */
static envid_t
sys_exofork(void)
{
	struct Env *e;
	int r;

	if ((r = env_alloc(&e, curenv->env_id)) < 0)
		return r;
	e->env_status = ENV_NOT_RUNNABLE;
	e->env_tf = curenv->env_tf;
	e->env_tf.tf_regs.reg_rax = 0;
	return e->env_id;
}

/*
 * One of the caller's children (or itself) whose registers and page
 * tables a system call may change: not a guest (sys_ept_map is the only
 * way into a guest's memory), and not running on another CPU, where a
 * change would come too late for its registers and its TLB.
 */
static int
user_child(envid_t envid, struct Env **e)
{
	int r;

	if ((r = envid2env(envid, e, 1)) < 0)
		return r;
	if (!*e)
		return -E_BAD_ENV;	/* envid 0 with no current env: the boot self-test */
	if ((*e)->env_type == ENV_TYPE_GUEST)
		return -E_BAD_ENV;
	if ((*e)->env_status == ENV_RUNNING && *e != curenv)
		return -E_BUSY;
	return 0;
}

static int
sys_env_set_status(envid_t envid, int status)
{
	struct Env *e;
	int r;

	if (status != ENV_RUNNABLE && status != ENV_NOT_RUNNABLE)
		return -E_INVAL;
	if ((r = envid2env(envid, &e, 1)) < 0)
		return r;
	/* Once a guest has run, why it sleeps (CGETC, IPC) is the hypervisor's. */
	if (e->env_type == ENV_TYPE_GUEST && e->env_vmxinfo->cpu != -1)
		return -E_BUSY;
	if (e->env_status == ENV_RUNNING && e != curenv)
		return status == ENV_RUNNABLE ? 0 : -E_BUSY;
	e->env_status = status;
	e->env_waiting_for = 0;		/* its parent decides now */
	if (status == ENV_RUNNABLE)
		e->env_ipc_recving = false;	/* made to run: its wait is over */
	return 0;
}

/*
 * Set a child's registers; it always runs in user mode with interrupts
 * on. Its rip and rsp must be canonical: iretq faults in the kernel
 * (Intel) on a non-canonical rip.
 */
static int
sys_env_set_trapframe(envid_t envid, struct Trapframe *tf)
{
	struct Env *e;
	int r;

	if ((r = user_child(envid, &e)) < 0)
		return r;
	user_mem_assert(curenv, tf, sizeof(*tf), 0);
	if (!canonical(tf->tf_rip) || !canonical(tf->tf_rsp))
		return -E_INVAL;
	e->env_tf = *tf;
	e->env_tf.tf_cs = GD_UT | 3;
	e->env_tf.tf_ss = GD_UD | 3;
	e->env_tf.tf_rflags = (tf->tf_rflags & ~FL_IOPL_MASK) | FL_IF;
	return 0;
}

static int
sys_env_set_pgfault_upcall(envid_t envid, void *func)
{
	struct Env *e;
	int r;

	if ((r = user_child(envid, &e)) < 0)
		return r;
	e->env_pgfault_upcall = func;
	return 0;
}

/* A user page address: page-aligned and below UTOP. */
static bool
valid_uva(uintptr_t va)
{
	return va < UTOP && PGOFF(va) == 0;
}

/* perm must include PTE_U | PTE_P and nothing outside PTE_SYSCALL. */
static bool
valid_perm(int perm)
{
	return (perm & (PTE_U | PTE_P)) == (PTE_U | PTE_P) && !(perm & ~PTE_SYSCALL);
}

static int
sys_page_alloc(envid_t envid, uintptr_t va, int perm)
{
	struct Env *e;
	struct PageInfo *pp;
	int r;

	if ((r = user_child(envid, &e)) < 0)
		return r;
	if (!valid_uva(va) || !valid_perm(perm))
		return -E_INVAL;
	if (!(pp = page_alloc(ALLOC_ZERO)))
		return -E_NO_MEM;
	if ((r = page_insert(e->env_pml4, pp, (void *) va, perm)) < 0)
		page_free(pp);
	return r;
}

/* Map the page at srcva in srcenv at dstva in dstenv (shared, not copied). */
static int
sys_page_map(envid_t srcenvid, uintptr_t srcva, envid_t dstenvid, uintptr_t dstva, int perm)
{
	struct Env *src, *dst;
	struct PageInfo *pp;
	pte_t *pte;
	int r;

	if ((r = user_child(srcenvid, &src)) < 0 || (r = user_child(dstenvid, &dst)) < 0)
		return r;
	if (!valid_uva(srcva) || !valid_uva(dstva) || !valid_perm(perm))
		return -E_INVAL;
	if (!(pp = page_lookup(src->env_pml4, (void *) srcva, &pte)))
		return -E_INVAL;
	if ((perm & PTE_W) && !(*pte & PTE_W))
		return -E_INVAL;
	return page_insert(dst->env_pml4, pp, (void *) dstva, perm);
}

static int
sys_page_unmap(envid_t envid, uintptr_t va)
{
	struct Env *e;
	int r;

	if ((r = user_child(envid, &e)) < 0)
		return r;
	if (!valid_uva(va))
		return -E_INVAL;
	page_remove(e->env_pml4, (void *) va);
	return 0;
}

/*
 * Deliver value (and the page at srcva, if srcva < UTOP and the receiver
 * wants one) to envid, if it is blocked receiving. Any env may send to
 * any env; to a guest, only the file server (kern/ipc.c).
 */
static int
sys_ipc_try_send(envid_t envid, uint32_t value, uintptr_t srcva, int perm)
{
	struct PageInfo *pp = NULL;
	struct Env *e;
	pte_t *pte;
	int r;

	if ((r = envid2env(envid, &e, 0)) < 0)
		return r;
	if (srcva < UTOP) {
		if (PGOFF(srcva) || !valid_perm(perm))
			return -E_INVAL;
		if (!(pp = page_lookup(curenv->env_pml4, (void *) srcva, &pte)))
			return -E_INVAL;
		if ((perm & PTE_W) && !(*pte & PTE_W))
			return -E_INVAL;
	}
	return ipc_deliver(curenv, e, value, pp, perm);
}

/* Block until a message arrives; map a sent page at dstva if dstva < UTOP. */
static int
sys_ipc_recv(uintptr_t dstva)
{
	if (dstva < UTOP && PGOFF(dstva))
		return -E_INVAL;
	curenv->env_ipc_recving = true;
	curenv->env_ipc_dstva = (void *) dstva;
	curenv->env_status = ENV_NOT_RUNNABLE;
	guest_ipc_release(curenv);	/* a guest's message waiting for the file server */
	sched_yield();
}

/* Guest memory: whole pages, more than the first megabyte, at most GUEST_MEM_MAX. */
#define GUEST_MEM_MIN	(2 * 1024 * 1024)
#define GUEST_MEM_MAX	(1024 * 1024 * 1024)
#define REAL_MODE_LIMIT	0x100000

/*
 * Guest memory of gphysz bytes: whole pages, at least GUEST_MEM_MIN.
 * (vmm/guest.c also holds it to half of the free memory not promised.)
 */
static int
check_guest_size(uint64_t gphysz)
{
	if (PGOFF(gphysz) || gphysz < GUEST_MEM_MIN || gphysz > GUEST_MEM_MAX)
		return -E_INVAL;
	return 0;
}

/* A guest for the caller (its parent), in real mode at grip, not runnable until loaded. */
static envid_t
sys_env_mkguest(uint64_t gphysz, uint64_t grip)
{
	struct vcpu_config start = { .phys_sz = gphysz, .mode = VCPU_MODE_REAL, .rip = grip };
	struct Env *e;
	int r;

	if ((r = vmm_check_support()) < 0)
		return r;
	if (grip >= REAL_MODE_LIMIT)
		return -E_INVAL;
	if ((r = check_guest_size(gphysz)) < 0 || (r = env_guest_alloc(&e, &start)) < 0)
		return r;
	return e->env_id;
}

/* The caller's page at va, writable: the run page of a user-device guest. */
static struct PageInfo *
run_page(uintptr_t va)
{
	struct PageInfo *pp;
	pte_t *pte;

	if (va >= UTOP || PGOFF(va))
		return NULL;
	pp = page_lookup(curenv->env_pml4, (void *) va, &pte);
	return pp && (*pte & PTE_U) && (*pte & PTE_W) ? pp : NULL;
}

/*
 * A user-device guest for the caller (inc/vcpurun.h): its first state
 * from *ucfg (copied, then checked field by field), its run page the
 * caller's page at run_va, shared from now on.
 */
static envid_t
sys_vcpu_create(const struct vcpu_config *ucfg, uintptr_t run_va)
{
	struct vcpu_config cfg;
	struct PageInfo *pp;
	struct Env *e;
	int r;

	if ((r = vmm_check_support()) < 0)
		return r;
	user_mem_assert(curenv, ucfg, sizeof(cfg), 0);
	cfg = *ucfg;
	if (!(pp = run_page(run_va)))
		return -E_INVAL;
	if ((r = check_guest_size(cfg.phys_sz)) < 0 || (r = runloop_check_config(&cfg)) < 0 ||
	    (r = env_guest_alloc(&e, &cfg)) < 0)
		return r;
	if ((r = runloop_init(e, pp)) < 0) {
		env_destroy(e);
		return r;
	}
	return e->env_id;
}

/* A user-device guest of the caller's, by id. */
static int
runloop_child(envid_t guestid, struct Env **e)
{
	int r;

	if ((r = envid2env(guestid, e, 1)) < 0)
		return r;
	return (*e)->env_type == ENV_TYPE_GUEST && runloop_guest(*e) ? 0 : -E_INVAL;
}

static int
sys_vcpu_mmio(envid_t guestid, uint64_t gpa, uint64_t len)
{
	struct Env *e;
	int r;

	if ((r = runloop_child(guestid, &e)) < 0)
		return r;
	return runloop_add_mmio(e, gpa, len);
}

/* Run the guest until it has an exit for the caller (the run page says which). */
static int
sys_vcpu_run(envid_t guestid, uint32_t flags)
{
	struct Env *e;
	int r;

	if ((r = runloop_child(guestid, &e)) < 0)
		return r;
	return runloop_run(curenv, e, flags);
}

static int
sys_ept_map(envid_t srcenvid, uintptr_t srcva, envid_t guestid, uint64_t guest_pa, int perm)
{
	/* HANDOUT BEGIN sys_ept_map: return -E_NOT_SUPP; */
	struct Env *src, *guest;
	int r;

	if ((r = user_child(srcenvid, &src)) < 0 || (r = envid2env(guestid, &guest, 1)) < 0)
		return r;
	return ept_map_page(src, srcva, guest, guest_pa, perm);
	/* HANDOUT END */
}

#define MILESTONE_NAME_MAX	64

/* Mark a moment of a boot (kern/time.c). */
static int
sys_milestone(const char *name, size_t len)
{
	static char kname[MILESTONE_NAME_MAX];

	if (len >= MILESTONE_NAME_MAX)
		return -E_INVAL;
	user_mem_assert(curenv, name, len, 0);
	memcpy(kname, name, len);
	kname[len] = 0;
	milestone(kname);
	return 0;
}

/*
 * Copy the exit counters of guest envid to stats. Like envs[], they are
 * public: vmstat shows every guest, whoever started it.
 */
static int
sys_guest_stats(envid_t envid, struct VmxExitStats *stats)
{
	struct Env *e;
	int r;

	if ((r = envid2env(envid, &e, 0)) < 0)
		return r;
	if (e->env_type != ENV_TYPE_GUEST)
		return -E_INVAL;
	user_mem_assert(curenv, stats, sizeof(*stats), PTE_W);
	*stats = e->env_vmxinfo->stats;
	return 0;
}

/* Any live guest, by id: what the host commands about guests act on. */
static int
any_guest(envid_t envid, struct Env **e)
{
	int r;

	if ((r = envid2env(envid, e, 0)) < 0)
		return r;
	return (*e)->env_type == ENV_TYPE_GUEST && (*e)->env_status != ENV_DYING ? 0 : -E_BAD_ENV;
}

static uint32_t
guest_state(struct Env *e)
{
	if (e->env_status != ENV_NOT_RUNNABLE)
		return GUEST_RUNNING;
	return e->env_vmxinfo->cons.waiting ? GUEST_IDLE : GUEST_BLOCKED;
}

/* What vmls shows of guest envid. Public, like envs[] and the exit counters. */
static int
sys_guest_info(envid_t envid, struct vm_info *out)
{
	struct vm_info gi;
	struct VmxGuestInfo *info;
	struct Env *e;
	int i, r;

	if ((r = any_guest(envid, &e)) < 0)
		return r;
	user_mem_assert(curenv, out, sizeof(*out), PTE_W);
	info = e->env_vmxinfo;
	memset(&gi, 0, sizeof gi);
	gi.id = e->env_id;
	gi.parent = e->env_parent_id;
	memcpy(gi.name, info->cons.name, GUEST_NAME_MAX);
	gi.mem_bytes = info->phys_sz;
	gi.state = guest_state(e);
	gi.attached = gcons_attached(e);
	gi.exits = info->stats.total_exits;
	gi.cpu_ticks = info->run_ticks;
	for (i = 0; i < VMM_EXIT_SLOTS; i++)
		gi.cpu_ticks += info->stats.ticks[i];
	*out = gi;
	return 0;
}

/* Name one of the caller's guests (vmm -n): printable, without spaces. */
static int
sys_guest_name(envid_t envid, const char *name, size_t len)
{
	char kname[GUEST_NAME_MAX];
	struct Env *e;
	size_t i;
	int r;

	if ((r = envid2env(envid, &e, 1)) < 0)
		return r;
	if (e->env_type != ENV_TYPE_GUEST || len == 0 || len >= GUEST_NAME_MAX)
		return -E_INVAL;
	user_mem_assert(curenv, name, len, 0);
	memcpy(kname, name, len);
	for (i = 0; i < len; i++)
		if (kname[i] <= ' ' || kname[i] > '~')
			return -E_INVAL;
	kname[len] = 0;
	memcpy(e->env_vmxinfo->cons.name, kname, GUEST_NAME_MAX);
	return 0;
}

/* Attach the console to guest envid (vmm, vmcons); envid 0 detaches. */
static int
sys_guest_attach(envid_t envid)
{
	struct Env *e;
	int r;

	if (VMM_GUEST)
		return -E_INVAL;
	if (envid == 0)
		return gcons_detach(curenv);
	if ((r = any_guest(envid, &e)) < 0)
		return r;
	return gcons_attach(curenv, e);
}

/*
 * End guest envid and free all it holds. Any host environment may, like
 * sys_halt: JOS has no users, and the machine's console is its owner's.
 */
static int
sys_guest_kill(envid_t envid)
{
	struct Env *e;
	int r;

	if ((r = any_guest(envid, &e)) < 0)
		return r;
	cprintf("[%08x] killing guest %08x\n", curenv->env_id, e->env_id);
	env_destroy(e);
	return 0;
}

/*
 * Copy guest envid's VMCS or VMCB, field by field, to *out (vmdump).
 * Public, like the exit counters. -E_BUSY: another CPU holds the VMCS,
 * or the guest has not run yet; try again.
 */
static int
sys_guest_dump(envid_t envid, struct vm_dump *out)
{
	static struct vm_dump dump;	/* too big for the stack; the kernel lock guards it */
	struct Env *e;
	int r;

	if ((r = any_guest(envid, &e)) < 0)
		return r;
	user_mem_assert(curenv, out, sizeof(*out), PTE_W);
	if (e->env_vmxinfo->cpu == -1)
		return -E_BUSY;
	if ((r = vmm_guest_dump(e, &dump)) < 0)
		return r;
	*out = dump;
	return 0;
}

/* *e: guest envid, one of the caller's (whose settings it may change). */
static int
own_guest(envid_t envid, struct Env **e)
{
	int r;

	if ((r = envid2env(envid, e, 1)) < 0)
		return r;
	return (*e)->env_type == ENV_TYPE_GUEST ? 0 : -E_INVAL;
}

/* Scale the clock of one of the caller's guests, before it first runs (vmm -T). */
static int
sys_guest_tsc(envid_t envid, uint64_t scale)
{
	struct Env *e;
	int r;

	return (r = own_guest(envid, &e)) < 0 ? r : guest_set_tsc_scale(e, scale);
}

/* Guest envid (one of the caller's) takes a timer interrupt every ms milliseconds. */
static int
sys_guest_timer(envid_t envid, uint64_t ms)
{
	struct Env *e;
	int r;

	return (r = own_guest(envid, &e)) < 0 ? r : guest_set_timer(e, ms);
}

static unsigned
sys_time_msec(void)
{
	return time_msec();
}

int64_t
syscall(uint64_t num, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	switch (num) {
	case SYS_cputs:
		return sys_cputs((const char *) a1, a2);
	case SYS_cgetc:
		return sys_cgetc();
	case SYS_getenvid:
		return sys_getenvid();
	case SYS_env_destroy:
		return sys_env_destroy(a1);
	case SYS_page_alloc:
		return sys_page_alloc(a1, a2, a3);
	case SYS_page_map:
		return sys_page_map(a1, a2, a3, a4, a5);
	case SYS_page_unmap:
		return sys_page_unmap(a1, a2);
	case SYS_exofork:
		return sys_exofork();
	case SYS_env_set_status:
		return sys_env_set_status(a1, a2);
	case SYS_env_set_trapframe:
		return sys_env_set_trapframe(a1, (struct Trapframe *) a2);
	case SYS_env_set_pgfault_upcall:
		return sys_env_set_pgfault_upcall(a1, (void *) a2);
	case SYS_yield:
		sys_yield();
		return 0;
	case SYS_ipc_try_send:
		return sys_ipc_try_send(a1, a2, a3, a4);
	case SYS_ipc_recv:
		return sys_ipc_recv(a1);
	case SYS_time_msec:
		return sys_time_msec();
	case SYS_halt:
		if (a1 != HALT_CONFIRM)
			return -E_INVAL;
		poweroff();
	case SYS_env_mkguest:
		return sys_env_mkguest(a1, a2);
	case SYS_ept_map:
		return sys_ept_map(a1, a2, a3, a4, a5);
	case SYS_milestone:
		return sys_milestone((const char *) a1, a2);
	case SYS_guest_stats:
		return sys_guest_stats(a1, (struct VmxExitStats *) a2);
	case SYS_vmm_guest:
		return VMM_GUEST;
	case SYS_vcpu_create:
		return sys_vcpu_create((const struct vcpu_config *) a1, a2);
	case SYS_vcpu_mmio:
		return sys_vcpu_mmio(a1, a2, a3);
	case SYS_vcpu_run:
		return sys_vcpu_run(a1, a2);
	case SYS_guest_info:
		return sys_guest_info(a1, (struct vm_info *) a2);
	case SYS_guest_name:
		return sys_guest_name(a1, (const char *) a2, a3);
	case SYS_guest_attach:
		return sys_guest_attach(a1);
	case SYS_guest_input:
		return gcons_input(curenv, a1);
	case SYS_guest_kill:
		return sys_guest_kill(a1);
	case SYS_guest_tsc:
		return sys_guest_tsc(a1, a2);
	case SYS_env_wait:
		return sys_env_wait(a1);
	case SYS_guest_timer:
		return sys_guest_timer(a1, a2);
	case SYS_guest_dump:
		return sys_guest_dump(a1, (struct vm_dump *) a2);
	case SYS_host_ipc:
		return sys_host_ipc(a1, a2, (void *) a3, a4, (void *) a5);
	case SYS_host_call:
		return sys_host_call(a1, (const uint64_t *) a2, (void *const *) a3, a4);
	case SYS_cgetc_wait:
		return sys_cgetc_wait();
	case SYS_guest_page_write:
		return guest_page_write(curenv, a1, a2, (const void *) a3);
	case SYS_guest_page_give:
		return guest_page_give(curenv, a1, a2, (void *) a3);
	case SYS_guest_request_map:
		return guest_request_map(curenv, a1, a2, a3);
	default:
		return -E_INVAL;
	}
}
