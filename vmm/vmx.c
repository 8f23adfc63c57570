/*
 * VT-x: detecting it, turning it on per CPU, building a guest's VMCS and
 * running the guest.
 *
 * A guest is an environment of type ENV_TYPE_GUEST. env_run hands it
 * (through vmm_run) to vmx_run, which enters it (asm_vmrun) with the big
 * kernel lock released, as returning to user mode does, and handles each
 * VM exit (vmx_exits.c) until the guest must yield the CPU or dies. A
 * guest's VMCS stays current on the CPU that first ran it, so the guest
 * stays on that CPU. vmx_backend at the end is what vmm/vmm.h sees.
 *
 * Context: kernel lock held.
 */
#include <inc/x86.h>
#include <inc/error.h>
#include <inc/string.h>
#include <inc/assert.h>
#include <inc/vmx.h>
#include <kern/env.h>
#include <kern/pmap.h>
#include <kern/cpu.h>
#include <kern/sched.h>
#include <kern/spinlock.h>
#include <kern/gdt.h>
#include <kern/trap.h>
#include <vmm/vmm.h>
#include <vmm/vmx.h>
#include <vmm/vmx_insn.h>
#include <vmm/ept.h>
#include <vmm/vmx_exits.h>

static void *vmxon_region[NCPU];	/* kernel va, per CPU; NULL: VMX off */
static struct Env *current_guest[NCPU];	/* whose VMCS is current here */

/* One VMX control the hypervisor needs, with its name for error messages. */
struct control {
	uint32_t bit;
	const char *name;
};

static const struct control pin_wanted[] = {
	{ PIN_EXTERNAL_INTERRUPT_EXITING, "external-interrupt exiting" },
	{ 0, 0 }
};

/* CR8 is the real local APIC's TPR: a guest that wrote it could mask the host's timer. */
static const struct control proc_wanted[] = {
	{ CPU_USE_TSC_OFFSETTING, "use TSC offsetting" },
	{ CPU_HLT_EXITING, "HLT exiting" },
	{ CPU_CR8_LOAD_EXITING, "CR8-load exiting" },
	{ CPU_CR8_STORE_EXITING, "CR8-store exiting" },
	{ CPU_MOV_DR_EXITING, "MOV-DR exiting" },
	{ CPU_UNCOND_IO_EXITING, "unconditional I/O exiting" },
	{ CPU_ACTIVATE_SECONDARY, "activate secondary controls" },
	{ 0, 0 }
};

/* A guest whose time is scaled (vmm -T N): its RDTSC exits. */
static const struct control rdtsc_wanted[] = {
	{ CPU_RDTSC_EXITING, "RDTSC exiting" },
	{ 0, 0 }
};

static const struct control proc2_wanted[] = {
	{ CPU2_ENABLE_EPT, "enable EPT" },
	{ CPU2_UNRESTRICTED_GUEST, "unrestricted guest" },
	{ 0, 0 }
};

static const struct control exit_wanted[] = {
	{ EXIT_HOST_ADDR_SPACE_SIZE, "host address-space size" },
	{ EXIT_ACK_INTR_ON_EXIT, "acknowledge interrupt on exit" },
	{ EXIT_SAVE_IA32_EFER, "save IA32_EFER" },
	{ EXIT_LOAD_IA32_EFER, "load IA32_EFER" },
	{ 0, 0 }
};

static const struct control entry_wanted[] = {
	{ ENTRY_LOAD_IA32_EFER, "load IA32_EFER" },
	{ 0, 0 }
};

/* The CPU has VMX (CPUID.1:ECX.VMX). */
int
vmx_check_support(void)
{
	/* HANDOUT BEGIN vmx_check_support: return -E_NOT_SUPP; */
	uint32_t ecx;

	cpuid(1, 0, NULL, NULL, &ecx, NULL);
	return (ecx & CPUID_1_ECX_VMX) ? 0 : -E_NO_VMX;
	/* HANDOUT END */
}

/* May the secondary control bit be set? (Only read the MSR if it exists.) */
static bool
secondary_allowed(uint32_t bit)
{
	if (!((rdmsr(MSR_IA32_VMX_PROCBASED_CTLS) >> 32) & CPU_ACTIVATE_SECONDARY))
		return false;
	return (rdmsr(MSR_IA32_VMX_PROCBASED_CTLS2) >> 32) & bit;
}

/*
 * The CPU has EPT with 4-level walks and write-back memory (-E_NO_EPT),
 * and unrestricted guest, which the real-mode boot stub needs (-E_NO_UG).
 */
int
vmx_check_ept(void)
{
	uint64_t cap;

	if (!secondary_allowed(CPU2_ENABLE_EPT))
		return -E_NO_EPT;
	cap = rdmsr(MSR_IA32_VMX_EPT_VPID_CAP);
	if (!(cap & EPT_CAP_WALK_LENGTH_4) || !(cap & EPT_CAP_WB) ||
	    !(cap & EPT_CAP_INVEPT) || !(cap & EPT_CAP_INVEPT_SINGLE))
		return -E_NO_EPT;
	if (!secondary_allowed(CPU2_UNRESTRICTED_GUEST))
		return -E_NO_UG;
	return 0;
}

/*
 * A control word: what we want, plus what the CPU requires (allowed-0,
 * the MSR's low half), minus what it forbids (allowed-1, the high half).
 * Reports by name each wanted bit the CPU cannot set.
 */
static int
adjust_controls(uint32_t msr, uint32_t true_msr, const struct control *wanted,
		const char *kind, uint32_t *out)
{
	bool use_true = true_msr && (rdmsr(MSR_IA32_VMX_BASIC) & VMX_BASIC_TRUE_CTLS);
	uint64_t cap = rdmsr(use_true ? true_msr : msr);
	uint32_t want = 0, value;
	int i, r = 0;

	for (i = 0; wanted[i].bit; i++)
		want |= wanted[i].bit;
	value = (want | (uint32_t) cap) & (uint32_t) (cap >> 32);
	for (i = 0; wanted[i].bit; i++)
		if (!(value & wanted[i].bit)) {
			cprintf("[VMM] the CPU cannot set the %s control '%s'\n", kind,
				wanted[i].name);
			r = -E_NO_VMX;
		}
	*out = value;
	return r;
}

/* Make a page usable as a VMXON region or VMCS: the revision id first. */
static void *
vmx_page_alloc(void)
{
	struct PageInfo *pp = page_alloc(ALLOC_ZERO);
	uint32_t *page;

	if (!pp)
		return NULL;
	pp->pp_ref++;
	page = page2kva(pp);
	page[0] = (uint32_t) rdmsr(MSR_IA32_VMX_BASIC) & 0x7FFFFFFF;
	return page;
}

/* Turn VMX operation on in this CPU, if it is not on yet. */
static int
vmx_enable_cpu(void)
{
	int cpu = cpunum(), r;
	uint64_t fc;

	if (vmxon_region[cpu])
		return 0;
	if ((r = vmx_check_support()) < 0 || (r = vmx_check_ept()) < 0)
		return r;
	fc = rdmsr(MSR_IA32_FEATURE_CONTROL);
	if (!(fc & FEATURE_CONTROL_LOCKED))
		wrmsr(MSR_IA32_FEATURE_CONTROL,
		      fc | FEATURE_CONTROL_LOCKED | FEATURE_CONTROL_VMXON_OUTSIDE_SMX);
	else if (!(fc & FEATURE_CONTROL_VMXON_OUTSIDE_SMX))
		return -E_NO_VMX;	/* the firmware locked VMX off */

	/* CR0 and CR4 must respect the fixed bits (CR0.NE in particular). */
	lcr0((rcr0() | rdmsr(MSR_IA32_VMX_CR0_FIXED0)) & rdmsr(MSR_IA32_VMX_CR0_FIXED1));
	lcr4((rcr4() | CR4_VMXE | rdmsr(MSR_IA32_VMX_CR4_FIXED0)) &
	     rdmsr(MSR_IA32_VMX_CR4_FIXED1));

	if (!(vmxon_region[cpu] = vmx_page_alloc()))
		return -E_NO_MEM;
	if (vmxon(PADDR(vmxon_region[cpu])) != VMX_OK) {
		cprintf("[VMM] VMXON failed on CPU %d\n", cpu);
		page_decref(pa2page(PADDR(vmxon_region[cpu])));
		vmxon_region[cpu] = NULL;
		return -E_NO_VMX;
	}
	return 0;
}

/* The EPT pointer of a guest: its root, write-back, 4 levels. */
static uint64_t
eptp(struct VmxGuestInfo *info)
{
	return PADDR(info->nptrt) | EPTP_WB | EPTP_WALK_4;
}

/*
 * The VMCS fields whose values never change, as (field, value) tables:
 * USFCA's "machine" array. vmdump names the fields the same way
 * (vmm/vmx_dump.c). Fields that depend on the CPU or the guest are
 * written by the code around them.
 */
struct vmcs_init {
	uint32_t field;
	uint64_t value;
};

static void
vmcs_write_table(const struct vmcs_init *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		vmcs_write(t[i].field, t[i].value);
}

/*
 * No exceptions exit, no MSRs are switched, nothing to inject. The guest
 * must run with CR0.NE and CR4.VMXE set (fixed bits), so the host owns
 * them: the guest reads NE as set (as our kernel sets it anyway) and
 * VMXE as clear.
 */
static const struct vmcs_init fixed_controls[] = {
	{ EXCEPTION_BITMAP, 0 },
	{ CR3_TARGET_COUNT, 0 },
	{ VM_EXIT_MSR_STORE_COUNT, 0 },
	{ VM_EXIT_MSR_LOAD_COUNT, 0 },
	{ VM_ENTRY_MSR_LOAD_COUNT, 0 },
	{ VM_ENTRY_INTR_INFO_FIELD, 0 },
	{ CR0_GUEST_HOST_MASK, CR0_NE },
	{ CR0_READ_SHADOW, CR0_NE | CR0_ET },
	{ CR4_GUEST_HOST_MASK, CR4_VMXE },
	{ CR4_READ_SHADOW, 0 },
};

/* The host's flat selectors; no FS/GS bases, no SYSENTER. */
static const struct vmcs_init fixed_host[] = {
	{ HOST_CS_SELECTOR, GD_KT },
	{ HOST_SS_SELECTOR, GD_KD },
	{ HOST_DS_SELECTOR, GD_KD },
	{ HOST_ES_SELECTOR, GD_KD },
	{ HOST_FS_SELECTOR, 0 },
	{ HOST_GS_SELECTOR, 0 },
	{ HOST_FS_BASE, 0 },
	{ HOST_GS_BASE, 0 },
	{ HOST_IA32_SYSENTER_CS, 0 },
	{ HOST_IA32_SYSENTER_ESP, 0 },
	{ HOST_IA32_SYSENTER_EIP, 0 },
};

/* All five control words; fails (and says which) if one cannot be had. */
static int
vmcs_setup_controls(struct Env *e)
{
	struct VmxGuestInfo *info = e->env_vmxinfo;
	uint32_t pin, proc, proc2, exit, entry, rdtsc = 0;
	int r = 0;

	r |= adjust_controls(MSR_IA32_VMX_PINBASED_CTLS, MSR_IA32_VMX_TRUE_PINBASED_CTLS,
			     pin_wanted, "pin-based", &pin);
	r |= adjust_controls(MSR_IA32_VMX_PROCBASED_CTLS, MSR_IA32_VMX_TRUE_PROCBASED_CTLS,
			     proc_wanted, "processor-based", &proc);
	if (guest_tsc_exits(e))
		r |= adjust_controls(MSR_IA32_VMX_PROCBASED_CTLS,
				     MSR_IA32_VMX_TRUE_PROCBASED_CTLS, rdtsc_wanted,
				     "processor-based", &rdtsc);
	r |= adjust_controls(MSR_IA32_VMX_PROCBASED_CTLS2, 0, proc2_wanted,
			     "secondary processor-based", &proc2);
	r |= adjust_controls(MSR_IA32_VMX_EXIT_CTLS, MSR_IA32_VMX_TRUE_EXIT_CTLS,
			     exit_wanted, "VM-exit", &exit);
	r |= adjust_controls(MSR_IA32_VMX_ENTRY_CTLS, MSR_IA32_VMX_TRUE_ENTRY_CTLS,
			     entry_wanted, "VM-entry", &entry);
	if (r)
		return -E_NO_VMX;
	/* EPT replaces CR3 exiting; the allowed-0 bits may not insist on it. */
	proc &= ~(CPU_CR3_LOAD_EXITING | CPU_CR3_STORE_EXITING | CPU_INVLPG_EXITING);
	vmcs_write(PIN_BASED_VM_EXEC_CONTROL, pin);
	vmcs_write(CPU_BASED_VM_EXEC_CONTROL, proc | rdtsc);
	vmcs_write(SECONDARY_VM_EXEC_CONTROL, proc2);
	vmcs_write(VM_EXIT_CONTROLS, exit);
	vmcs_write(VM_ENTRY_CONTROLS, entry & ~ENTRY_IA32E_MODE);
	vmcs_write(EPT_POINTER, eptp(info));
	vmcs_write_table(fixed_controls, ARRAY_SIZE(fixed_controls));
	return 0;
}

/* Where a VM exit lands: this CPU's kernel state, and vmexit_entry in asm_vmrun. */
static void
vmcs_setup_host(void)
{
	extern char vmexit_entry[];
	struct Pseudodesc gdtr, idtr;
	uint16_t tr;

	asm volatile("sgdt %0" : "=m" (gdtr));
	asm volatile("sidt %0" : "=m" (idtr));
	asm volatile("str %0" : "=r" (tr));
	vmcs_write(HOST_CR0, rcr0());
	vmcs_write(HOST_CR3, kern_cr3);
	vmcs_write(HOST_CR4, rcr4());
	vmcs_write_table(fixed_host, ARRAY_SIZE(fixed_host));
	vmcs_write(HOST_TR_SELECTOR, tr);
	vmcs_write(HOST_TR_BASE, (uint64_t) &thiscpu->cpu_ts);
	vmcs_write(HOST_GDTR_BASE, gdtr.pd_base);
	vmcs_write(HOST_IDTR_BASE, idtr.pd_base);
	vmcs_write(HOST_IA32_EFER, rdmsr(MSR_EFER));
	vmcs_write(HOST_RIP, (uint64_t) vmexit_entry);
}

/* Real-mode segments: selector 0, base 0, 64 KB limit. */
#define REAL_LIMIT	0xFFFF
#define FLAT_LIMIT	0xFFFFFFFF
#define AR_CODE		0x9B	/* present, code, readable, accessed */
#define AR_DATA		0x93	/* present, data, writable, accessed */
#define AR_LONG_CODE	0xA09B	/* ... and 64-bit (L), 4 KB granularity */
#define AR_FLAT_DATA	0xC093	/* ... and 32-bit (D/B), 4 KB granularity */
#define AR_L		0x2000	/* the code segment's L and D bits */
#define AR_DB		0x4000
#define AR_TSS_BUSY	0x8B	/* present, busy 32-bit TSS */
#define AR_V86		0xF3	/* present, DPL 3, data, writable, accessed */
#define AR_UNUSABLE	0x10000
#define RFLAGS_RESERVED	0x2

/*
 * A guest's first state that does not depend on its mode. Bochs insists
 * on a usable TR even in real mode (FACTS.md); no LDT; nothing pending.
 */
static const struct vmcs_init fixed_guest[] = {
	{ GUEST_TR_SELECTOR, 0 },
	{ GUEST_TR_BASE, 0 },
	{ GUEST_TR_LIMIT, REAL_LIMIT },
	{ GUEST_TR_AR_BYTES, AR_TSS_BUSY },
	{ GUEST_LDTR_SELECTOR, 0 },
	{ GUEST_LDTR_BASE, 0 },
	{ GUEST_LDTR_LIMIT, 0 },
	{ GUEST_LDTR_AR_BYTES, AR_UNUSABLE },
	{ GUEST_IDTR_BASE, 0 },
	{ GUEST_IDTR_LIMIT, REAL_LIMIT },
	{ GUEST_DR7, DR7_INIT },
	{ GUEST_PENDING_DBG_EXCEPTIONS, 0 },
	{ GUEST_INTERRUPTIBILITY_INFO, 0 },
	{ GUEST_ACTIVITY_STATE, 0 },
	{ GUEST_SYSENTER_CS, 0 },
	{ GUEST_SYSENTER_ESP, 0 },
	{ GUEST_SYSENTER_EIP, 0 },
	{ VMCS_LINK_POINTER, ~0ULL },
};

/* Every segment register but CS and TR: selector, base, limit, access rights. */
static const uint32_t data_segs[][4] = {
	{ GUEST_DS_SELECTOR, GUEST_DS_BASE, GUEST_DS_LIMIT, GUEST_DS_AR_BYTES },
	{ GUEST_ES_SELECTOR, GUEST_ES_BASE, GUEST_ES_LIMIT, GUEST_ES_AR_BYTES },
	{ GUEST_SS_SELECTOR, GUEST_SS_BASE, GUEST_SS_LIMIT, GUEST_SS_AR_BYTES },
	{ GUEST_FS_SELECTOR, GUEST_FS_BASE, GUEST_FS_LIMIT, GUEST_FS_AR_BYTES },
	{ GUEST_GS_SELECTOR, GUEST_GS_BASE, GUEST_GS_LIMIT, GUEST_GS_AR_BYTES },
};

/* CS and the data segments: selectors, flat bases, limits and access rights. */
static void
vmcs_setup_segments(uint16_t code_sel, uint16_t data_sel, uint32_t limit,
		    uint32_t code_ar, uint32_t data_ar)
{
	size_t i;

	vmcs_write(GUEST_CS_SELECTOR, code_sel);
	vmcs_write(GUEST_CS_BASE, 0);
	vmcs_write(GUEST_CS_LIMIT, limit);
	vmcs_write(GUEST_CS_AR_BYTES, code_ar);
	for (i = 0; i < ARRAY_SIZE(data_segs); i++) {
		vmcs_write(data_segs[i][0], data_sel);
		vmcs_write(data_segs[i][1], 0);
		vmcs_write(data_segs[i][2], limit);
		vmcs_write(data_segs[i][3], data_ar);
	}
}

/* The guest starts in real mode, like a CPU after the BIOS. */
static void
vmcs_setup_real(void)
{
	vmcs_setup_segments(0, 0, REAL_LIMIT, AR_CODE, AR_DATA);
	vmcs_write(GUEST_GDTR_BASE, 0);
	vmcs_write(GUEST_GDTR_LIMIT, REAL_LIMIT);
	vmcs_write(GUEST_CR0, CR0_NE | CR0_ET);
	vmcs_write(GUEST_CR3, 0);
	vmcs_write(GUEST_CR4, CR4_VMXE);
	vmcs_write(GUEST_IA32_EFER, 0);
}

/* The guest starts in 64-bit mode with paging on at c->cr3 (a run-loop guest). */
static void
vmcs_setup_long(const struct vcpu_config *c)
{
	vmcs_setup_segments(c->code_sel, c->data_sel, FLAT_LIMIT, AR_LONG_CODE, AR_FLAT_DATA);
	vmcs_write(GUEST_GDTR_BASE, c->gdt_base);
	vmcs_write(GUEST_GDTR_LIMIT, c->gdt_limit);
	vmcs_write(GUEST_CR0, CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG);
	vmcs_write(GUEST_CR3, c->cr3);
	vmcs_write(GUEST_CR4, CR4_PAE | CR4_VMXE);
	vmcs_write(GUEST_IA32_EFER, EFER_LME | EFER_LMA);
	vmcs_write(VM_ENTRY_CONTROLS, vmcs_read(VM_ENTRY_CONTROLS) | ENTRY_IA32E_MODE);
}

/*
 * A virtual-8086 task (vmm -r -8): protected mode without paging (which
 * unrestricted guest allows), the VMM's GDT and TSS, whose I/O bitmap
 * decides which ports the task may use; segments as the SDM demands in
 * virtual-8086 mode (base = selector * 16, limit 64 KB, DPL 3). The task
 * runs at CPL 3 with IOPL 0: CLI, HLT, INT and denied ports raise #GP,
 * which exits (the exception bitmap) for its VMM to see.
 */
static void
vmcs_setup_v86(const struct vcpu_config *c)
{
	vmcs_setup_segments(0, 0, REAL_LIMIT, AR_V86, AR_V86);
	vmcs_write(GUEST_GDTR_BASE, c->gdt_base);
	vmcs_write(GUEST_GDTR_LIMIT, c->gdt_limit);
	vmcs_write(GUEST_TR_SELECTOR, c->tss_sel);
	vmcs_write(GUEST_TR_BASE, c->tss_base);
	vmcs_write(GUEST_TR_LIMIT, c->tss_limit);
	vmcs_write(GUEST_CR0, CR0_PE | CR0_NE | CR0_ET);
	vmcs_write(GUEST_CR3, 0);
	vmcs_write(GUEST_CR4, CR4_VMXE);
	vmcs_write(GUEST_IA32_EFER, 0);
	vmcs_write(EXCEPTION_BITMAP, 1U << T_GPFLT);
}

/*
 * The guest's first state, as its creator asked (vmm/vmm.h: info->start).
 * Bochs quirk: with external-interrupt exiting on, Bochs still exits for
 * a host interrupt only if the guest's RFLAGS.IF is set (the SDM says
 * regardless of IF). A user-device guest that spins with interrupts off
 * (simvirtio-poll) would then never give its polling VMM the CPU; so such
 * a guest starts with IF set. It has no IDT, but it never needs one:
 * every external interrupt exits before delivery.
 */
static void
vmcs_setup_guest(const struct vcpu_config *c, bool user_devices)
{
	uint64_t rflags = RFLAGS_RESERVED | (user_devices ? FL_IF : 0);

	vmcs_write_table(fixed_guest, ARRAY_SIZE(fixed_guest));
	if (c->mode == VCPU_MODE_LONG)
		vmcs_setup_long(c);
	else if (c->mode == VCPU_MODE_V86)
		vmcs_setup_v86(c);
	else
		vmcs_setup_real();
	vmcs_write(GUEST_RSP, c->rsp);
	vmcs_write(GUEST_RIP, c->rip);
	vmcs_write(GUEST_RFLAGS, rflags | (c->mode == VCPU_MODE_V86 ? FL_VM : 0));
}

/* A VT-x vCPU for guest e: its VMCS (filled in from info->start when it first runs). */
static int
vmx_vcpu_init(struct Env *e)
{
	struct vmx_vcpu *v = (struct vmx_vcpu *) (e->env_vmxinfo + 1);

	static_assert(sizeof(struct VmxGuestInfo) + sizeof(struct vmx_vcpu) <= PGSIZE);
	if (!(v->vmcs = vmx_page_alloc()))
		return -E_NO_MEM;
	v->dr[6] = DR6_INIT;
	v->dr[7] = DR7_INIT;
	e->env_vmxinfo->vcpu = v;
	return 0;
}

/* Free the VMCS (on the guest's CPU), after the CPU forgets the EPT's translations. */
static void
vmx_vcpu_free(struct Env *e)
{
	struct VmxGuestInfo *info = e->env_vmxinfo;
	int cpu = cpunum();

	if (info->cpu == cpu) {
		/* The EPT root may serve the next guest: forget what it cached. */
		invept_single(eptp(info));
		vmclear(PADDR(vmx_vcpu(e)->vmcs));
		current_guest[cpu] = NULL;
	}
	page_decref(pa2page(PADDR(vmx_vcpu(e)->vmcs)));
}

/* Make e's VMCS current on this CPU, building it the first time. */
static int
vmx_load_vmcs(struct Env *e)
{
	struct VmxGuestInfo *info = e->env_vmxinfo;
	struct vmx_vcpu *v = vmx_vcpu(e);
	int cpu = cpunum(), r;

	if (current_guest[cpu] == e)
		return 0;
	if (info->cpu == -1 && vmclear(PADDR(v->vmcs)) != VMX_OK)
		return -E_INVAL;
	if (vmptrld(PADDR(v->vmcs)) != VMX_OK)
		return -E_INVAL;
	current_guest[cpu] = e;
	if (info->cpu == -1) {
		info->cpu = cpu;
		if ((r = vmcs_setup_controls(e)) < 0 || (r = guest_populate(e)) < 0)
			return r;
		vmcs_setup_host();
		vmcs_setup_guest(&info->start, runloop_guest(e));
		vmcs_write(TSC_OFFSET, guest_tsc_start(e));	/* last: it starts now */
	}
	return 0;
}

/*
 * Run guest e on this CPU until it has to give the CPU up. Called by
 * env_run with the kernel lock held; never returns.
 */
static void __attribute__((noreturn))
vmx_run(struct Env *e)
{
	struct VmxGuestInfo *info = e->env_vmxinfo;
	struct vmx_vcpu *v = vmx_vcpu(e);
	int r;

	if ((r = vmx_enable_cpu()) < 0 || (r = vmx_load_vmcs(e)) < 0)
		guest_fail(e, "cannot start: VMX setup failed");
	guest_resume(e);
	for (;;) {
		/* A changed EPT entry may still be cached by this CPU. */
		if (info->npt_changed) {
			invept_single(eptp(info));
			info->npt_changed = false;
		}
		vmx_inject_timer(e);
		unlock_kernel();
		r = asm_vmrun(&e->env_tf.tf_regs, v->launched);
		/* A VM exit sets the GDTR and IDTR limits to 0xFFFF: user code could
		   then load selectors past the end of the real GDT. */
		gdt_reload();
		trap_init_percpu();
		lock_kernel();
		if (r != VMX_OK)
			vmx_entry_failed(e, r);
		v->launched = true;
		if (e->env_status == ENV_DYING) {
			/* Destroyed from another CPU while it ran. */
			env_destroy(e);
		}
		if (vmexit(e) == VMEXIT_YIELD)
			sched_yield();
	}
}

/* The guest's privilege level: the DPL of SS (SDM vol. 3, 3.4.5). */
static int
vmx_cpl(struct Env *e)
{
	return (vmcs_read(GUEST_SS_AR_BYTES) >> 5) & 3;
}

/* What the run loop reads of the guest (vmm/runloop.c); rax is in the trap frame. */
static void
vmx_get_state(struct Env *e, struct vcpu_state *s)
{
	uint64_t ar = vmcs_read(GUEST_CS_AR_BYTES);

	s->regs.rip = vmcs_read(GUEST_RIP);
	s->regs.rsp = vmcs_read(GUEST_RSP);
	s->regs.rflags = vmcs_read(GUEST_RFLAGS);
	s->regs.cr0 = vmcs_read(GUEST_CR0);
	s->regs.cr3 = vmcs_read(GUEST_CR3);
	s->regs.cr4 = vmcs_read(GUEST_CR4) & ~(uint64_t) CR4_VMXE;
	s->regs.efer = vmcs_read(GUEST_IA32_EFER);
	s->regs.cs = vmcs_read(GUEST_CS_SELECTOR);
	s->cs_base = vmcs_read(GUEST_CS_BASE);
	s->code_bits = (ar & AR_L) ? 64 : (s->regs.cr0 & CR0_PE) && (ar & AR_DB) ? 32 : 16;
}

static void
vmx_set_rip(struct Env *e, uint64_t rip)
{
	vmcs_write(GUEST_RIP, rip);
}

static void
vmx_set_rflags(struct Env *e, uint64_t rflags)
{
	vmcs_write(GUEST_RFLAGS, rflags);
}

/*
 * The guest's VMCS, field by field (vmdump, a dying guest). Only the CPU
 * that holds it can read it: elsewhere -E_BUSY, try again.
 */
static int
vmx_dump_state(struct Env *e, struct vm_dump *d)
{
	if (e->env_vmxinfo->cpu != cpunum() || !vmxon_region[cpunum()] || vmx_load_vmcs(e) < 0)
		return -E_BUSY;
	vmx_dump_fields(e, d);
	return 0;
}

/* Can guests run here? The CPU needs VMX, EPT and unrestricted guest. */
static int
vmx_check(void)
{
	int r;

	if ((r = vmx_check_support()) < 0 || (r = vmx_check_ept()) < 0)
		return r;
	return 0;
}

const struct vmm_backend vmx_backend = {
	.name = "VT-x",
	.kind = VMM_BACKEND_VMX,
	.check = vmx_check,
	.vcpu_init = vmx_vcpu_init,
	.vcpu_free = vmx_vcpu_free,
	.run = vmx_run,
	.skip_insn = vmx_skip_insn,
	.cpl = vmx_cpl,
	.dump = vmx_dump,
	.dump_state = vmx_dump_state,
	.get_state = vmx_get_state,
	.set_rip = vmx_set_rip,
	.set_rflags = vmx_set_rflags,
	.npt_insert = ept_page_insert,
	.npt_lookup = ept_gpa2hva,
};
