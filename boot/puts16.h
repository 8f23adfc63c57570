/*
 * puts16: the NUL-terminated string at DS:SI on COM1, polling the line
 * status; 16-bit real mode; clobbers AX, BL, DX, SI. #included by the
 * real-mode programs of vmm -F (boot/fwstub.S, boot/idefuzz.S).
 */
#define PUTS16_COM1	0x3F8
#define PUTS16_LSR	0x3FD
#define PUTS16_THRE	0x20

puts16:
	lodsb
	testb	%al, %al
	jz	2f
	movb	%al, %bl
	movw	$PUTS16_LSR, %dx
1:	inb	%dx, %al
	testb	$PUTS16_THRE, %al
	jz	1b
	movb	%bl, %al
	movw	$PUTS16_COM1, %dx
	outb	%al, %dx
	jmp	puts16
2:	ret
