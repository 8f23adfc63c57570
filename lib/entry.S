/* User programs start here (the ELF entry point). */
#include <inc/mmu.h>
#include <inc/memlayout.h>

	.text
	.globl _start
_start:
	/* The kernel starts a program with an empty stack; spawn leaves argc, argv. */
	movabs	$USTACKTOP, %rax
	cmpq	%rax, %rsp
	jne	args_exist
	pushq	$0		/* argv */
	pushq	$0		/* argc */
args_exist:
	popq	%rdi
	popq	%rsi
	xorl	%ebp, %ebp
	call	libmain
1:	jmp	1b
