/*
 * guest16.S: the real-mode guest. It stores 42 at GUEST_ANSWER and in RAX
 * and halts; the host checks both (CHECK_ANSWER) and prints
 * "Finished vmm". Entered at GUEST_LOAD with CS = DS = 0 (guestabi.h).
 */
#include <devices/guests/guestabi.h>

	.code16
	.text
	.globl start
start:
	movb	$GUEST_ANSWER_VALUE, GUEST_ANSWER
	movl	$GUEST_ANSWER_VALUE, %eax	# RAX's upper half starts at 0
	hlt
