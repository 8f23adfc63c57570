/*
 * guest64.S: the long-mode guest. It prints "Hello, world!" on the debug
 * port, one OUT per byte, then does what guest16 does: 42 at
 * GUEST_ANSWER and in RAX, and HLT.
 */
#include <devices/guests/guestabi.h>

	.code64
	.text
	.globl start
start:
	lea	hello(%rip), %rsi
	mov	$hello_len, %ecx
1:	lodsb
	outb	%al, $GUEST_DEBUG_PORT
	loop	1b
	movb	$GUEST_ANSWER_VALUE, GUEST_ANSWER
	mov	$GUEST_ANSWER_VALUE, %eax	# zero-extends into RAX
	hlt

hello:	.ascii	"Hello, world!\n"
	.set	hello_len, . - hello
