/*
 * asm_svm_run(vmcb_pa, regs, host_area_pa): enter an SVM guest and come
 * back after its next #VMEXIT.
 *
 * VMRUN loads and saves only part of the guest's state: rax, rsp, rip,
 * the control registers and the segments are in the VMCB, but the other
 * general registers are ours to load from regs and save back, and FS,
 * GS, TR, LDTR and the system-call MSRs move with VMLOAD/VMSAVE. So:
 * VMLOAD the guest's, VMRUN, VMSAVE the guest's, VMLOAD the host's (its
 * TR above all, which the guest's replaced), then STGI: #VMEXIT leaves the
 * global interrupt flag clear.
 *
 * Interrupts: with V_INTR_MASKING, the host's IF at VMRUN decides whether
 * a host interrupt stops the guest (an INTR exit). So VMRUN runs with IF
 * set, under CLGI so that nothing is taken here; after the exit IF is
 * cleared before STGI, and the interrupt stays pending until the run
 * loop takes it on purpose (svm_exits.c: handle_intr).
 * The REG_* offsets are checked against struct PushRegs in vmx_exits.c.
 */
#include <vmm/vmx_asm.h>

	.text
	.globl asm_svm_run
asm_svm_run:
	PUSH_CALLEE_SAVED
	pushq	%rdx			/* host_area_pa */
	pushq	%rdi			/* vmcb_pa */
	pushq	%rsi			/* regs */

	movq	%rdi, %rax		/* the VMCB, for VMLOAD, VMRUN, VMSAVE */
	movq	REG_RDI(%rsi), %rdi
	LOAD_GUEST_GPRS %rsi
	movq	REG_RSI(%rsi), %rsi

	clgi
	sti
	vmload	%rax
	vmrun	%rax
	movq	8(%rsp), %rax		/* the guest's rax is in the VMCB */
	vmsave	%rax

	pushq	%rsi			/* the guest's rsi; regs is above it */
	movq	8(%rsp), %rsi
	movq	%rdi, REG_RDI(%rsi)
	SAVE_GUEST_GPRS %rsi
	popq	%rax
	movq	%rax, REG_RSI(%rsi)
	addq	$16, %rsp		/* regs, vmcb_pa */

	popq	%rax			/* host_area_pa */
	vmload	%rax
	cli
	stgi

	POP_CALLEE_SAVED
	ret
