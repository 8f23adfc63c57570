/*
 * A hostile boot sector for vmm -F (the vmm-full-fuzz test): booted as
 * disk 0 in place of JOS's (vmm -F -k /guest/idefuzz.img), it makes
 * FUZZ_ROUNDS random attacks on its VMM - OUT and IN at random ports,
 * IDE commands (READ, WRITE or a random byte) on a random drive with a
 * random LBA and count, followed by REP INSW/OUTSW with a random count of
 * up to 65535 words - then says "idefuzz: done" on COM1 and powers off.
 * vmm must survive it all, and the host's files behind the disks must be
 * unchanged but for disk 1's own copy. It spares only the power-off
 * ports and COM1 (random bytes there would garble the test's log).
 */
#define FUZZ_ROUNDS	300
#define SEED		0x6828
#define LCG_MUL		1103515245
#define LCG_ADD		12345
#define IDE_NSECT	0x1F2
#define IDE_LBA0	0x1F3
#define IDE_DRIVE	0x1F6
#define IDE_STATUS	0x1F7
#define IDE_DATA	0x1F0
#define IDE_LBA_BASE	0xE0
#define IDE_CMD_READ	0x20
#define IDE_CMD_WRITE	0x30
#define INS_SEG		0x2000	/* INSW lands at 0x20000-0x2FFFF, far from this code */
#define QEMU_EXIT	0xF4
#define PM1A_CNT	0x604
#define PM1A_SLP_EN	0x2000
#define COM1		0x3F8
#define COM1_END	0x400

.code16
.globl start
start:
	cli
	cld
	xorw	%ax, %ax
	movw	%ax, %ds
	movw	%ax, %ss
	movw	$start, %sp
	movl	$SEED, %ebp
	movw	$FUZZ_ROUNDS, rounds

round:
	call	rand
	andw	$3, %ax
	jz	port_out
	decw	%ax
	jz	port_in
	decw	%ax
	jz	ide_write
ide_read:
	movb	$IDE_CMD_READ, %bl
	call	ide_command
	movw	$INS_SEG, %ax
	movw	%ax, %es
	call	rand
	movw	%ax, %di
	call	rand
	movw	%ax, %cx
	movw	$IDE_DATA, %dx
	rep insw
	jmp	next
ide_write:
	call	rand
	movb	$IDE_CMD_WRITE, %bl
	testb	$7, %al
	jnz	1f
	movb	%ah, %bl		/* now and then, a random command */
1:	call	ide_command
	call	rand
	movw	%ax, %si
	call	rand
	movw	%ax, %cx
	movw	$IDE_DATA, %dx
	rep outsw
	jmp	next
port_out:
	call	random_port
	call	rand
	outb	%al, %dx
	jmp	next
port_in:
	call	random_port
	inb	%dx, %al
next:
	decw	rounds
	jnz	round

	movw	$done_msg, %si
	call	puts16
	movw	$PM1A_CNT, %dx
	movw	$PM1A_SLP_EN, %ax
	outw	%ax, %dx
1:	hlt
	jmp	1b

/* A random port in DX: any but the power-off ports and COM1. */
random_port:
	call	rand
	movw	%ax, %dx
	cmpw	$QEMU_EXIT, %dx
	je	random_port
	movw	%dx, %ax
	andw	$~1, %ax
	cmpw	$PM1A_CNT, %ax
	je	random_port
	cmpw	$COM1, %dx
	jb	1f
	cmpw	$COM1_END, %dx
	jb	random_port
1:	ret

/*
 * Command BL to a random drive, sector count and LBA: half of the time a
 * small LBA (below 256), which disk 1 has, so that reads and writes also
 * succeed; else any 28-bit LBA, almost always past the end.
 */
ide_command:
	call	rand
	movb	%al, %cl		/* bit 7: small LBA */
	andb	$0x1F, %al		/* drive bit and LBA bits 24-27 */
	orb	$IDE_LBA_BASE, %al
	testb	$0x80, %cl
	jz	1f
	andb	$~0x0F, %al
1:	movw	$IDE_DRIVE, %dx
	outb	%al, %dx
	movw	$IDE_NSECT, %dx
2:	call	rand
	cmpw	$IDE_LBA0, %dx
	jbe	3f			/* count and LBA bits 0-7: any */
	testb	$0x80, %cl
	jz	3f
	xorb	%al, %al
3:	outb	%al, %dx
	incw	%dx
	cmpw	$IDE_DRIVE, %dx
	jb	2b
	movw	$IDE_STATUS, %dx
	movb	%bl, %al
	outb	%al, %dx
	ret

/* The next pseudo-random number in AX (a linear congruential generator in EBP). */
rand:
	imull	$LCG_MUL, %ebp, %ebp
	addl	$LCG_ADD, %ebp
	movl	%ebp, %eax
	shrl	$16, %eax
	ret

#include "puts16.h"

done_msg:
	.asciz	"idefuzz: done\r\n"
rounds:
	.word	0
