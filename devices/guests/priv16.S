/*
 * priv16.S: a 16-bit guest for both ways of running 16-bit code (vmm -r
 * priv16, and vmm -r priv16 -8). It prints a line through the debug
 * port, one OUT a byte, then executes HLT, which is privileged. In real
 * mode (CPL 0) HLT is the VM exit that ends every tiny guest. In a
 * virtual-8086 task (CPL 3) it raises #GP instead, which the host catches
 * and reports; the OUTs work there because the TSS's I/O bitmap allows
 * GUEST_DEBUG_PORT (every other port would raise #GP too).
 */
#include <devices/guests/guestabi.h>

	.code16
	.text
	.globl start
start:
	movw	$message, %si
	cld
1:	lodsb
	testb	%al, %al
	jz	2f
	outb	%al, $GUEST_DEBUG_PORT
	jmp	1b
2:	hlt

message:
	.asciz	"priv16: hello from 16-bit code\n"
