/*
 * Offsets of the general registers in struct PushRegs (inc/trap.h), for
 * vmx_asm.S and svm_asm.S; vmx_exits.c checks each against offsetof with
 * static_assert. And the guest-register moves both use.
 */
#ifndef JOS_VMM_VMX_ASM_H
#define JOS_VMM_VMX_ASM_H

#define REG_R15		0
#define REG_R14		8
#define REG_R13		16
#define REG_R12		24
#define REG_R11		32
#define REG_R10		40
#define REG_R9		48
#define REG_R8		56
#define REG_RSI		64
#define REG_RDI		72
#define REG_RBP		80
#define REG_RDX		88
#define REG_RCX		96
#define REG_RBX		104
#define REG_RAX		112

#ifdef __ASSEMBLER__
/* The guest's rbx, rcx, rdx, rbp and r8-r15 from the PushRegs at base. */
.macro LOAD_GUEST_GPRS base
	movq	REG_RBX(\base), %rbx
	movq	REG_RCX(\base), %rcx
	movq	REG_RDX(\base), %rdx
	movq	REG_RBP(\base), %rbp
	movq	REG_R8(\base), %r8
	movq	REG_R9(\base), %r9
	movq	REG_R10(\base), %r10
	movq	REG_R11(\base), %r11
	movq	REG_R12(\base), %r12
	movq	REG_R13(\base), %r13
	movq	REG_R14(\base), %r14
	movq	REG_R15(\base), %r15
.endm

/* The host's callee-saved registers, around a guest's run. */
.macro PUSH_CALLEE_SAVED
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
.endm

.macro POP_CALLEE_SAVED
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
.endm

/* The same registers, back into the PushRegs at base. */
.macro SAVE_GUEST_GPRS base
	movq	%rbx, REG_RBX(\base)
	movq	%rcx, REG_RCX(\base)
	movq	%rdx, REG_RDX(\base)
	movq	%rbp, REG_RBP(\base)
	movq	%r8, REG_R8(\base)
	movq	%r9, REG_R9(\base)
	movq	%r10, REG_R10(\base)
	movq	%r11, REG_R11(\base)
	movq	%r12, REG_R12(\base)
	movq	%r13, REG_R13(\base)
	movq	%r14, REG_R14(\base)
	movq	%r15, REG_R15(\base)
.endm
#endif

/* Must equal VMX_FAIL_INVALID and VMX_FAIL_VALID (vmx_insn.h). */
#define VMX_FAIL_INVALID_ASM	1
#define VMX_FAIL_VALID_ASM	2

#endif /* !JOS_VMM_VMX_ASM_H */
