/*
 * SVM exits. As for VT-x (vmm/vmx_exits.c), one table maps each exit code
 * to its handler, which decodes what the VMCB says and hands the work to
 * the generic half where it does not depend on the vendor; a code without
 * a handler destroys the guest with a dump.
 *
 * Where the CPU saves the next rip (Bochs's ryzen), it says what to skip.
 * QEMU's SVM has neither next-RIP saving nor decode assists, so there the
 * instruction is known by its exit: CPUID and RDMSR/WRMSR are 2 bytes,
 * HLT 1, VMMCALL 3 (prefixed forms are not); an I/O exit gives the next
 * rip itself.
 *
 * Context: kernel lock held, on the guest's CPU, right after #VMEXIT.
 */
#include <inc/x86.h>
#include <inc/error.h>
#include <inc/string.h>
#include <inc/assert.h>
#include <kern/env.h>
#include <kern/trap.h>
#include <vmm/vmm.h>
#include <vmm/svm.h>
#include <vmm/guestio.h>

#define SVM_NR_CODES	(SVM_EXIT_NPF + 1)

static uint64_t
exit_code(struct Env *e)
{
	return VMCB64(svm_vcpu(e)->vmcb, VMCB_EXITCODE);
}

/* The counter slot of an exit code (inc/vmx.h). */
static unsigned
exit_slot(uint64_t code)
{
	return code < SVM_EXIT_SLOTS_LOW ? code : SVM_SLOT_NPF + (code - SVM_EXIT_NPF);
}

/* The length of each instruction whose exit skips it (no next-RIP saving). */
static const uint8_t insn_len[SVM_EXIT_SLOTS_LOW] = {
	[SVM_EXIT_RDTSC] = 2,
	[SVM_EXIT_CPUID] = 2,
	[SVM_EXIT_HLT] = 1,
	[SVM_EXIT_MSR] = 2,
	[SVM_EXIT_VMMCALL] = 3,
	[SVM_EXIT_RDTSCP] = 3,
};

void
svm_skip_insn(struct Env *e)
{
	uint8_t *vmcb = svm_vcpu(e)->vmcb;
	uint64_t code = exit_code(e);

	if (code == SVM_EXIT_IOIO)
		VMCB64(vmcb, VMCB_RIP) = VMCB64(vmcb, VMCB_EXITINFO2);
	else if (svm_nrips)
		VMCB64(vmcb, VMCB_RIP) = VMCB64(vmcb, VMCB_NRIP);
	else if (code < SVM_EXIT_SLOTS_LOW && insn_len[code])
		VMCB64(vmcb, VMCB_RIP) += insn_len[code];
	else
		panic("svm_skip_insn: no length for exit %lx", code);
}

/* Why the guest was stopped, in words; its whole VMCB follows (guest_fail). */
void
svm_dump(struct Env *e)
{
	uint8_t *vmcb = svm_vcpu(e)->vmcb;
	uint64_t code = exit_code(e);

	cprintf("[VMM]   exit reason %lu (%s), exitinfo1 %lx, exitinfo2 %lx\n", code,
		vmm_exit_name(VMM_BACKEND_SVM, exit_slot(code)), VMCB64(vmcb, VMCB_EXITINFO1),
		VMCB64(vmcb, VMCB_EXITINFO2));
}

/* Make the guest take exception vector (with error code 0 if with_err). */
static void
inject_exception(struct Env *e, int vector, bool with_err)
{
	VMCB64(svm_vcpu(e)->vmcb, VMCB_EVENTINJ) =
		EVENTINJ_VALID | EVENTINJ_EXCEPTION | (with_err ? EVENTINJ_ERR_VALID : 0) | vector;
}

/*
 * A host interrupt is pending (it stays pending across #VMEXIT): let the
 * host's IDT take it. "sti; hlt" waits for it atomically; a window of one
 * instruction ("sti; nop") is not enough for QEMU with -icount, which
 * looks for interrupts only between its translated blocks, and the guest
 * would exit again forever. If it is the timer, trap() reschedules and the
 * guest resumes later from its VMCB.
 */
static enum vmexit_action
handle_intr(struct Env *e)
{
	asm volatile("sti; hlt; cli" ::: "memory");
	return VMEXIT_RESUME;
}

/* An NMI while the guest ran: the host's trap handler notes it. */
static enum vmexit_action
handle_nmi(struct Env *e)
{
	return VMEXIT_RESUME;
}

/*
 * INS/OUTS of a user-device guest. EXITINFO1 names OUTS's segment only
 * with decode assists (QEMU's TCG has none): OUTS reads from DS, as
 * without a segment override.
 */
static enum vmexit_action
string_io(struct Env *e, uint64_t info)
{
	uint8_t *vmcb = svm_vcpu(e)->vmcb;
	struct string_io io = {
		.port = IOIO_PORT(info), .size = IOIO_SIZE(info), .in = info & IOIO_IN,
		.rep = info & IOIO_REP,
		.addr_bits = (info & IOIO_A16) ? 16 : (info & IOIO_A32) ? 32 : 64,
		.seg_base = VMCB64(vmcb, ((info & IOIO_IN) ? VMCB_ES : VMCB_DS) + SEG_BASE),
	};

	if (!runloop_guest(e))
		guest_fail(e, "string I/O instruction (not emulated)");
	return runloop_string_io(e, &io);
}

static enum vmexit_action
handle_ioio(struct Env *e)
{
	uint64_t info = VMCB64(svm_vcpu(e)->vmcb, VMCB_EXITINFO1);

	if (info & IOIO_STR)
		return string_io(e, info);
	svm_skip_insn(e);
	return guest_port_io(e, IOIO_PORT(info), IOIO_SIZE(info), info & IOIO_IN);
}

/* The EFER bits a guest may set; SVME stays set underneath, unseen. */
#define EFER_GUEST_BITS	(EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE)
#define MSR_WRITE	1	/* EXITINFO1 of an MSR exit */

/*
 * Only EFER is virtualized (and guest_rdmsr's few, read-only); any other
 * MSR raises #GP in the guest, and so
 * does an EFER with unknown bits or LME changed while paging is on.
 */
static enum vmexit_action
handle_msr(struct Env *e)
{
	uint8_t *vmcb = svm_vcpu(e)->vmcb;
	struct PushRegs *r = &e->env_tf.tf_regs;
	uint64_t old = VMCB64(vmcb, VMCB_EFER), v = (r->reg_rdx << 32) | (uint32_t) r->reg_rax;
	bool write = VMCB64(vmcb, VMCB_EXITINFO1) == MSR_WRITE;

	if (!write && guest_rdmsr(e, r->reg_rcx, &v)) {
		r->reg_rax = (uint32_t) v;
		r->reg_rdx = v >> 32;
		svm_skip_insn(e);
		return VMEXIT_RESUME;
	}
	if ((uint32_t) r->reg_rcx != MSR_EFER ||
	    (write && ((v & ~EFER_GUEST_BITS) ||
		       ((VMCB64(vmcb, VMCB_CR0) & CR0_PG) && ((v ^ old) & EFER_LME))))) {
		inject_exception(e, T_GPFLT, true);
		return VMEXIT_RESUME;
	}
	if (write) {
		VMCB64(vmcb, VMCB_EFER) = (v & ~(uint64_t) EFER_LMA) | (old & EFER_LMA) | EFER_SVME;
	} else {
		r->reg_rax = (uint32_t) (old & ~(uint64_t) EFER_SVME);
		r->reg_rdx = old >> 32;
	}
	svm_skip_insn(e);
	return VMEXIT_RESUME;
}

/* The guest sees no SVM (CPUID says so): its SVM instructions raise #UD. */
static enum vmexit_action
handle_svm_insn(struct Env *e)
{
	inject_exception(e, T_ILLOP, false);
	return VMEXIT_RESUME;
}

/* #GP, intercepted for a virtual-8086 guest only: its VMM sees it. */
static enum vmexit_action
handle_gp(struct Env *e)
{
	uint32_t error_code = VMCB64(svm_vcpu(e)->vmcb, VMCB_EXITINFO1);

	if (!runloop_guest(e))
		guest_fail(e, "unexpected exception exit");
	return runloop_exception(e, T_GPFLT, error_code);
}

/* RDTSCP: RDTSC, and ecx = TSC_AUX, which is 0 for every guest. */
static enum vmexit_action
handle_rdtscp(struct Env *e)
{
	e->env_tf.tf_regs.reg_rcx = 0;
	return guest_rdtsc(e);
}

static enum vmexit_action
handle_npf(struct Env *e)
{
	return guest_memory_fault(e, VMCB64(svm_vcpu(e)->vmcb, VMCB_EXITINFO2));
}

static enum vmexit_action (*const exit_handlers[SVM_NR_CODES])(struct Env *) = {
	[SVM_EXIT_GP] = handle_gp,
	[SVM_EXIT_INTR] = handle_intr,
	[SVM_EXIT_NMI] = handle_nmi,
	[SVM_EXIT_RDTSC] = guest_rdtsc,
	[SVM_EXIT_CPUID] = handle_cpuid,
	[SVM_EXIT_HLT] = guest_hlt,
	[SVM_EXIT_IOIO] = handle_ioio,
	[SVM_EXIT_MSR] = handle_msr,
	[SVM_EXIT_SHUTDOWN] = guest_triple_fault,
	[SVM_EXIT_VMRUN ... SVM_EXIT_SKINIT] = handle_svm_insn,
	[SVM_EXIT_VMMCALL] = handle_vmcall,
	[SVM_EXIT_RDTSCP] = handle_rdtscp,
	[SVM_EXIT_NPF] = handle_npf,
};

/* Handle the exit that just happened; count it and the time it took. */
/*
 * An event that the exit cut short while the CPU was delivering it goes
 * in again at the next VMRUN (APM vol. 2, 15.7.2). Not a software
 * interrupt, nor INT3 or INTO (an exception on AMD's CPUs, QEMU's aside):
 * RIP is still at the instruction, which simply runs again. An exit that
 * a user-space VMM would see as the guest's own (MMIO, a forwarded #GP)
 * cannot be both: the guest ends, as on VT-x.
 */
static void
reinject_interrupted_event(struct Env *e, uint64_t code)
{
	uint8_t *vmcb = svm_vcpu(e)->vmcb;
	uint64_t info = VMCB64(vmcb, VMCB_EXITINTINFO);
	uint32_t vector = info & EVENTINJ_VECTOR;

	if (!(info & EVENTINJ_VALID) || (info & EVENTINJ_TYPE) == EVENTINJ_SOFT_INT ||
	    ((info & EVENTINJ_TYPE) == EVENTINJ_EXCEPTION && (vector == T_BRKPT || vector == T_OFLOW)))
		return;
	if (runloop_guest(e) && (code == SVM_EXIT_GP || code == SVM_EXIT_NPF))
		guest_fail(e, "a device access or exception while delivering an event");
	VMCB64(vmcb, VMCB_EVENTINJ) = info;
}

/*
 * Before VMRUN: a due tick of the guest's virtual timer (vmm/vtimer.c)
 * goes in as an event if the guest can take an interrupt now; if not, it
 * waits for a later entry (the host's own timer exits at least every
 * tick). No virtual interrupt (V_IRQ) and no window exit: QEMU 7.2 aborts
 * (tcg_handle_interrupt: assertion failed) when a guest writes CR8 while
 * a V_IRQ is pending, which would let a guest take the host down.
 */
void
svm_inject_timer(struct Env *e)
{
	uint8_t *vmcb = svm_vcpu(e)->vmcb;

	if (!guest_timer_pending(e) || (VMCB64(vmcb, VMCB_EVENTINJ) & EVENTINJ_VALID) ||
	    !(VMCB64(vmcb, VMCB_RFLAGS) & FL_IF) ||
	    (VMCB64(vmcb, VMCB_INT_SHADOW) & INT_SHADOW_ACTIVE))
		return;
	VMCB64(vmcb, VMCB_EVENTINJ) = EVENTINJ_VALID | EVENTINJ_INTR | GUEST_TIMER_VECTOR;
	guest_timer_delivered(e);
}

enum vmexit_action
svm_exit(struct Env *e)
{
	uint64_t start = read_tsc(), code = exit_code(e);
	enum vmexit_action action;

	if ((uint32_t) code == SVM_EXIT_INVALID)
		guest_fail(e, "VM entry failed: invalid guest state");
	if (code >= SVM_NR_CODES || !exit_handlers[code])
		guest_fail(e, "unhandled VM exit");
	reinject_interrupted_event(e, code);
	guest_exit_begin(e, exit_slot(code));
	action = exit_handlers[code](e);
	guest_exit_end(e, exit_slot(code), start);
	return action;
}
