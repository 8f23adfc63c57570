/*
 * Trap entry points. Every vector 0-255 gets a stub that makes the stack
 * look the same whether or not the CPU pushed an error code (a zero is
 * pushed when it did not), pushes the vector number, and joins
 * _alltraps, which saves the general registers as a struct Trapframe
 * (inc/trap.h) and calls trap(tf). The stubs' addresses form the table
 * trap_vectors[] that trap_init loads into the IDT.
 */
#include <inc/trap.h>

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERRCODE(n) ((n) == 8 || ((n) >= 10 && (n) <= 14) || (n) == 17 || (n) == 21 || (n) == 29 || (n) == 30)

	.section .rodata
	.p2align 3
	.globl trap_vectors
trap_vectors:

	.set	vec, 0
	.rept	256
	.text
	.p2align 4
1:	.if (HAS_ERRCODE(vec)) == 0
	pushq	$0
	.endif
	pushq	$vec
	jmp	_alltraps
	.section .rodata
	.quad	1b
	.set	vec, vec + 1
	.endr

	.text
_alltraps:
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rbp
	pushq	%rdi
	pushq	%rsi
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, %rdi
	xorl	%ebp, %ebp		/* backtraces stop at the trap */
	call	trap			/* does not return */
1:	hlt
	jmp	1b

/* Restore the registers saved in a Trapframe and return from the trap. */
	.globl env_pop_tf
env_pop_tf:
	movq	%rdi, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rsi
	popq	%rdi
	popq	%rbp
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	addq	$16, %rsp		/* trap number and error code */
	iretq
