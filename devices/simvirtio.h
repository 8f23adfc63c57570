/*
 * simvirtio.h: SIMVIRTIO, a tiny virtio-like MMIO device: its config space
 * (for the guests' .S files and the device alike), its registration, and
 * where we departed from the assignment. How it behaves is in simvirtio.c.
 *
 * Config space, at SIMVIRTIO_BASE (one page), little-endian:
 *
 *   offset size access
 *   0x00   4    R    SV_MAGIC          0x74726976, "virt"
 *   0x04   1    R    SV_MAX_QUEUE_LEN  of the queue QUEUE_SEL selects
 *   0x05   1    R    SV_DEVICE_STATUS  DEVICE_RESET 0, CONFIG 2, READY 4
 *   0x06   1    RW   SV_DRIVER_STATUS  DRIVER_ACK 0, DRIVER 2, OK 4
 *   0x07   1    RW   SV_QUEUE_SEL      0 TX, 1 RX
 *   0x10   0x20      SV_Q0             queue 0 (TX, guest to device) control
 *   0x30   0x20      SV_Q1             queue 1 (RX, device to guest) control
 *
 * Queue control (offsets from SV_Q0 or SV_Q1), all 4 bytes, RW:
 *
 *   +0x00  SVQ_RING   gpa of the ring: LEN bytes of guest RAM
 *   +0x04  SVQ_LEN    ring length, 1 .. max queue length
 *   +0x08  SVQ_INDEX  0: notification mode, head and tail are HEAD and
 *                     TAIL below, every access is an exit. Otherwise the
 *                     gpa of two words {head, tail} in guest RAM:
 *                     polling mode, the VMM polls them, no exits.
 *   +0x0c  SVQ_HEAD   consumer index (free-running; slot = index % LEN)
 *   +0x10  SVQ_TAIL   producer index; a driver's write notifies
 *
 * The producer owns the tail, the consumer the head: on TX the driver
 * writes TAIL, on RX it writes HEAD.
 *
 * Where the assignment's texts disagree, and what we chose:
 *  1. Its config-space table and its `struct device` do not describe the
 *     same layout. The table is what a guest programs, so the table wins:
 *     the offsets below are the layout, guests use only those offsets
 *     (never a struct laid over the page), and the device keeps its state
 *     in a struct of its own (struct simvirtio in simvirtio.c).
 *  2. `DRIVER_RESET 0x8000` cannot be stored in the one-byte driver-status
 *     register: it would truncate to 0, which is DRIVER_ACK. There is no
 *     DRIVER_RESET value: a reset is requested by pushing 'R' on TX, as
 *     the text describes, and driver status takes only ACK 0, DRIVER 2 and
 *     OK 4 (anything else is a guest error).
 *  3. "guest_32_bits" is built as a 64-bit program. We have no 32-bit
 *     guest: every guest is assembled for exactly the mode its host enters
 *     it in (GUEST_LIST in guestabi.h) and named after it (guest16,
 *     guest64); the SIMVIRTIO guests run in long mode.
 * Choices the text leaves open:
 *   - TX bytes are commands ('R', 'C') until the device is READY and data
 *     from then on; the device leaves READY only when the VM ends.
 *   - DRIVER_ACK is 0, so "the driver set ACK" and "the driver wrote
 *     nothing since the reset" look the same; 'C' only needs status ACK.
 *   - A reset keeps the queues' setup and indices (it arrives through
 *     TX, which is being drained at that moment); indices are free-running.
 *   - RX has its control block and its max length, but no guest here
 *     needs it, so the device never produces on it.
 */
#ifndef DEVICES_SIMVIRTIO_H
#define DEVICES_SIMVIRTIO_H

#define SIMVIRTIO_BASE		0x10000000	/* gpa of the config space */
#define SIMVIRTIO_SIZE		0x1000
#define SIMVIRTIO_MAGIC		0x74726976	/* "virt" */

#define SV_MAGIC		0x00
#define SV_MAX_QUEUE_LEN	0x04
#define SV_DEVICE_STATUS	0x05
#define SV_DRIVER_STATUS	0x06
#define SV_QUEUE_SEL		0x07
#define SV_Q0			0x10
#define SV_Q1			0x30
#define SV_QSIZE		0x20

#define SVQ_RING		0x00
#define SVQ_LEN			0x04
#define SVQ_INDEX		0x08
#define SVQ_HEAD		0x0c
#define SVQ_TAIL		0x10
#define SVQ_INDEX_HEAD		0		/* the words at SVQ_INDEX's gpa */
#define SVQ_INDEX_TAIL		4

#define SV_QUEUE_TX		0
#define SV_QUEUE_RX		1
#define SV_NQUEUES		2
#define SV_TX_MAX_LEN		16
#define SV_RX_MAX_LEN		16

#define DEVICE_RESET		0
#define DEVICE_CONFIG		2
#define DEVICE_READY		4

#define DRIVER_ACK		0
#define DRIVER_DRIVER		2
#define DRIVER_OK		4

/* Commands the driver pushes on TX before the device is READY. */
#define SV_CMD_RESET		'R'
#define SV_CMD_CONFIG		'C'

#ifndef __ASSEMBLER__
#include <devices/dev.h>

enum dev_status simvirtio_register(struct bus *b);
#endif

#endif /* !DEVICES_SIMVIRTIO_H */
