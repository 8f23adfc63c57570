/*
 * badexit.S: a long-mode guest that stores to GUEST_UNMAPPED_MMIO, where
 * there is neither RAM nor a device. The host must report that exit and
 * end the guest with a non-zero status; the HLT is never reached.
 */
#include <devices/guests/guestabi.h>

	.code64
	.text
	.globl start
start:
	movl	$1, GUEST_UNMAPPED_MMIO
	hlt
