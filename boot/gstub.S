/*
 * The guest boot stub: what the BIOS and boot sector are to JOS on a PC,
 * for JOS as a guest. vmm loads it at GUEST_STUB_GPA, with the kernel's
 * ELF segments already in guest memory, and the guest starts here in
 * real mode (unrestricted guest). It
 *   1. switches to 32-bit protected mode with flat segments,
 *   2. asks the hypervisor for the memory map (VMX_VMCALL_MBMAP),
 *   3. enters the kernel exactly as boot/main.c does (inc/multiboot.h).
 * vmm patches kernel_entry and test_mode (offsets in inc/vmx.h); a test
 * mode makes the stub misbehave instead, to exercise the hypervisor.
 * The stub writes nothing above 1 MB: the guest kernel takes its memory
 * there to hold zeros until used (kern/pmap.c: page_is_zero_at_boot).
 */
#include <inc/multiboot.h>
#include <inc/vmx.h>

#define CODE_SEL	0x08
#define DATA_SEL	0x10
#define CR0_PE		0x1
#define MB_FLAGS	0		/* offsets in struct multiboot_info */
#define MB_CMDLINE	16
#define MB_MMAP_LENGTH	44
#define MB_MMAP_ADDR	48
#define OUTSIDE_GPA	0x40000000	/* far beyond any guest we make */

/* A hypercall: vmmcall under AMD SVM, vmcall under VT-x (see use_vmmcall). */
.macro HYPERCALL
	cmpb	$0, use_vmmcall
	jne	1f
	vmcall
	jmp	2f
1:	vmmcall
2:
.endm

.code16
.globl start
start:
	jmp	real_start
	.p2align 2, 0x90
	. = start + GUEST_STUB_ENTRY_OFF
kernel_entry:
	.long	0
	. = start + GUEST_STUB_TEST_OFF
test_mode:
	.long	GSTUB_TEST_NONE

real_start:
	cli
	cld
	xorw	%ax, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	lgdtl	gdtdesc
	movl	%cr0, %eax
	orl	$CR0_PE, %eax
	movl	%eax, %cr0
	ljmpl	$CODE_SEL, $protected

.code32
protected:
	movw	$DATA_SEL, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %fs
	movw	%ax, %gs
	movw	%ax, %ss
	movl	$start, %esp
	movl	$CPUID_HV_FEATURES, %eax	/* which hypercall instruction? */
	cpuid
	andl	$HV_FEATURE_VMMCALL, %eax
	movb	%al, use_vmmcall
	movl	test_mode, %eax
	cmpl	$GSTUB_TEST_NONE, %eax
	je	boot
	cmpl	$GSTUB_TEST_HOSTILE, %eax
	je	boot
	cmpl	$GSTUB_TEST_FUZZ, %eax
	je	boot
	cmpl	$GSTUB_TEST_COW, %eax
	jne	misbehave
boot:

	movl	$VMX_VMCALL_MBMAP, %eax
	movl	$BOOTMMAP_PADDR, %edx
	movl	$(BOOTMMAP_MAX * (E820_ENTRY_SIZE + 4)), %ecx
	HYPERCALL
	testl	%eax, %eax
	js	stop
	movl	$MULTIBOOT_INFO_MEM_MAP, BOOTINFO_PADDR + MB_FLAGS
	movl	%eax, BOOTINFO_PADDR + MB_MMAP_LENGTH
	movl	$BOOTMMAP_PADDR, BOOTINFO_PADDR + MB_MMAP_ADDR
	movl	$hostile_cmdline, %edx
	cmpl	$GSTUB_TEST_HOSTILE, test_mode
	je	cmdline
	movl	$fuzz_cmdline, %edx
	cmpl	$GSTUB_TEST_FUZZ, test_mode
	je	cmdline
	movl	$cow_cmdline, %edx
	cmpl	$GSTUB_TEST_COW, test_mode
	jne	enter
cmdline:				/* the kernel's test modes (kern/guestattack.c) */
	orl	$MULTIBOOT_INFO_CMDLINE, BOOTINFO_PADDR + MB_FLAGS
	movl	%edx, BOOTINFO_PADDR + MB_CMDLINE
enter:
	movl	$MULTIBOOT_BOOTLOADER_MAGIC, %eax
	movl	$BOOTINFO_PADDR, %ebx
	jmp	*kernel_entry

stop:
	hlt
	jmp	stop

/* The test modes: each should get this guest destroyed, and only it. */
misbehave:
	cmpl	$GSTUB_TEST_BADCALL, %eax
	je	bad_call
	cmpl	$GSTUB_TEST_OUTSIDE, %eax
	je	outside
	cmpl	$GSTUB_TEST_BADINSN, %eax
	je	bad_insn
triple:
	lidt	empty_idt		/* no gates at all: int3 -> #GP -> #DF -> triple */
	int3
	jmp	stop
bad_call:
	movl	$VMX_VMCALL_MBMAP, %eax
	movl	$OUTSIDE_GPA, %edx
	movl	$4096, %ecx
	HYPERCALL
	jmp	stop
outside:
	movl	$0xdead, OUTSIDE_GPA
	jmp	stop
bad_insn:
	invd				/* exits, and no handler takes it */
	jmp	stop

	.p2align 3
gdt:
	.quad	0
	.quad	0x00cf9a000000ffff	/* CODE_SEL: 32-bit code, flat */
	.quad	0x00cf92000000ffff	/* DATA_SEL: data, flat */
gdtdesc:
	.word	gdtdesc - gdt - 1
	.long	gdt
empty_idt:
	.word	0
	.long	0
use_vmmcall:
	.byte	0
hostile_cmdline:
	.asciz	"hostile"
fuzz_cmdline:
	.asciz	"fuzz"
cow_cmdline:
	.asciz	"cow"
