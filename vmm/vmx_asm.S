/*
 * asm_vmrun(struct PushRegs *regs, bool launched): load the guest's
 * general registers from regs and enter it (VMLAUNCH the first time,
 * VMRESUME after). The CPU loads the rest of the guest state from the
 * VMCS. On a VM exit the CPU restores the host's rsp (HOST_RSP, written
 * here just before entry) and jumps to vmexit_entry (HOST_RIP), which
 * saves the guest registers back into regs and returns 0. If the entry
 * itself fails, asm_vmrun returns VMX_FAIL_INVALID or VMX_FAIL_VALID.
 * The REG_* offsets are checked against struct PushRegs in vmexits.c.
 */
#include <vmm/vmcs.h>
#include <vmm/vmx_asm.h>

	.text
	.globl asm_vmrun
asm_vmrun:
	PUSH_CALLEE_SAVED
	pushq	%rdi			/* regs, for vmexit_entry */
	movl	$HOST_RSP, %eax
	vmwrite	%rsp, %rax

	testl	%esi, %esi		/* flags survive the movs below */
	movq	REG_RAX(%rdi), %rax
	movq	REG_RSI(%rdi), %rsi
	LOAD_GUEST_GPRS %rdi
	movq	REG_RDI(%rdi), %rdi
	jnz	1f
	vmlaunch
	jmp	entry_failed
1:	vmresume

entry_failed:
	/* CF: no valid current VMCS; ZF: the VM-instruction error says why. */
	movl	$VMX_FAIL_VALID_ASM, %eax
	movl	$VMX_FAIL_INVALID_ASM, %ecx
	cmovc	%ecx, %eax
	addq	$8, %rsp
	jmp	restore_host

	.globl vmexit_entry
vmexit_entry:
	pushq	%rdi			/* the guest's rdi; regs is above it */
	movq	8(%rsp), %rdi
	movq	%rax, REG_RAX(%rdi)
	movq	%rsi, REG_RSI(%rdi)
	SAVE_GUEST_GPRS %rdi
	popq	%rax
	movq	%rax, REG_RDI(%rdi)
	addq	$8, %rsp		/* regs */
	xorl	%eax, %eax

restore_host:
	POP_CALLEE_SAVED
	ret
