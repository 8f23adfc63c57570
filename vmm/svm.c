/*
 * AMD SVM: detecting it, turning it on per CPU, building a guest's VMCB
 * and running the guest. The VT-x backend's counterpart (vmm/vmx.c);
 * svm_backend at the end is what vmm/vmm.h sees.
 *
 * A guest's VMCB holds its control registers, segments, rip, rsp and rax;
 * its other general registers live in its Env's trap frame between runs
 * (svm_asm.S). Every I/O port and MSR access exits (permission maps of
 * all ones), and so do CPUID, HLT, VMMCALL, the SVM instructions, INVD,
 * interrupts, NMIs and shutdown (triple fault). With V_INTR_MASKING the
 * guest's IF and CR8 are virtual: it cannot mask the host's interrupts.
 *
 * Context: kernel lock held; a guest runs only on the CPU that first ran
 * it (as with VT-x).
 */
#include <inc/x86.h>
#include <inc/error.h>
#include <inc/string.h>
#include <inc/assert.h>
#include <kern/env.h>
#include <kern/pmap.h>
#include <kern/cpu.h>
#include <kern/sched.h>
#include <kern/spinlock.h>
#include <vmm/vmm.h>
#include <vmm/svm.h>

#define CPUID_EXT_MAX		0x80000000
#define CPUID_EXT_FEATURES	0x80000001

static physaddr_t hsave_pa[NCPU];	/* VM_HSAVE_PA per CPU; 0: SVM off */
static physaddr_t host_area_pa[NCPU];	/* the host's VMSAVE area per CPU */
static struct Env *last_guest[NCPU];	/* whose translations the TLB may hold */
bool svm_nrips;				/* the CPU saves the next rip on #VMEXIT */

/* All ones: every port and every MSR access exits. */
static uint8_t iopm[IOPM_SIZE] __attribute__((aligned(PGSIZE)));
static uint8_t msrpm[MSRPM_SIZE] __attribute__((aligned(PGSIZE)));

/* The CPU has SVM, enabled by the firmware, with nested paging. */
static int
svm_check(void)
{
	uint32_t max, ecx, edx;

	cpuid(CPUID_EXT_MAX, 0, &max, NULL, NULL, NULL);
	if (max < CPUID_SVM_FEATURES)
		return -E_NO_SVM;
	cpuid(CPUID_EXT_FEATURES, 0, NULL, NULL, &ecx, NULL);
	if (!(ecx & CPUID_EXT_ECX_SVM) || (rdmsr(MSR_VM_CR) & VM_CR_SVMDIS))
		return -E_NO_SVM;
	cpuid(CPUID_SVM_FEATURES, 0, NULL, NULL, NULL, &edx);
	return (edx & SVM_FEATURE_NP) ? 0 : -E_NO_NPT;
}

static physaddr_t
page_for_cpu(void)
{
	struct PageInfo *pp = page_alloc(ALLOC_ZERO);

	if (!pp)
		return 0;
	pp->pp_ref++;
	return page2pa(pp);
}

/* Turn SVM on in this CPU, if it is not on yet. */
static int
svm_enable_cpu(void)
{
	int cpu = cpunum(), r;
	uint32_t edx;

	if (hsave_pa[cpu])
		return 0;
	if ((r = svm_check()) < 0)
		return r;
	if (!(hsave_pa[cpu] = page_for_cpu()) || !(host_area_pa[cpu] = page_for_cpu()))
		return -E_NO_MEM;
	memset(iopm, 0xFF, sizeof iopm);
	memset(msrpm, 0xFF, sizeof msrpm);
	cpuid(CPUID_SVM_FEATURES, 0, NULL, NULL, NULL, &edx);
	svm_nrips = edx & SVM_FEATURE_NRIPS;
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	wrmsr(MSR_VM_HSAVE_PA, hsave_pa[cpu]);
	/* FS, GS, TR, LDTR and the system-call MSRs: what #VMEXIT does not restore. */
	asm volatile("vmsave %%rax" : : "a" (host_area_pa[cpu]) : "memory");
	return 0;
}

static void
set_segment(uint8_t *vmcb, int seg, uint16_t attrib, uint32_t limit)
{
	VMCB16(vmcb, seg + SEG_SEL) = 0;
	VMCB16(vmcb, seg + SEG_ATTRIB) = attrib;
	VMCB32(vmcb, seg + SEG_LIMIT) = limit;
	VMCB64(vmcb, seg + SEG_BASE) = 0;
}

/* Real-mode segments, as a CPU after the BIOS: base 0, 64 KB limit. */
#define REAL_LIMIT	0xFFFF
#define FLAT_LIMIT	0xFFFFFFFF
#define ATTR_CODE	0x9B	/* present, code, readable, accessed */
#define ATTR_DATA	0x93	/* present, data, writable, accessed */
#define ATTR_LONG_CODE	0xA9B	/* ... and 64-bit (L), 4 KB granularity */
#define ATTR_FLAT_DATA	0xC93	/* ... and 32-bit (D/B), 4 KB granularity */
#define ATTR_L		0x200	/* the code segment's L and D bits (VMCB packing) */
#define ATTR_DB		0x400
#define ATTR_LDT	0x82	/* present LDT */
#define ATTR_TSS_BUSY	0x8B	/* present, busy TSS */
#define ATTR_TSS_AVAIL	0x89	/* present, available 32-bit TSS */
#define ATTR_V86	0xF3	/* present, DPL 3, data, writable, accessed */
#define CPL_V86		3
#define RFLAGS_RESERVED	0x2

static const int data_segs[] = { VMCB_ES, VMCB_SS, VMCB_DS, VMCB_FS, VMCB_GS };

static void
set_flat_segments(uint8_t *vmcb, uint16_t code_attr, uint16_t data_attr, uint32_t limit)
{
	size_t i;

	set_segment(vmcb, VMCB_CS, code_attr, limit);
	for (i = 0; i < ARRAY_SIZE(data_segs); i++)
		set_segment(vmcb, data_segs[i], data_attr, limit);
}

static void
vmcb_setup_real(uint8_t *vmcb)
{
	set_flat_segments(vmcb, ATTR_CODE, ATTR_DATA, REAL_LIMIT);
	set_segment(vmcb, VMCB_GDTR, 0, REAL_LIMIT);
	VMCB64(vmcb, VMCB_EFER) = EFER_SVME;	/* VMRUN insists; the guest never sees it */
	VMCB64(vmcb, VMCB_CR0) = CR0_ET | CR0_NE;
	VMCB64(vmcb, VMCB_CR3) = 0;
	VMCB64(vmcb, VMCB_CR4) = 0;
}

/* 64-bit mode with paging on at c->cr3 (a run-loop guest). */
static void
vmcb_setup_long(uint8_t *vmcb, const struct vcpu_config *c)
{
	size_t i;

	set_flat_segments(vmcb, ATTR_LONG_CODE, ATTR_FLAT_DATA, FLAT_LIMIT);
	VMCB16(vmcb, VMCB_CS + SEG_SEL) = c->code_sel;
	for (i = 0; i < ARRAY_SIZE(data_segs); i++)
		VMCB16(vmcb, data_segs[i] + SEG_SEL) = c->data_sel;
	set_segment(vmcb, VMCB_GDTR, 0, c->gdt_limit);
	VMCB64(vmcb, VMCB_GDTR + SEG_BASE) = c->gdt_base;
	VMCB64(vmcb, VMCB_EFER) = EFER_LME | EFER_LMA | EFER_SVME;
	VMCB64(vmcb, VMCB_CR0) = CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG;
	VMCB64(vmcb, VMCB_CR3) = c->cr3;
	VMCB64(vmcb, VMCB_CR4) = CR4_PAE;
}

/*
 * A virtual-8086 task (vmm -r -8), as on VT-x (vmm/vmx.c): protected mode
 * without paging, the VMM's GDT and TSS (its I/O bitmap decides which
 * ports the task may use), CPL 3, IOPL 0; #GP is intercepted for its VMM.
 * QEMU quirk: its I/O permission check insists that TR's cached type be
 * an available 32-bit TSS (its LTR marks only the descriptor in memory
 * busy), so TR says "available" here; VMRUN does not check it.
 */
static void
vmcb_setup_v86(uint8_t *vmcb, const struct vcpu_config *c)
{
	set_flat_segments(vmcb, ATTR_V86, ATTR_V86, REAL_LIMIT);
	set_segment(vmcb, VMCB_GDTR, 0, c->gdt_limit);
	VMCB64(vmcb, VMCB_GDTR + SEG_BASE) = c->gdt_base;
	VMCB64(vmcb, VMCB_EFER) = EFER_SVME;
	VMCB64(vmcb, VMCB_CR0) = CR0_PE | CR0_ET | CR0_NE;
	VMCB64(vmcb, VMCB_CR3) = 0;
	VMCB64(vmcb, VMCB_CR4) = 0;
	VMCB32(vmcb, VMCB_INTERCEPT_EXC) = 1U << T_GPFLT;
}

/* The guest's first state, as its creator asked (vmm/vmm.h: info->start). */
static void
vmcb_setup_guest(uint8_t *vmcb, const struct vcpu_config *c)
{
	bool v86 = c->mode == VCPU_MODE_V86;

	if (c->mode == VCPU_MODE_LONG)
		vmcb_setup_long(vmcb, c);
	else if (v86)
		vmcb_setup_v86(vmcb, c);
	else
		vmcb_setup_real(vmcb);
	set_segment(vmcb, VMCB_IDTR, 0, REAL_LIMIT);
	set_segment(vmcb, VMCB_LDTR, ATTR_LDT, REAL_LIMIT);
	set_segment(vmcb, VMCB_TR, v86 ? ATTR_TSS_AVAIL : ATTR_TSS_BUSY,
		    v86 ? c->tss_limit : REAL_LIMIT);
	if (v86) {
		VMCB16(vmcb, VMCB_TR + SEG_SEL) = c->tss_sel;
		VMCB64(vmcb, VMCB_TR + SEG_BASE) = c->tss_base;
	}
	VMCB8(vmcb, VMCB_CPL) = v86 ? CPL_V86 : 0;
	VMCB64(vmcb, VMCB_DR6) = DR6_INIT;
	VMCB64(vmcb, VMCB_DR7) = DR7_INIT;
	VMCB64(vmcb, VMCB_RFLAGS) = RFLAGS_RESERVED | (v86 ? FL_VM : 0);
	VMCB64(vmcb, VMCB_RIP) = c->rip;
	VMCB64(vmcb, VMCB_RSP) = c->rsp;
	VMCB64(vmcb, VMCB_G_PAT) = GUEST_PAT;
}

static void
vmcb_setup_controls(uint8_t *vmcb, struct VmxGuestInfo *info)
{
	VMCB32(vmcb, VMCB_INTERCEPT_MISC1) = MISC1_INTR | MISC1_NMI | MISC1_CPUID | MISC1_INVD |
					     MISC1_HLT | MISC1_IOIO | MISC1_MSR | MISC1_SHUTDOWN;
	VMCB32(vmcb, VMCB_INTERCEPT_MISC2) = MISC2_VMRUN | MISC2_VMMCALL | MISC2_VMLOAD |
					     MISC2_VMSAVE | MISC2_STGI | MISC2_CLGI |
					     MISC2_SKINIT | MISC2_WBINVD | MISC2_XSETBV;
	VMCB64(vmcb, VMCB_IOPM_BASE) = PADDR(iopm);
	VMCB64(vmcb, VMCB_MSRPM_BASE) = PADDR(msrpm);
	VMCB32(vmcb, VMCB_ASID) = GUEST_ASID;
	VMCB64(vmcb, VMCB_VINTR) = VINTR_MASKING;
	VMCB64(vmcb, VMCB_NP_ENABLE) = NP_ENABLE;
	VMCB64(vmcb, VMCB_NCR3) = PADDR(info->nptrt);
}

/*
 * The guest's clock, set at its first entry (vmm/guest.c): its TSC starts
 * at 0, and with a scale RDTSC and RDTSCP exit.
 */
static void
vmcb_setup_tsc(struct Env *e)
{
	uint8_t *vmcb = svm_vcpu(e)->vmcb;

	VMCB64(vmcb, VMCB_TSC_OFFSET) = guest_tsc_start(e);
	if (guest_tsc_exits(e)) {
		VMCB32(vmcb, VMCB_INTERCEPT_MISC1) |= MISC1_RDTSC;
		VMCB32(vmcb, VMCB_INTERCEPT_MISC2) |= MISC2_RDTSCP;
	}
}

/* An SVM vCPU for guest e: its VMCB, set up as info->start says. */
static int
svm_vcpu_init(struct Env *e)
{
	struct svm_vcpu *v = (struct svm_vcpu *) (e->env_vmxinfo + 1);
	struct PageInfo *pp = page_alloc(ALLOC_ZERO);

	static_assert(sizeof(struct VmxGuestInfo) + sizeof(struct svm_vcpu) <= PGSIZE);
	if (!pp)
		return -E_NO_MEM;
	pp->pp_ref++;
	v->vmcb = page2kva(pp);
	e->env_vmxinfo->vcpu = v;
	vmcb_setup_controls(v->vmcb, e->env_vmxinfo);
	vmcb_setup_guest(v->vmcb, &e->env_vmxinfo->start);
	return 0;
}

static void
svm_vcpu_free(struct Env *e)
{
	int cpu = e->env_vmxinfo->cpu;

	if (cpu >= 0 && last_guest[cpu] == e)
		last_guest[cpu] = NULL;
	page_decref(pa2page(PADDR(svm_vcpu(e)->vmcb)));
}

/*
 * Flush the TLB's guest translations at this entry if they may be
 * another guest's (all guests share one ASID) or stale.
 */
static void
choose_tlb_control(struct Env *e)
{
	struct VmxGuestInfo *info = e->env_vmxinfo;
	int cpu = cpunum();
	bool flush = last_guest[cpu] != e || info->npt_changed;

	VMCB8(svm_vcpu(e)->vmcb, VMCB_TLB_CONTROL) = flush ? TLB_FLUSH_ALL : 0;
	last_guest[cpu] = e;
	info->npt_changed = false;
}

/* The guest's DR0-3 in the hardware while it runs (VMRUN swaps only DR6/7). */
static void
load_guest_drs(struct svm_vcpu *v)
{
	asm volatile("mov %0, %%dr0" : : "r" (v->dr[0]));
	asm volatile("mov %0, %%dr1" : : "r" (v->dr[1]));
	asm volatile("mov %0, %%dr2" : : "r" (v->dr[2]));
	asm volatile("mov %0, %%dr3" : : "r" (v->dr[3]));
}

static void
save_guest_drs(struct svm_vcpu *v)
{
	asm volatile("mov %%dr0, %0" : "=r" (v->dr[0]));
	asm volatile("mov %%dr1, %0" : "=r" (v->dr[1]));
	asm volatile("mov %%dr2, %0" : "=r" (v->dr[2]));
	asm volatile("mov %%dr3, %0" : "=r" (v->dr[3]));
}

/* Enter the guest once; back with its registers saved and the kernel lock held. */
static void
svm_enter(struct Env *e)
{
	struct svm_vcpu *v = svm_vcpu(e);
	struct PushRegs *regs = &e->env_tf.tf_regs;

	choose_tlb_control(e);
	svm_inject_timer(e);
	VMCB64(v->vmcb, VMCB_RAX) = regs->reg_rax;
	load_guest_drs(v);
	unlock_kernel();
	asm_svm_run(PADDR(v->vmcb), regs, host_area_pa[cpunum()]);
	lock_kernel();
	save_guest_drs(v);
	regs->reg_rax = VMCB64(v->vmcb, VMCB_RAX);
}

/*
 * Run guest e on this CPU until it has to give the CPU up. Called by
 * env_run with the kernel lock held; never returns.
 */
static void __attribute__((noreturn))
svm_run(struct Env *e)
{
	struct VmxGuestInfo *info = e->env_vmxinfo;

	if (svm_enable_cpu() < 0)
		guest_fail(e, "cannot start: SVM setup failed");
	if (info->cpu == -1) {
		info->cpu = cpunum();
		if (guest_populate(e) < 0)
			guest_fail(e, "cannot start: out of memory for its pages");
		vmcb_setup_tsc(e);
	}
	guest_resume(e);
	for (;;) {
		svm_enter(e);
		if (e->env_status == ENV_DYING)
			env_destroy(e);		/* destroyed from another CPU while it ran */
		if (svm_exit(e) == VMEXIT_YIELD)
			sched_yield();
	}
}

/* The guest's privilege level, which the VMCB keeps. */
static int
svm_cpl(struct Env *e)
{
	return VMCB8(svm_vcpu(e)->vmcb, VMCB_CPL);
}

/* What the run loop reads of the guest (vmm/runloop.c); rax is in the trap frame. */
static void
svm_get_state(struct Env *e, struct vcpu_state *s)
{
	uint8_t *vmcb = svm_vcpu(e)->vmcb;
	uint16_t attr = VMCB16(vmcb, VMCB_CS + SEG_ATTRIB);

	s->regs.rip = VMCB64(vmcb, VMCB_RIP);
	s->regs.rsp = VMCB64(vmcb, VMCB_RSP);
	s->regs.rflags = VMCB64(vmcb, VMCB_RFLAGS);
	s->regs.cr0 = VMCB64(vmcb, VMCB_CR0);
	s->regs.cr3 = VMCB64(vmcb, VMCB_CR3);
	s->regs.cr4 = VMCB64(vmcb, VMCB_CR4);
	s->regs.efer = VMCB64(vmcb, VMCB_EFER) & ~(uint64_t) EFER_SVME;
	s->regs.cs = VMCB16(vmcb, VMCB_CS + SEG_SEL);
	s->cs_base = VMCB64(vmcb, VMCB_CS + SEG_BASE);
	s->code_bits = (attr & ATTR_L) ? 64 : (s->regs.cr0 & CR0_PE) && (attr & ATTR_DB) ? 32 : 16;
}

static void
svm_set_rip(struct Env *e, uint64_t rip)
{
	VMCB64(svm_vcpu(e)->vmcb, VMCB_RIP) = rip;
}

static void
svm_set_rflags(struct Env *e, uint64_t rflags)
{
	VMCB64(svm_vcpu(e)->vmcb, VMCB_RFLAGS) = rflags;
}

const struct vmm_backend svm_backend = {
	.name = "SVM",
	.kind = VMM_BACKEND_SVM,
	.check = svm_check,
	.vcpu_init = svm_vcpu_init,
	.vcpu_free = svm_vcpu_free,
	.run = svm_run,
	.skip_insn = svm_skip_insn,
	.cpl = svm_cpl,
	.dump = svm_dump,
	.dump_state = svm_dump_state,
	.get_state = svm_get_state,
	.set_rip = svm_set_rip,
	.set_rflags = svm_set_rflags,
	.npt_insert = npt_page_insert,
	.npt_lookup = npt_gpa2hva,
};
