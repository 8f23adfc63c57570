/*
 * The first instructions of an application processor. boot_aps copies
 * this code to MPENTRY_PADDR (below 1 MB) and sends the CPU a STARTUP
 * message pointing there; the CPU starts in real mode with CS:IP =
 * MPENTRY_PADDR>>4:0. Like entry.S it goes to protected mode, turns on
 * PAE paging with the boot page tables (boot_pml4 identity-maps low
 * memory as well as KERNBASE), enters long mode and calls mp_main on
 * the stack boot_aps chose. The code is linked in the kernel but runs
 * at the copy, hence MPBOOTPHYS for every absolute address.
 */
#include <inc/mmu.h>
#include <inc/memlayout.h>
#include <kern/longmode.h>

#define MPBOOTPHYS(s)	((s) - mpentry_start + MPENTRY_PADDR)
#define SEG32_CODE	0x08
#define SEG32_DATA	0x10
#define SEG64_CODE	0x18

.code16
.globl mpentry_start
mpentry_start:
	cli
	xorw	%ax, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	lgdtl	MPBOOTPHYS(mp_gdtdesc)
	movl	%cr0, %eax
	orl	$CR0_PE, %eax
	movl	%eax, %cr0
	ljmpl	$SEG32_CODE, $(MPBOOTPHYS(mp_start32))

.code32
mp_start32:
	movw	$SEG32_DATA, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	ENTER_LONG_MODE
	ljmpl	$SEG64_CODE, $(MPBOOTPHYS(mp_start64))

.code64
mp_start64:
	movabs	$mpentry_kstack, %rax
	movq	(%rax), %rsp
	xorl	%ebp, %ebp
	movabs	$mp_main, %rax
	call	*%rax
1:	hlt
	jmp	1b

	.p2align 3
mp_gdt:
	.quad	0
	.quad	0x00cf9a000000ffff	/* 32-bit code */
	.quad	0x00cf92000000ffff	/* data */
	.quad	0x00af9a000000ffff	/* 64-bit code */
mp_gdtdesc:
	.word	mp_gdtdesc - mp_gdt - 1
	.long	MPBOOTPHYS(mp_gdt)

.globl mpentry_end
mpentry_end:
	nop
