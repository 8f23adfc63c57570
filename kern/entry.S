/*
 * The kernel's first instructions. The boot loader (or the guest boot
 * stub) jumps to _start in 32-bit protected mode with paging off,
 * eax = Multiboot magic and ebx = the Multiboot info (inc/multiboot.h).
 *
 * _start runs at its physical address (section .boot, linked at
 * 0x100000). It records the TSC, turns on 4-level paging with the static
 * tables below (2 MB pages mapping the first 2 GB both at 0 and at
 * KERNBASE), enters long mode, and jumps to the kernel's link address,
 * where it zeroes .bss, sets up the boot stack and calls i386_init.
 * mem_init later replaces these tables with kern_pml4.
 */
#include <inc/mmu.h>
#include <inc/memlayout.h>
#include <kern/longmode.h>

#define PDE_LARGE	(PTE_P | PTE_W | PTE_PS)

.section .boot.text, "ax"
.code32
.globl _start
_start:
	movl	%eax, %edi		/* i386_init(magic, info): System V order */
	movl	%ebx, %esi
	rdtsc
	movl	%eax, boot_tsc
	movl	%edx, boot_tsc + 4

	ENTER_LONG_MODE

	lgdt	boot_gdtdesc
	ljmp	$GD_KT, $long_start

.code64
long_start:
	movw	$GD_KD, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	$0, %ax
	movw	%ax, %fs
	movw	%ax, %gs
	movabs	$relocated, %rax
	jmp	*%rax

/* The static boot page tables and GDT (physical addresses, hence here). */
.section .boot.data, "aw"
.p2align 12
.globl boot_pml4
boot_pml4:
	.quad	boot_pdpt_low + (PTE_P | PTE_W)
	.fill	NPTENTRIES - 2, 8, 0
	.quad	boot_pdpt_high + (PTE_P | PTE_W)	/* slot 511: KERNBASE */
boot_pdpt_low:
	.quad	boot_pd0 + (PTE_P | PTE_W)
	.fill	NPTENTRIES - 1, 8, 0
boot_pdpt_high:
	.fill	NPTENTRIES - 2, 8, 0
	.quad	boot_pd0 + (PTE_P | PTE_W)		/* KERNBASE + 0 GB */
	.quad	boot_pd1 + (PTE_P | PTE_W)		/* KERNBASE + 1 GB */
boot_pd0:
	.set	i, 0
	.rept	NPTENTRIES
	.quad	(i << PTSHIFT) + PDE_LARGE
	.set	i, i + 1
	.endr
boot_pd1:
	.rept	NPTENTRIES
	.quad	(i << PTSHIFT) + PDE_LARGE
	.set	i, i + 1
	.endr

	.p2align 3
boot_gdt:
	.quad	0
	.quad	0x00af9a000000ffff	/* GD_KT: 64-bit code, ring 0 */
	.quad	0x00cf92000000ffff	/* GD_KD: data, ring 0 */
boot_gdtdesc:
	.word	boot_gdtdesc - boot_gdt - 1
	.quad	boot_gdt

/* TSC at the first kernel instruction (= emulated instructions in Bochs). */
.globl boot_tsc
boot_tsc:
	.quad	0

.text
.globl relocated
relocated:
	movl	%edi, %edi		/* upper halves are undefined after the mode switch */
	movl	%esi, %esi
	movabs	$edata, %rdx		/* zero .bss: the loader may not have */
	movabs	$end, %rcx
	subq	%rdx, %rcx
	xchgq	%rdx, %rdi
	xorl	%eax, %eax
	cld
	rep stosb
	movq	%rdx, %rdi
	movabs	$bootstacktop, %rsp
	xorl	%ebp, %ebp		/* a zero frame pointer ends backtraces */
	call	i386_init
1:	hlt
	jmp	1b

.bss
.p2align 12
.globl bootstack
bootstack:
	.space	KSTKSIZE
.globl bootstacktop
bootstacktop:
