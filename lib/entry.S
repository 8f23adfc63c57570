/*
 * User programs start here (the ELF entry point). Also defines the
 * symbols of the read-only views the kernel maps (declared in inc/lib.h).
 */
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

	.globl envs, pages, uvpt, uvpd, uvpdp, uvpml4
	.set envs, UENVS
	.set pages, UPAGES
	.set uvpt, UVPT
	.set uvpd, UVPD
	.set uvpdp, UVPDP
	.set uvpml4, UVPML4
