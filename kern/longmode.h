/*
 * The switch from 32-bit protected mode to long mode, shared by the boot
 * CPU (entry.S) and the others (mpentry.S): PAE, the boot page tables
 * (boot_pml4, which maps low memory and KERNBASE), EFER.LME, then paging.
 * Long mode is active after it; a far jump to a 64-bit code segment
 * follows. Clobbers eax, ecx, edx.
 */
#ifndef JOS_KERN_LONGMODE_H
#define JOS_KERN_LONGMODE_H

#include <inc/mmu.h>

.macro ENTER_LONG_MODE
	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$boot_pml4, %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$EFER_LME, %eax
	wrmsr
	movl	%cr0, %eax
	orl	$(CR0_PE | CR0_PG | CR0_WP | CR0_NE | CR0_MP), %eax
	movl	%eax, %cr0
.endm

#endif /* !JOS_KERN_LONGMODE_H */
