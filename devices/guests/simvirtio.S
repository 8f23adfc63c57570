/*
 * simvirtio.S: the guest's SIMVIRTIO driver (the device is
 * devices/simvirtio.c). Built twice: as the guest simvirtio in
 * notification mode (TX's head and tail are MMIO registers, every access
 * an exit) and, with -DPOLL, as simvirtio-poll (head and tail in this
 * guest's RAM at TX_INDEX, where the VMM polls them).
 *
 * It checks the magic, sets up TX, and runs the handshake: push 'R'
 * (expect DEVICE_RESET), DRIVER_ACK and push 'C' (expect DEVICE_CONFIG and
 * our entry in the device table), DRIVER_DRIVER and DRIVER_OK (expect
 * DEVICE_READY). Then it sends "Ana are mere\n" over TX, waits until the
 * device has taken all of it, and halts. On any surprise it says what on
 * the debug port and halts; the device then reports the handshake
 * unfinished.
 *
 * Registers: %ebx our TX tail, %r12d the ring length.
 */
#include <devices/guests/guestabi.h>
#include <devices/simvirtio.h>

#define SV(reg)		(SIMVIRTIO_BASE + (reg))
#define TXQ(reg)	(SIMVIRTIO_BASE + SV_Q0 + (reg))
#define TX_RING		GUEST_DATA
#define TX_INDEX	(GUEST_DATA + 0x100)	/* {head, tail}, polling mode */

#ifdef POLL
#define LOAD_HEAD(r)	movl TX_INDEX + SVQ_INDEX_HEAD, r
#define STORE_TAIL(r)	movl r, TX_INDEX + SVQ_INDEX_TAIL
#else
#define LOAD_HEAD(r)	movl TXQ(SVQ_HEAD), r
#define STORE_TAIL(r)	movl r, TXQ(SVQ_TAIL)
#endif

	.code64
	.text
	.globl start
start:
	cmpl	$SIMVIRTIO_MAGIC, SV(SV_MAGIC)
	jne	no_device
	call	setup_tx

	mov	$SV_CMD_RESET, %al
	call	push
	call	wait_drained
	mov	$DEVICE_RESET, %al
	call	expect_status

	movb	$DRIVER_ACK, SV(SV_DRIVER_STATUS)
	mov	$SV_CMD_CONFIG, %al
	call	push
	call	wait_drained
	mov	$DEVICE_CONFIG, %al
	call	expect_status
	call	check_devtable

	movb	$DRIVER_DRIVER, SV(SV_DRIVER_STATUS)
	movb	$DRIVER_OK, SV(SV_DRIVER_STATUS)
	mov	$DEVICE_READY, %al
	call	expect_status

	lea	payload(%rip), %rsi
	mov	$payload_len, %ecx
1:	lodsb
	call	push
	loop	1b
	call	wait_drained
	hlt

/* TX: our ring at TX_RING, as long as the device allows. */
setup_tx:
	movb	$SV_QUEUE_TX, SV(SV_QUEUE_SEL)
	movzbl	SV(SV_MAX_QUEUE_LEN), %r12d
	movl	$TX_RING, TXQ(SVQ_RING)
	movl	%r12d, TXQ(SVQ_LEN)
#ifdef POLL
	movl	$0, TX_INDEX + SVQ_INDEX_HEAD
	movl	$0, TX_INDEX + SVQ_INDEX_TAIL
	movl	$TX_INDEX, TXQ(SVQ_INDEX)
#endif
	xor	%ebx, %ebx
	ret

/* Push the byte in %al on TX, once there is room. */
push:
	mov	%al, %r8b
1:	LOAD_HEAD(%edx)
	mov	%ebx, %eax
	sub	%edx, %eax
	cmp	%r12d, %eax
	jb	2f
	pause
	jmp	1b
2:	mov	%ebx, %eax
	xor	%edx, %edx
	div	%r12d				# %edx = tail % length
	mov	%r8b, TX_RING(%rdx)
	inc	%ebx
	STORE_TAIL(%ebx)
	ret

/* Wait until the device has consumed everything we pushed. */
wait_drained:
1:	LOAD_HEAD(%edx)
	cmp	%ebx, %edx
	je	2f
	pause
	jmp	1b
2:	ret

expect_status:
	cmpb	%al, SV(SV_DEVICE_STATUS)
	jne	bad_status
	ret

check_devtable:
	cmpl	$1, GUEST_DEVTABLE + DEVTABLE_COUNT
	jne	no_entry
	cmpl	$SIMVIRTIO_MAGIC, GUEST_DEVTABLE + DEVTABLE_ENTRIES + DEVENTRY_MAGIC
	jne	no_entry
	cmpq	$SIMVIRTIO_BASE, GUEST_DEVTABLE + DEVTABLE_ENTRIES + DEVENTRY_BASE
	jne	no_entry
	ret

no_device:
	lea	msg_magic(%rip), %rsi
	mov	$msg_magic_len, %ecx
	jmp	fail
bad_status:
	lea	msg_status(%rip), %rsi
	mov	$msg_status_len, %ecx
	jmp	fail
no_entry:
	lea	msg_entry(%rip), %rsi
	mov	$msg_entry_len, %ecx
/* Print %ecx bytes at %rsi on the debug port, and stop. */
fail:
	lodsb
	outb	%al, $GUEST_DEBUG_PORT
	loop	fail
	hlt

payload:	.ascii	"Ana are mere\n"
	.set	payload_len, . - payload
msg_magic:	.ascii	"simvirtio guest: no SIMVIRTIO magic\n"
	.set	msg_magic_len, . - msg_magic
msg_status:	.ascii	"simvirtio guest: unexpected device status\n"
	.set	msg_status_len, . - msg_status
msg_entry:	.ascii	"simvirtio guest: no device-table entry\n"
	.set	msg_entry_len, . - msg_entry
