/*
 * The generic half of the hypervisor: which backend runs guests here, a
 * guest's life cycle, its memory (nested page tables through the
 * backend), its exit counters, and the exit handlers that do not depend
 * on the vendor (CPUID, HLT, memory faults, triple faults).
 *
 * Context: kernel lock held; for a running guest, on the CPU that holds
 * its VMCS or VMCB.
 */
#include <inc/x86.h>
#include <inc/error.h>
#include <inc/string.h>
#include <inc/assert.h>
#include <kern/env.h>
#include <kern/pmap.h>
#include <kern/cpu.h>
#include <vmm/vmm.h>

#define CPUID_VENDOR_LEAF	0
#define CPUID_EXT_FEATURES	0x80000001
#define CPUID_EXT_ECX_SVM	(1U << 2)

const struct vmm_backend *vmm_backend;

/* Intel or AMD? (CPUID leaf 0's vendor string: "GenuineIntel", "AuthenticAMD") */
static bool
cpu_is_amd(void)
{
	uint32_t b, c, d;

	cpuid(CPUID_VENDOR_LEAF, 0, NULL, &b, &c, &d);
	return b == 0x68747541 && d == 0x69746E65 && c == 0x444D4163;	/* "Auth" "enti" "cAMD" */
}

/*
 * Pick the backend of this CPU's vendor; whether it works is asked later.
 * A guest asks its hypervisor instead, which it must ask anyway (which
 * hypercall instruction?): each CPUID is an exit.
 */
void
vmm_init(void)
{
	bool amd = VMM_GUEST ? hypercall_is_vmmcall() : cpu_is_amd();

	vmm_backend = amd ? &svm_backend : &vmx_backend;
}

/* 0 if guests can run here, else the first missing piece as -E_NO_*. */
int
vmm_check_support(void)
{
	return vmm_backend->check();
}

/*
 * The root of a guest's nested page table. EPT and NPT have the same
 * four-level shape, and an entry is present when bit 0 is set in both
 * (EPT's read bit, the kernel never maps write- or execute-only), so one
 * allocator and pmap.c's walker serve both. Leaf pages are reference
 * counted as if mapped by an environment: a page shared between vmm and
 * its guest lives until both let go.
 */
uint64_t *
guest_table_alloc(void)
{
	struct PageInfo *pp = page_alloc(ALLOC_ZERO);

	if (!pp)
		return NULL;
	pp->pp_ref++;
	return page2kva(pp);
}

/* Free every guest page, every table and the root. */
void
guest_table_free(uint64_t *root)
{
	int i;

	for (i = 0; i < NPTENTRIES; i++)
		pml4e_free(&root[i]);
	page_decref(pa2page(PADDR(root)));
}

/*
 * Guest memory is backed when the guest first runs, so what guests were
 * promised and have not taken yet is not free. A new guest may have at
 * most half of the rest: one guest cannot starve the host, and guests
 * made one after another cannot overcommit it.
 */
static size_t pages_promised;

/* How many pages a new guest may have now. */
static size_t
host_share(void)
{
	size_t free = page_free_count();

	return free > pages_promised ? (free - pages_promised) / 2 : 0;
}

/* The guest has backed its memory (or died): its promise is kept. */
static void
keep_promise(struct VmxGuestInfo *info)
{
	pages_promised -= info->promised;
	info->promised = 0;
}

/* The guest may still take n pages (shared ones it may copy on write). */
static void
promise(struct VmxGuestInfo *info, size_t n)
{
	keep_promise(info);
	info->promised = n;
	pages_promised += n;
}

/* The guest took one page of those promised. */
static void
took_page(struct VmxGuestInfo *info)
{
	if (info->promised > 0) {
		info->promised--;
		pages_promised--;
	}
}

/*
 * Make e a guest with start->phys_sz bytes of memory, starting in the
 * state start gives (checked by the caller): its info page, its empty
 * nested page table and the backend's vCPU.
 */
int
vmm_guest_init(struct Env *e, const struct vcpu_config *start)
{
	struct VmxGuestInfo *info;
	struct PageInfo *pp;
	int r;

	if ((r = vmm_check_support()) < 0)
		return r;
	if (start->phys_sz / PGSIZE > host_share())
		return -E_NO_MEM;
	if (!(pp = page_alloc(ALLOC_ZERO)))
		return -E_NO_MEM;
	pp->pp_ref++;
	info = page2kva(pp);
	info->phys_sz = start->phys_sz;
	info->start = *start;
	info->cpu = -1;
	info->tsc_scale = 1;
	info->stats.backend = vmm_backend->kind;
	e->env_vmxinfo = info;
	if ((r = gcons_init(e)) < 0 || !(info->nptrt = guest_table_alloc()) ||
	    (r = vmm_backend->vcpu_init(e)) < 0) {
		if (info->nptrt)
			guest_table_free(info->nptrt);
		gcons_free(e);
		page_decref(pp);
		e->env_vmxinfo = NULL;
		return r < 0 ? r : -E_NO_MEM;
	}
	e->env_pml4 = info->nptrt;
	e->env_cr3 = PADDR(info->nptrt);
	e->env_tf.tf_rip = start->rip;
	info->promised = info->phys_sz / PGSIZE;
	pages_promised += info->promised;
	return 0;
}

/* Free the guest's memory, tables, vCPU and info (from env_free, on its CPU). */
void
vmm_guest_free(struct Env *e)
{
	struct VmxGuestInfo *info = e->env_vmxinfo;

	/* env_destroy leaves a guest whose VMCS/VMCB another CPU holds to that CPU. */
	assert(vmm_can_run_here(e));
	vmm_print_exit_counts(e);
	runloop_free(e);
	guest_ipc_forget(e);
	keep_promise(info);
	gcons_free(e);
	vmm_backend->vcpu_free(e);
	guest_table_free(info->nptrt);
	page_decref(pa2page(PADDR(info)));
	e->env_vmxinfo = NULL;
	e->env_pml4 = NULL;
	e->env_cr3 = 0;
}

/*
 * Run guest e on this CPU until it must give the CPU up; never returns.
 * The backend's run loop leaves through sched_yield, which may come back
 * here: so it starts on a clean kernel stack each time, as returning to
 * user mode does (nothing below this frame is needed), or every round
 * trip would leave a frame behind.
 */
void
vmm_run(struct Env *e)
{
	e->env_vmxinfo->entry_tsc = read_tsc();
	asm volatile("movq %0, %%rsp\n\t"
		     "xorl %%ebp, %%ebp\n\t"
		     "call *%2"
		     : : "r" (kstacktop(cpunum())), "D" (e), "r" (vmm_backend->run)
		     : "memory");
	__builtin_unreachable();
}

/* May this CPU run guest e? (Its VMCS or VMCB lives on the CPU that first ran it.) */
bool
vmm_can_run_here(struct Env *e)
{
	return e->env_vmxinfo->cpu == -1 || e->env_vmxinfo->cpu == cpunum();
}

static struct PageInfo *guest_page(struct Env *e, uint64_t gpa, bool *shared);

/*
 * Map pp at gpa in guest e (IPC delivering a page, the file server
 * giving one), dropping what was there; perm in EPT_* bits. A page
 * where the guest had none of its own is one of those promised.
 */
int
vmm_map_page(struct Env *e, struct PageInfo *pp, uint64_t gpa, int perm)
{
	struct VmxGuestInfo *info = e->env_vmxinfo;
	bool shared = false;
	bool had_own = guest_page(e, gpa, &shared) && !shared;
	int r = vmm_backend->npt_insert(info->nptrt, pp, gpa, perm);

	if (r < 0)
		return r;
	if (r > 0)
		info->npt_changed = true;
	if (!had_own)
		took_page(info);
	return 0;
}

/*
 * sys_ept_map's work: share the page at src's srcva with guest at gpa
 * (nested page tables on AMD), or with EPT_MAY_SHARE map the host
 * kernel's page of the same content there instead (vmm/kshare.c). Every
 * argument is checked; nothing changes unless all are good.
 */
int
ept_map_page(struct Env *src, uintptr_t srcva, struct Env *guest, uint64_t gpa, int perm)
{
	struct PageInfo *pp;
	void *hva;
	pte_t *pte;
	int r;

	if (guest->env_type != ENV_TYPE_GUEST)
		return -E_INVAL;
	if (srcva >= UTOP || PGOFF(srcva) || PGOFF(gpa) || gpa >= guest->env_vmxinfo->phys_sz)
		return -E_INVAL;
	if (!(perm & EPT_R) || (perm & ~(EPT_RWX | EPT_MAY_SHARE)))
		return -E_INVAL;
	if ((perm & EPT_MAY_SHARE) && (perm & EPT_RWX) != EPT_RWX)
		return -E_INVAL;
	if (!(pp = page_lookup(src->env_pml4, (void *) srcva, &pte)) || !(*pte & PTE_U))
		return -E_INVAL;
	if ((perm & EPT_W) && !(*pte & PTE_W))
		return -E_INVAL;
	if (vmm_backend->npt_lookup(guest->env_pml4, gpa, &hva) == 0 ||
	    runloop_is_device(guest, gpa))
		return -E_INVAL;	/* no silent remapping; device memory stays unmapped */
	if ((perm & EPT_MAY_SHARE) && kshare_lookup(pp, gpa) != pp) {
		pp = kshare_lookup(pp, gpa);
		perm = EPT_R | EPT_X;	/* written: copied (guest_page_fill) */
	}
	r = vmm_backend->npt_insert(guest->env_pml4, pp, gpa, perm & EPT_RWX);
	return r < 0 ? r : 0;
}

/*
 * The guest's page at gpa, if it has one, and whether it is one of the
 * host kernel's that guests share (read-only, copied on write).
 */
static struct PageInfo *
guest_page(struct Env *e, uint64_t gpa, bool *shared)
{
	void *hva;
	struct PageInfo *pp;

	if (vmm_backend->npt_lookup(e->env_pml4, gpa, &hva) < 0)
		return NULL;
	pp = pa2page(PADDR(hva));
	*shared = kshare_page(pp);
	return pp;
}

/*
 * Make the guest's page at gpa its own before anyone writes to it: a
 * zeroed page if it has none there, a private copy if it has a shared
 * one of the host kernel's (copy on write; the hypervisor writing for
 * the guest goes through here too, so it never writes a shared page).
 */
int
guest_page_fill(struct Env *e, uint64_t gpa)
{
	struct VmxGuestInfo *info = e->env_vmxinfo;
	struct PageInfo *pp, *old;
	bool shared = false;
	int r;

	if ((old = guest_page(e, gpa, &shared)) && !shared)
		return 0;
	if (!(pp = page_alloc(old ? 0 : ALLOC_ZERO)))
		return -E_NO_MEM;
	if (old)
		memcpy(page2kva(pp), page2kva(old), PGSIZE);
	if ((r = vmm_backend->npt_insert(e->env_pml4, pp, ROUNDDOWN(gpa, PGSIZE), EPT_RWX)) < 0) {
		page_free(pp);
		return r;
	}
	if (r > 0)
		info->npt_changed = true;	/* the shared page: the CPU must forget it */
	if (old)
		info->stats.cow_copies++;
	took_page(info);
	return 0;
}

/*
 * Is the guest's page at gpa writable? (Bit 1 is EPT's write bit and a
 * page table's; pmap.c's walker reads both formats, see guest_table_alloc.)
 */
bool
guest_page_writable(struct Env *e, uint64_t gpa)
{
	pte_t *pte = pml4e_walk(e->env_pml4, (void *) gpa, 0);

	return pte && (*pte & PTE_P) && (*pte & PTE_W);
}

/*
 * Guest memory is backed in two parts. What a guest's boot touches is
 * backed before it first runs, saving a nested-page-fault exit per page:
 * base memory, the kernel image and the kernel's boot-time allocations
 * (pages[] and envs[]), which end at 0x370000 in a 16 MB guest (pages[]
 * grows by 16 bytes per page of guest memory), up to GUEST_EAGER_BYTES.
 * The rest, and the BIOS hole, which a guest leaves alone, are backed
 * when the guest first touches them, FAULT_AROUND bytes at a time; an
 * idle guest never does, and a guest's page allocator hands out low
 * pages first.
 */
#define GUEST_EAGER_BYTES	(4 * 1024 * 1024)
#define FAULT_AROUND		(16 * PGSIZE)

/* Is the guest's page at gpa one that its boot touches? */
static bool
boot_touches(uint64_t gpa)
{
	return gpa < IOPHYSMEM || (gpa >= EXTPHYSMEM && gpa < GUEST_EAGER_BYTES);
}

/*
 * Back the memory the guest's boot touches before it first runs (what
 * vmm loaded stays). Device ranges stay holes. The host
 * kernel's pages it shares stay shared. The pages it may still take, by
 * touching the rest or by writing a shared page, stay promised, so that
 * the host is never short of them.
 */
int
guest_populate(struct Env *e)
{
	uint64_t gpa;
	size_t later = 0;
	bool shared;
	int r;

	keep_promise(e->env_vmxinfo);
	for (gpa = 0; gpa < e->env_vmxinfo->phys_sz; gpa += PGSIZE) {
		if (runloop_is_device(e, gpa))
			continue;
		if (guest_page(e, gpa, &shared))
			later += shared;
		else if (!boot_touches(gpa))
			later++;
		else if ((r = guest_page_fill(e, gpa)) < 0)
			return r;
	}
	promise(e->env_vmxinfo, later);
	return 0;
}

/* Back the guest's RAM that has no page yet in the FAULT_AROUND bytes around gpa. */
static int
guest_back_around(struct Env *e, uint64_t gpa)
{
	uint64_t a = ROUNDDOWN(gpa, FAULT_AROUND);
	uint64_t end = MIN(a + FAULT_AROUND, e->env_vmxinfo->phys_sz);
	bool shared;
	int r;

	for (; a < end; a += PGSIZE)
		if (!runloop_is_device(e, a) && !guest_page(e, a, &shared) &&
		    (r = guest_page_fill(e, a)) < 0)
			return r;
	return 0;
}

/*
 * Copy len bytes from guest-physical gpa: mapped pages, or RAM the guest
 * has not touched yet (zeros).
 */
int
guest_copy_in(struct Env *e, void *dst, uint64_t gpa, size_t len)
{
	size_t n;
	void *hva;
	int r;

	for (; len > 0; len -= n, gpa += n, dst = (char *) dst + n) {
		n = MIN(len, (size_t) (PGSIZE - PGOFF(gpa)));
		if ((r = vmm_backend->npt_lookup(e->env_pml4, gpa, &hva)) == 0)
			memcpy(dst, hva, n);
		else if (guest_ram(e, gpa, n))
			memset(dst, 0, n);
		else
			return r;
	}
	return 0;
}

/* Copy len bytes to guest-physical gpa, giving the guest the pages it lacks. */
int
guest_copy_out(struct Env *e, uint64_t gpa, const void *src, size_t len)
{
	size_t n;
	void *hva;
	int r;

	for (; len > 0; len -= n, gpa += n, src = (const char *) src + n) {
		n = MIN(len, (size_t) (PGSIZE - PGOFF(gpa)));
		if ((r = guest_page_fill(e, gpa)) < 0 ||
		    (r = vmm_backend->npt_lookup(e->env_pml4, gpa, &hva)) < 0)
			return r;
		memcpy(hva, src, n);
	}
	return 0;
}

/*
 * Where the guest register numbered n is saved, in the SDM's numbering of
 * exit qualifications and instruction encodings (0 rax, 1 rcx, 2 rdx,
 * 3 rbx, 5 rbp, 6 rsi, 7 rdi, 8-15 r8-r15). Not 4, rsp: it lives in the
 * VMCS or VMCB.
 */
uint64_t *
guest_gpr(struct Env *e, int n)
{
	static const uint8_t offset[16] = {
		offsetof(struct PushRegs, reg_rax), offsetof(struct PushRegs, reg_rcx),
		offsetof(struct PushRegs, reg_rdx), offsetof(struct PushRegs, reg_rbx), 0,
		offsetof(struct PushRegs, reg_rbp), offsetof(struct PushRegs, reg_rsi),
		offsetof(struct PushRegs, reg_rdi), offsetof(struct PushRegs, reg_r8),
		offsetof(struct PushRegs, reg_r9), offsetof(struct PushRegs, reg_r10),
		offsetof(struct PushRegs, reg_r11), offsetof(struct PushRegs, reg_r12),
		offsetof(struct PushRegs, reg_r13), offsetof(struct PushRegs, reg_r14),
		offsetof(struct PushRegs, reg_r15),
	};

	return (uint64_t *) ((char *) &e->env_tf.tf_regs + offset[n]);
}

/* Count an exit of kind slot (before handling it: the guest may not survive it). */
void
guest_exit_begin(struct Env *e, unsigned slot)
{
	struct VmxExitStats *st = &e->env_vmxinfo->stats;

	e->env_vmxinfo->run_ticks += read_tsc() - e->env_vmxinfo->entry_tsc;
	gcons_drain(e);			/* its console output since the last exit */
	st->total_exits++;
	if (slot < VMM_EXIT_SLOTS)
		st->count[slot]++;
}

/* Add the TSC ticks since start_tsc to the time spent on exits of kind slot. */
void
guest_exit_end(struct Env *e, unsigned slot, uint64_t start_tsc)
{
	e->env_vmxinfo->entry_tsc = read_tsc();
	if (slot < VMM_EXIT_SLOTS)
		e->env_vmxinfo->stats.ticks[slot] += e->env_vmxinfo->entry_tsc - start_tsc;
}

/* The exit counters, one line per kind of exit that occurred. */
void
vmm_print_exit_counts(struct Env *e)
{
	struct VmxExitStats *st = &e->env_vmxinfo->stats;
	int i;

	cprintf("[VMM] guest %08x: %lu VM exits\n", e->env_id, st->total_exits);
	for (i = 0; i < VMM_EXIT_SLOTS; i++)
		if (st->count[i])
			cprintf("[VMM]   %-20s %8lu exits %12lu ticks handling\n",
				vmm_exit_name(st->backend, i), st->count[i], st->ticks[i]);
	if (st->cow_copies)
		cprintf("[VMM]   and %lu shared kernel pages copied on write\n", st->cow_copies);
}

/* End the guest normally (it powered off). Does not return. */
void
guest_end(struct Env *e, const char *why)
{
	cprintf("[VMM] guest %08x ended: %s\n", e->env_id, why);
	env_destroy(e);
	panic("guest_end: env_destroy returned");
}

/* Add one field to a dump (the backends' tables); past VM_DUMP_MAX it is left out. */
void
guest_dump_field(struct vm_dump *d, const char *name, uint32_t group, uint32_t size,
		 uint64_t value)
{
	struct vm_dump_field *f;

	if (d->nfields >= VM_DUMP_MAX)
		return;
	f = &d->field[d->nfields++];
	strncpy(f->name, name, sizeof f->name - 1);
	f->group = group;
	f->size = size;
	f->value = value;
}

/* Guest e's VMCS or VMCB, field by field (vmdump); -E_BUSY: try again. */
int
vmm_guest_dump(struct Env *e, struct vm_dump *d)
{
	memset(d, 0, sizeof *d);
	return vmm_backend->dump_state(e, d);
}

/*
 * Destroy the guest for the reason given, with why it stopped and its
 * whole VMCS or VMCB (the dump vmdump shows). Does not return.
 */
void
guest_fail(struct Env *e, const char *why)
{
	static struct vm_dump dump;	/* too big for the stack; the kernel lock guards it */

	cprintf("[VMM] guest %08x destroyed: %s\n", e->env_id, why);
	vmm_backend->dump(e);
	if (vmm_guest_dump(e, &dump) == 0)
		vm_dump_print(&dump, "[VMM]   ", cprintf);
	env_destroy(e);
	panic("guest_fail: env_destroy returned");
}

/*
 * Touching guest memory for the first time: back it (guest_back_around);
 * writing to a page it shares with the host kernel: give it its own copy
 * (a page it has already, the guest's own: nothing to do). Device
 * memory of a user-device guest (a registered range, or anything outside
 * RAM, as under KVM): its VMM's. Elsewhere: fatal.
 */
enum vmexit_action
guest_memory_fault(struct Env *e, uint64_t gpa)
{
	static char why[80];
	bool shared;
	int r;

	if (runloop_guest(e) && (gpa >= e->env_vmxinfo->phys_sz || runloop_is_device(e, gpa)))
		return runloop_mmio(e, gpa);
	if (gpa >= e->env_vmxinfo->phys_sz) {
		snprintf(why, sizeof why, "access to gpa %lx, outside its %luK of memory", gpa,
			 e->env_vmxinfo->phys_sz / 1024);
		guest_fail(e, why);
	}
	if (guest_page(e, gpa, &shared))
		r = guest_page_fill(e, gpa);
	else
		r = guest_back_around(e, gpa);
	if (r < 0)
		guest_fail(e, "out of host memory for guest pages");
	return VMEXIT_RESUME;	/* re-run the instruction */
}

/* HANDOUT BEGIN hide_extensions: - */
/* No nested guests: CPUID never shows VMX or SVM. */
static void
hide_extensions(uint32_t leaf, uint32_t *ecx)
{
	if (leaf == 1)
		*ecx &= ~CPUID_1_ECX_VMX;
	if (leaf == CPUID_EXT_FEATURES)
		*ecx &= ~CPUID_EXT_ECX_SVM;
}
/* HANDOUT END */

/*
 * CPUID: the real answer, except that the hardware virtualization
 * extensions are hidden, the hypervisor bit is set, and leaves
 * 0x40000000/1 name us and say which hypercall instruction to use. A
 * guest that must not know (vmm -F, VCPU_F_NATIVE) gets the real answer
 * without VMX/SVM: no hypervisor bit, and leaf 0x40000000 as the CPU has it.
 */
enum vmexit_action
handle_cpuid(struct Env *e)
{
	/* HANDOUT BEGIN handle_cpuid: guest_fail(e, "handle_cpuid: not written yet"); */
	struct PushRegs *r = &e->env_tf.tf_regs;
	uint32_t leaf = r->reg_rax, a, b, c, d;

	if (runloop_native(e)) {
		cpuid(leaf, r->reg_rcx, &a, &b, &c, &d);
		hide_extensions(leaf, &c);
	} else if (leaf == CPUID_HV_LEAF) {
		a = CPUID_HV_FEATURES;
		memcpy(&b, CPUID_HV_SIGNATURE, 4);
		memcpy(&c, CPUID_HV_SIGNATURE + 4, 4);
		memcpy(&d, CPUID_HV_SIGNATURE + 8, 4);
	} else if (leaf == CPUID_HV_FEATURES) {
		a = vmm_backend->kind == VMM_BACKEND_SVM ? HV_FEATURE_VMMCALL : 0;
		b = c = d = 0;
	} else {
		cpuid(leaf, r->reg_rcx, &a, &b, &c, &d);
		hide_extensions(leaf, &c);
		if (leaf == 1)
			c |= CPUID_1_ECX_HYPERVISOR;
	}
	r->reg_rax = a;
	r->reg_rbx = b;
	r->reg_rcx = c;
	r->reg_rdx = d;
	vmm_backend->skip_insn(e);
	return VMEXIT_RESUME;
	/* HANDOUT END */
}

#define MSR_APIC_BASE		0x1B
#define APIC_BASE_BSP		(1U << 8)
#define APIC_BASE_ENABLE	(1U << 11)
#define NATIVE_APIC_BASE	0xFEE00000	/* where the VMM's APIC stub answers */

/*
 * RDMSR of an MSR besides EFER: true, with *v, if the guest may read it.
 * Only a guest that believes it is native (vmm -F) reads one, the APIC
 * base, which it asks for when no MP table names its APIC (kern/lapic.c);
 * its VMM answers the APIC's MMIO page. Any other: #GP (the backend's).
 */
bool
guest_rdmsr(struct Env *e, uint32_t msr, uint64_t *v)
{
	if (!runloop_native(e) || msr != MSR_APIC_BASE)
		return false;
	*v = NATIVE_APIC_BASE | APIC_BASE_BSP | APIC_BASE_ENABLE;
	return true;
}

/*
 * The guest is idle: let the host run others, then continue after the
 * HLT (or tell its VMM, if it asked).
 */
enum vmexit_action
guest_hlt(struct Env *e)
{
	vmm_backend->skip_insn(e);
	return runloop_guest(e) ? runloop_hlt(e) : VMEXIT_YIELD;
}

enum vmexit_action
guest_triple_fault(struct Env *e)
{
	guest_fail(e, "triple fault");
}

/*
 * The guest's clock. Its TSC reads as the host's minus the moment of its
 * first entry (the backend's TSC offset, no exits), so it starts near 0.
 * With a scale N > 1 (vmm -T N) every RDTSC exits instead and reads N
 * times the host's ticks since that moment: the guest's view of time
 * runs N times faster. The product wraps at 2^64 as a real TSC would;
 * N is bounded, so that takes centuries of host time.
 */
int
guest_set_tsc_scale(struct Env *e, uint64_t scale)
{
	if (scale < 1 || scale > VMM_TSC_SCALE_MAX)
		return -E_INVAL;
	if (e->env_vmxinfo->cpu != -1)
		return -E_BUSY;		/* it has run: its controls are set */
	e->env_vmxinfo->tsc_scale = scale;
	return 0;
}

/* At the first entry: the guest's TSC starts now. Returns the TSC offset. */
uint64_t
guest_tsc_start(struct Env *e)
{
	e->env_vmxinfo->tsc_base = read_tsc();
	return -e->env_vmxinfo->tsc_base;
}

/* Must RDTSC exit (the guest's time is scaled)? */
bool
guest_tsc_exits(struct Env *e)
{
	return e->env_vmxinfo->tsc_scale > 1;
}

/* What the guest's RDTSC reads now. */
uint64_t
guest_tsc(struct Env *e)
{
	struct VmxGuestInfo *info = e->env_vmxinfo;

	return (read_tsc() - info->tsc_base) * info->tsc_scale;
}

/* RDTSC exiting: edx:eax = the guest's scaled TSC. */
enum vmexit_action
guest_rdtsc(struct Env *e)
{
	struct PushRegs *r = &e->env_tf.tf_regs;
	uint64_t t = guest_tsc(e);

	r->reg_rax = (uint32_t) t;
	r->reg_rdx = t >> 32;
	vmm_backend->skip_insn(e);
	return VMEXIT_RESUME;
}
