/*
 * VT-x exits. One table maps each basic exit reason to its handler; the
 * handlers decode what the VMCS says and hand the work to the generic
 * half (vmm/guest.c, vmm/hypercall.c, vmm/guestio.c) where it does not
 * depend on the vendor. A reason without a handler destroys the guest
 * with a dump of its state; the host never panics because of a guest.
 *
 * Context: kernel lock held, this guest's VMCS current on this CPU.
 */
#include <inc/x86.h>
#include <inc/error.h>
#include <inc/string.h>
#include <inc/assert.h>
#include <inc/vmx.h>
#include <inc/multiboot.h>
#include <kern/env.h>
#include <kern/pmap.h>
#include <kern/trap.h>
#include <kern/console.h>
#include <kern/ipc.h>
#include <kern/time.h>
#include <vmm/vmm.h>
#include <vmm/vmx.h>
#include <vmm/vmx_insn.h>
#include <vmm/vmx_asm.h>
#include <vmm/vmx_exits.h>
#include <vmm/guestio.h>

static_assert(offsetof(struct PushRegs, reg_r15) == REG_R15);
static_assert(offsetof(struct PushRegs, reg_r14) == REG_R14);
static_assert(offsetof(struct PushRegs, reg_r13) == REG_R13);
static_assert(offsetof(struct PushRegs, reg_r12) == REG_R12);
static_assert(offsetof(struct PushRegs, reg_r11) == REG_R11);
static_assert(offsetof(struct PushRegs, reg_r10) == REG_R10);
static_assert(offsetof(struct PushRegs, reg_r9) == REG_R9);
static_assert(offsetof(struct PushRegs, reg_r8) == REG_R8);
static_assert(offsetof(struct PushRegs, reg_rsi) == REG_RSI);
static_assert(offsetof(struct PushRegs, reg_rdi) == REG_RDI);
static_assert(offsetof(struct PushRegs, reg_rbp) == REG_RBP);
static_assert(offsetof(struct PushRegs, reg_rdx) == REG_RDX);
static_assert(offsetof(struct PushRegs, reg_rcx) == REG_RCX);
static_assert(offsetof(struct PushRegs, reg_rbx) == REG_RBX);
static_assert(offsetof(struct PushRegs, reg_rax) == REG_RAX);
static_assert(VMX_FAIL_INVALID_ASM == VMX_FAIL_INVALID);
static_assert(VMX_FAIL_VALID_ASM == VMX_FAIL_VALID);

/* Why the guest was stopped, in words; its whole VMCS follows (guest_fail). */
void
vmx_dump(struct Env *e)
{
	uint32_t reason = vmcs_read(VM_EXIT_REASON);

	cprintf("[VMM]   exit reason %d (%s)%s, qualification %lx\n", reason & EXIT_REASON_BASIC,
		vmx_exit_name(reason & EXIT_REASON_BASIC),
		(reason & EXIT_REASON_ENTRY_FAIL) ? " on VM entry" : "",
		vmcs_read(EXIT_QUALIFICATION));
}

/* VMLAUNCH/VMRESUME itself failed. */
void
vmx_entry_failed(struct Env *e, int status)
{
	if (status == VMX_FAIL_VALID)
		cprintf("[VMM] VM entry failed: VM-instruction error %ld\n",
			vmcs_read(VM_INSTRUCTION_ERROR));
	else
		cprintf("[VMM] VM entry failed: no current VMCS\n");
	guest_fail(e, "VM entry failed");
}

/* Skip the instruction that caused the exit. */
void
vmx_skip_insn(struct Env *e)
{
	vmcs_write(GUEST_RIP, vmcs_read(GUEST_RIP) + vmcs_read(VM_EXIT_INSTRUCTION_LEN));
}

/* Host interrupts arrive as exits (acknowledged on exit); the kernel handles them. */
static enum vmexit_action
handle_external_interrupt(struct Env *e)
{
	int vector = EXIT_INTR_VECTOR(vmcs_read(VM_EXIT_INTR_INFO));

	if (!irq_dispatch(vector - IRQ_OFFSET))
		return VMEXIT_RESUME;
	guest_preempted(e);
	return VMEXIT_YIELD;
}

/*
 * Before an entry: put a due tick of the guest's virtual timer (vmm/vtimer.c)
 * into the guest if it can take an interrupt now; if not, it waits for a
 * later entry, as on SVM: the host's own timer exits at least every tick,
 * and a guest kernel soon returns to user mode. No interrupt-window exit:
 * a JOS guest's kernel runs with interrupts off, so most ticks that fall
 * due during a hypercall would cost one more exit each. An event already
 * set to go in (a re-injected one, an injected #GP) goes first.
 */
void
vmx_inject_timer(struct Env *e)
{
	uint32_t blocked = INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS;

	if (!guest_timer_pending(e) ||
	    (vmcs_read(VM_ENTRY_INTR_INFO_FIELD) & INTR_INFO_VALID) ||
	    !(vmcs_read(GUEST_RFLAGS) & FL_IF) ||
	    (vmcs_read(GUEST_INTERRUPTIBILITY_INFO) & blocked))
		return;
	vmcs_write(VM_ENTRY_INTR_INFO_FIELD, INTR_INFO_VALID | INTR_TYPE_EXTERNAL |
		   GUEST_TIMER_VECTOR);
	guest_timer_delivered(e);
}

/* INS/OUTS of a user-device guest: what the qualification and instruction info say. */
static enum vmexit_action
string_io(struct Env *e, uint64_t qual)
{
	uint64_t info = vmcs_read(VMX_INSTRUCTION_INFO);
	int seg = (qual & IO_QUAL_IN) ? SEG_ES : INSN_INFO_SEG(info);
	struct string_io io = {
		.port = IO_QUAL_PORT(qual), .size = IO_QUAL_SIZE(qual), .in = qual & IO_QUAL_IN,
		.rep = qual & IO_QUAL_REP, .addr_bits = INSN_INFO_ADDR_BITS(info),
		.seg_base = vmcs_read(GUEST_SEG_BASE(seg)),
	};

	if (!runloop_guest(e) || INSN_INFO_ADDR_SIZE(info) > INSN_INFO_ADDR_64)
		guest_fail(e, "string I/O instruction (not emulated)");
	return runloop_string_io(e, &io);
}

static enum vmexit_action
handle_io(struct Env *e)
{
	uint64_t qual = vmcs_read(EXIT_QUALIFICATION);

	if (qual & IO_QUAL_STRING)
		return string_io(e, qual);
	vmx_skip_insn(e);
	return guest_port_io(e, IO_QUAL_PORT(qual), IO_QUAL_SIZE(qual), qual & IO_QUAL_IN);
}

/* Inject #GP(0) into the guest, as a real CPU does for a bad MSR. */
static void
inject_gp(void)
{
	vmcs_write(VM_ENTRY_INTR_INFO_FIELD,
		   INTR_INFO_VALID | INTR_TYPE_HW_EXCEPTION | INTR_INFO_DELIVER_CODE | T_GPFLT);
	vmcs_write(VM_ENTRY_EXCEPTION_ERROR_CODE, 0);
}

/* The guest sees no VMX (CPUID says so): its VMX instructions raise #UD. */
static enum vmexit_action
handle_vmx_insn(struct Env *e)
{
	vmcs_write(VM_ENTRY_INTR_INFO_FIELD, INTR_INFO_VALID | INTR_TYPE_HW_EXCEPTION | T_ILLOP);
	return VMEXIT_RESUME;
}

#define GPR_RSP			4	/* in exit qualifications, registers are numbered */
#define CR8_PRIORITY_MASK	0xF	/* by the SDM: rax rcx rdx rbx rsp rbp rsi rdi r8.. */

static uint64_t
gpr_read(struct Env *e, int n)
{
	return n == GPR_RSP ? vmcs_read(GUEST_RSP) : *guest_gpr(e, n);
}

static void
gpr_write(struct Env *e, int n, uint64_t v)
{
	if (n == GPR_RSP)
		vmcs_write(GUEST_RSP, v);
	else
		*guest_gpr(e, n) = v;
}

/*
 * MOV to or from CR8 (the other CRs exit only if the guest changes a bit
 * the host owns, which JOS never does). CR8 is a virtual register: the
 * real one is the local APIC's task priority, and a guest that set it
 * could keep the host's timer out.
 */
static enum vmexit_action
handle_cr_access(struct Env *e)
{
	uint64_t q = vmcs_read(EXIT_QUALIFICATION), v;

	if (CR_QUAL_NUM(q) != 8)
		guest_fail(e, "changed a control-register bit the host owns");
	if (CR_QUAL_TYPE(q) == CR_ACCESS_FROM_CR) {
		gpr_write(e, CR_QUAL_GPR(q), vmx_vcpu(e)->cr8);
	} else {
		v = gpr_read(e, CR_QUAL_GPR(q));
		if (v & ~(uint64_t) CR8_PRIORITY_MASK) {
			inject_gp();
			return VMEXIT_RESUME;
		}
		vmx_vcpu(e)->cr8 = v;
	}
	vmx_skip_insn(e);
	return VMEXIT_RESUME;
}

/* The bits of DR6 and DR7 that always read as one. */
static const uint64_t dr_fixed_ones[8] = { [6] = DR6_INIT, [7] = DR7_INIT };

/*
 * MOV to or from a debug register. The real ones are the host's (and
 * would carry values from guest to guest), so the guest's are kept here:
 * it reads back what it wrote, but its breakpoints never fire.
 */
static enum vmexit_action
handle_dr_access(struct Env *e)
{
	uint64_t q = vmcs_read(EXIT_QUALIFICATION);
	uint64_t *dr = &vmx_vcpu(e)->dr[DR_QUAL_NUM(q)];

	if (q & DR_QUAL_FROM_DR)
		gpr_write(e, DR_QUAL_GPR(q), *dr);
	else
		*dr = gpr_read(e, DR_QUAL_GPR(q)) | dr_fixed_ones[DR_QUAL_NUM(q)];
	vmx_skip_insn(e);
	return VMEXIT_RESUME;
}

/*
 * An NMI that arrived while the guest ran, or #GP in a virtual-8086
 * guest (the only exception in its bitmap), which its VMM handles. The
 * host has no NMI sources it handles, so an NMI is noted and the guest
 * goes on.
 */
static enum vmexit_action
handle_exception_nmi(struct Env *e)
{
	uint32_t info = vmcs_read(VM_EXIT_INTR_INFO);

	if (EXIT_INTR_TYPE(info) == INTR_TYPE_HW_EXCEPTION && runloop_guest(e))
		return runloop_exception(e, EXIT_INTR_VECTOR(info),
					 (info & INTR_INFO_DELIVER_CODE)
					 ? vmcs_read(VM_EXIT_INTR_ERROR_CODE) : 0);
	if (EXIT_INTR_TYPE(info) != INTR_TYPE_NMI)
		guest_fail(e, "unexpected exception exit");
	cprintf("[VMM] NMI while guest %08x ran: ignored\n", e->env_id);
	return VMEXIT_RESUME;
}

/* EFER is virtualized, and guest_rdmsr's few; reading any other MSR raises #GP. */
static enum vmexit_action
handle_rdmsr(struct Env *e)
{
	struct PushRegs *r = &e->env_tf.tf_regs;
	uint64_t v;

	if ((uint32_t) r->reg_rcx == MSR_EFER) {
		v = vmcs_read(GUEST_IA32_EFER);
	} else if (!guest_rdmsr(e, r->reg_rcx, &v)) {
		inject_gp();
		return VMEXIT_RESUME;
	}
	r->reg_rax = (uint32_t) v;
	r->reg_rdx = v >> 32;
	vmx_skip_insn(e);
	return VMEXIT_RESUME;
}

/* The EFER bits a guest may set; any other would fail the next VM entry. */
#define EFER_GUEST_BITS	(EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE)

/*
 * Writing EFER: LMA is the CPU's to set (when paging goes on with LME),
 * and the VM-entry control "IA-32e mode guest" must agree with it.
 */
static enum vmexit_action
handle_wrmsr(struct Env *e)
{
	struct PushRegs *r = &e->env_tf.tf_regs;
	uint64_t v = (r->reg_rdx << 32) | (uint32_t) r->reg_rax;
	uint64_t old = vmcs_read(GUEST_IA32_EFER);
	uint32_t entry = vmcs_read(VM_ENTRY_CONTROLS);

	/* As on a real CPU: unknown bits, or LME changed while paging is on. */
	if ((uint32_t) r->reg_rcx != MSR_EFER || (v & ~EFER_GUEST_BITS) ||
	    ((vmcs_read(GUEST_CR0) & CR0_PG) && ((v ^ old) & EFER_LME))) {
		inject_gp();
		return VMEXIT_RESUME;
	}
	v = (v & ~(uint64_t) EFER_LMA) | (old & EFER_LMA);
	vmcs_write(GUEST_IA32_EFER, v);
	vmcs_write(VM_ENTRY_CONTROLS, (v & EFER_LMA) ? entry | ENTRY_IA32E_MODE
						     : entry & ~ENTRY_IA32E_MODE);
	vmx_skip_insn(e);
	return VMEXIT_RESUME;
}

/*
 * Touching guest memory for the first time, or writing a shared kernel
 * page (the instruction's length is meaningless).
 */
static enum vmexit_action
handle_ept_violation(struct Env *e)
{
	return guest_memory_fault(e, vmcs_read(GUEST_PHYSICAL_ADDRESS));
}

static enum vmexit_action
handle_invalid_guest(struct Env *e)
{
	guest_fail(e, "VM entry failed: invalid guest state");
}

static enum vmexit_action (*const exit_handlers[VMX_NR_EXIT_REASONS])(struct Env *) = {
	[EXIT_REASON_EXCEPTION_NMI] = handle_exception_nmi,
	[EXIT_REASON_EXTERNAL_INT] = handle_external_interrupt,
	[EXIT_REASON_TRIPLE_FAULT] = guest_triple_fault,
	[EXIT_REASON_CPUID] = handle_cpuid,
	[EXIT_REASON_HLT] = guest_hlt,
	[EXIT_REASON_RDTSC] = guest_rdtsc,
	[EXIT_REASON_VMCALL] = handle_vmcall,
	[EXIT_REASON_VMCLEAR ... EXIT_REASON_VMXON] = handle_vmx_insn,
	[EXIT_REASON_CR_ACCESS] = handle_cr_access,
	[EXIT_REASON_DR_ACCESS] = handle_dr_access,
	[EXIT_REASON_IO_INSTRUCTION] = handle_io,
	[EXIT_REASON_RDMSR] = handle_rdmsr,
	[EXIT_REASON_WRMSR] = handle_wrmsr,
	[EXIT_REASON_EPT_VIOLATION] = handle_ept_violation,
	[EXIT_REASON_INVALID_GUEST] = handle_invalid_guest,
	[EXIT_REASON_INVEPT] = handle_vmx_insn,
	[EXIT_REASON_INVVPID] = handle_vmx_insn,
	[EXIT_REASON_VMFUNC] = handle_vmx_insn,
};

/*
 * An event (interrupt or exception) that the exit cut short while the CPU
 * was delivering it, say by an EPT violation on the guest's stack, goes
 * in again at the next entry (SDM vol. 3, 28.2.4), or the guest loses it.
 * But an exit that a user-space VMM would see as the guest's own access
 * or exception (MMIO, a forwarded #GP) cannot be both: the guest ends.
 */
static void
reinject_vectoring_event(struct Env *e, uint32_t reason)
{
	uint32_t info = vmcs_read(IDT_VECTORING_INFO);

	if (!(info & INTR_INFO_VALID))
		return;
	if (runloop_guest(e) &&
	    (reason == EXIT_REASON_EXCEPTION_NMI || reason == EXIT_REASON_EPT_VIOLATION))
		guest_fail(e, "a device access or exception while delivering an event");
	vmcs_write(VM_ENTRY_INTR_INFO_FIELD, info & INTR_INFO_EVENT);
	if (info & INTR_INFO_DELIVER_CODE)
		vmcs_write(VM_ENTRY_EXCEPTION_ERROR_CODE, vmcs_read(IDT_VECTORING_ERROR_CODE));
	vmcs_write(VM_ENTRY_INSTRUCTION_LEN, vmcs_read(VM_EXIT_INSTRUCTION_LEN));
}

/* Handle the exit that just happened; count it and the time it took. */
enum vmexit_action
vmexit(struct Env *e)
{
	uint64_t start = read_tsc();
	uint32_t reason = vmcs_read(VM_EXIT_REASON) & EXIT_REASON_BASIC;
	enum vmexit_action action;

	if (reason >= VMX_NR_EXIT_REASONS || !exit_handlers[reason])
		guest_fail(e, "unhandled VM exit");
	reinject_vectoring_event(e, reason);
	guest_exit_begin(e, reason);
	action = exit_handlers[reason](e);
	guest_exit_end(e, reason, start);
	return action;
}
