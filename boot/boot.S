/*
 * The BIOS boot sector. The BIOS loads it at 0x7c00 and jumps to it in
 * 16-bit real mode with CS:IP = 0:7c00. It
 *   1. enables the A20 line so odd megabytes are addressable,
 *   2. asks the BIOS (int 15h, eax=e820) for the memory map, storing the
 *      entries in Multiboot layout at BOOTMMAP_PADDR,
 *   3. switches to 32-bit protected mode with flat segments,
 *   4. calls bootmain (boot/main.c), which loads the kernel and enters it.
 */
#include <inc/multiboot.h>

#define PROT_MODE_CSEG	0x08	/* code segment selector in gdt below */
#define PROT_MODE_DSEG	0x10	/* data segment selector */
#define CR0_PE		0x1
#define SMAP		0x534D4150	/* "SMAP": e820 call and reply signature */

.code16
.globl start
start:
	cli
	cld
	xorw	%ax, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	$start, %sp

	/* A20: tell the keyboard controller to set output port bit 1. */
1:	inb	$0x64, %al		/* wait while the input buffer is full */
	testb	$0x2, %al
	jnz	1b
	movb	$0xd1, %al		/* command: write output port */
	outb	%al, $0x64
2:	inb	$0x64, %al
	testb	$0x2, %al
	jnz	2b
	movb	$0xdf, %al		/* A20 on, reset line inactive */
	outb	%al, $0x60

	/* The e820 map: each entry is a 4-byte size then 20 bytes from the BIOS. */
	xorl	%ebx, %ebx		/* continuation value: 0 = first call */
	movw	$(BOOTMMAP_PADDR + 4), %di
e820_next:
	movl	$0xe820, %eax
	movl	$E820_ENTRY_SIZE, %ecx
	movl	$SMAP, %edx
	int	$0x15
	jc	e820_done		/* carry: no more entries (or no e820) */
	cmpl	$SMAP, %eax
	jne	e820_done
	movl	%ecx, -4(%di)
	addw	$(E820_ENTRY_SIZE + 4), %di
	cmpw	$(BOOTMMAP_PADDR + 4 + BOOTMMAP_MAX * (E820_ENTRY_SIZE + 4)), %di
	jae	e820_done
	testl	%ebx, %ebx		/* zero: that was the last entry */
	jnz	e820_next
e820_done:
	movw	%di, e820_end

	/* Protected mode: load the GDT, set CR0.PE, far jump to reload CS. */
	lgdt	gdtdesc
	movl	%cr0, %eax
	orl	$CR0_PE, %eax
	movl	%eax, %cr0
	ljmp	$PROT_MODE_CSEG, $protcseg

.code32
protcseg:
	movw	$PROT_MODE_DSEG, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %fs
	movw	%ax, %gs
	movw	%ax, %ss
	call	bootmain		/* does not return unless loading failed */
spin:
	hlt
	jmp	spin

/* Where the e820 loop stopped: bootmain derives the map's length from it. */
.globl e820_end
e820_end:
	.word	0

	.p2align 2
gdt:
	.quad	0				/* null descriptor */
	.quad	0x00cf9a000000ffff		/* code: base 0, limit 4 GB, r-x */
	.quad	0x00cf92000000ffff		/* data: base 0, limit 4 GB, rw- */
gdtdesc:
	.word	gdtdesc - gdt - 1
	.long	gdt
