/*
 * The guest firmware of vmm -F (full virtualization): a "BIOS stub", not
 * a BIOS. vmm loads it at FW_LOAD and starts the vCPU there in real mode
 * (CS:IP = 0:FW_LOAD), as a PC starts its BIOS. It
 *   1. points every interrupt vector at an IRET, and vector 0x15 at the
 *      E820 handler below: a real-mode INT causes no VM exit, so what the
 *      boot sector calls must live in guest memory;
 *   2. reads sector 0 of disk 0 through the IDE ports (the same ports the
 *      boot sector uses next) to FW_BOOT_SECTOR, checks the 0xAA55
 *      signature, and jumps there with DL = 0x80, the first hard disk.
 * The E820 handler answers from the table vmm wrote at FW_E820_TABLE
 * (inc/fwstub.h). Anything that goes wrong is said on COM1, then HLT:
 * vmm ends a guest that halts.
 */
#include <inc/fwstub.h>

#define SMAP		0x534D4150	/* "SMAP" */
#define E820_CALL	0xE820
#define IVT_VECTORS	256
#define INT_E820	0x15
#define IDE_DATA	0x1F0
#define IDE_NSECT	0x1F2
#define IDE_LBA0	0x1F3
#define IDE_DRIVE	0x1F6
#define IDE_STATUS	0x1F7
#define IDE_LBA_MASTER	0xE0
#define IDE_CMD_READ	0x20
#define IDE_BSY_DRDY	0xC0
#define IDE_DRDY	0x40
#define IDE_DRQ		0x08
#define IDE_ERR		0x01
#define SECTOR_WORDS	256
#define BOOT_SIG_AT	(FW_BOOT_SECTOR + 510)
#define BOOT_SIG	0xAA55
#define BOOT_DRIVE	0x80
#define FLAGS_CF	1
#define IRET_FLAGS	6		/* FLAGS above IP and CS, from BP (BP pushed) */

.code16
.globl start
start:
	cli
	cld
	xorw	%ax, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	$FW_STACK, %sp

	/* The interrupt vector table: all IRET, but E820. */
	xorw	%di, %di
	movw	$IVT_VECTORS, %cx
1:	movw	$just_iret, %ax
	stosw
	xorw	%ax, %ax
	stosw
	loop	1b
	movw	$int15, INT_E820 * 4

	/* Sector 0 of disk 0, LBA 0, to the boot sector's place. */
	call	ide_ready
	movw	$IDE_NSECT, %dx
	movb	$1, %al
	outb	%al, %dx
	xorb	%al, %al
	incw	%dx			/* LBA0 */
	outb	%al, %dx
	incw	%dx			/* LBA1 */
	outb	%al, %dx
	incw	%dx			/* LBA2 */
	outb	%al, %dx
	movw	$IDE_DRIVE, %dx
	movb	$IDE_LBA_MASTER, %al
	outb	%al, %dx
	movw	$IDE_STATUS, %dx
	movb	$IDE_CMD_READ, %al
	outb	%al, %dx
2:	inb	%dx, %al
	testb	$IDE_ERR, %al
	jnz	no_disk
	testb	$IDE_DRQ, %al
	jz	2b
	movw	$IDE_DATA, %dx
	movw	$FW_BOOT_SECTOR, %di
	movw	$SECTOR_WORDS, %cx
	rep insw

	cmpw	$BOOT_SIG, BOOT_SIG_AT
	jne	not_bootable
	movb	$BOOT_DRIVE, %dl
	ljmp	$0, $FW_BOOT_SECTOR

/* Wait until the drive is ready (DRDY, not BSY). */
ide_ready:
	movw	$IDE_STATUS, %dx
1:	inb	%dx, %al
	andb	$IDE_BSY_DRDY, %al
	cmpb	$IDE_DRDY, %al
	jne	1b
	ret

no_disk:
	movw	$msg_no_disk, %si
	jmp	die
not_bootable:
	movw	$msg_not_bootable, %si
die:
	call	puts16
1:	hlt
	jmp	1b

#include "puts16.h"

just_iret:
	iret

/*
 * int 0x15, EAX = 0xE820, EDX = "SMAP": entry EBX of the table to ES:DI
 * (20 bytes); EAX = "SMAP", ECX = 20, EBX = the next entry or 0 after the
 * last; carry clear. Anything else: carry set.
 */
int15:
	pushw	%bp
	movw	%sp, %bp
	cmpl	$E820_CALL, %eax
	jne	int15_fail
	cmpl	$SMAP, %edx
	jne	int15_fail
	cmpl	%cs:FW_E820_TABLE, %ebx
	jae	int15_fail
	pushw	%si
	pushw	%di
	pushw	%ds
	xorw	%ax, %ax
	movw	%ax, %ds
	imulw	$FW_E820_ENTRY_SIZE, %bx, %si
	addw	$FW_E820_TABLE + 4, %si
	movw	$FW_E820_ENTRY_SIZE, %cx
	rep movsb
	popw	%ds
	popw	%di
	popw	%si
	incl	%ebx
	cmpl	%cs:FW_E820_TABLE, %ebx
	jb	1f
	xorl	%ebx, %ebx
1:	movl	$SMAP, %eax
	movl	$FW_E820_ENTRY_SIZE, %ecx
	andw	$~FLAGS_CF, IRET_FLAGS(%bp)
	popw	%bp
	iret
int15_fail:
	orw	$FLAGS_CF, IRET_FLAGS(%bp)
	popw	%bp
	iret

msg_no_disk:
	.asciz	"fwstub: disk 0 cannot be read\r\n"
msg_not_bootable:
	.asciz	"fwstub: sector 0 of disk 0 is not bootable (no 0xAA55)\r\n"
