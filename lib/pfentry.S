/*
 * The page fault upcall. The kernel enters here on the user exception
 * stack with rsp pointing at a struct UTrapframe (inc/trap.h):
 *
 *	  0  utf_fault_va	 16  utf_regs (15 x 8, r15 first)
 *	  8  utf_err		136  utf_rip  144  utf_rflags  152  utf_rsp
 *
 * After the C handler returns, execution must resume at utf_rip with
 * every register restored. The trick: push utf_rip onto the trap-time
 * stack (the kernel leaves a free word there when the fault nested on
 * this stack), restore the registers and flags, switch to the trap-time
 * stack and 'ret'.
 */
#define UTF_RIP		136
#define UTF_RSP		152

	.text
	.globl _pgfault_upcall
_pgfault_upcall:
	movq	%rsp, %rbx		/* rbx is restored from the frame later */
	movq	%rsp, %rdi
	andq	$-16, %rsp		/* the ABI's call alignment */
	movabs	$_pgfault_handler, %rax
	call	*(%rax)
	movq	%rbx, %rsp

	movq	UTF_RIP(%rsp), %rax
	movq	UTF_RSP(%rsp), %rbx
	subq	$8, %rbx
	movq	%rax, (%rbx)		/* the return address, on the trap-time stack */
	movq	%rbx, UTF_RSP(%rsp)

	addq	$16, %rsp		/* fault_va, err */
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
	addq	$8, %rsp		/* rip: already on the trap-time stack */
	popfq				/* no arithmetic from here on */
	popq	%rsp
	ret
