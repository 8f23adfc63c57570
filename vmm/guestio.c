/*
 * The guest's devices. Every I/O instruction of the guest exits
 * (unconditional I/O exiting) and lands here:
 *
 *   COM1 (0x3F8-0x3FF)  emulated: bytes written to the data register go
 *                        to the guest's console (vmm/vmconsole.c); the
 *                        line status says the transmitter is always
 *                        ready and data is ready when a key typed for
 *                        the guest is queued, which the data register
 *                        then returns. (A guest polling COM1 never sleeps.)
 *   0x8900, 0x604, 0xF4 the emulators' power-off ports: end this guest
 *                        only, never the emulator.
 *   anything else       no device: reads return all ones, writes vanish.
 *
 * A user-device guest (vmm -r) has none of these: all its port I/O goes to
 * its VMM through the run loop (vmm/runloop.c).
 *
 * Nothing passes through to real hardware. (Our own guest kernel uses the
 * CPUTS and CGETC hypercalls for its console, which are cheaper; the UART
 * is for guests that do not know them.) The backends decode I/O exits
 * and call guest_port_io; it is the same for both.
 */
#include <inc/error.h>
#include <inc/stdio.h>
#include <kern/env.h>
#include <kern/pmap.h>
#include <kern/console.h>
#include <vmm/vmm.h>
#include <vmm/guestio.h>

#define COM1		0x3F8
#define COM_DATA	0		/* receive / transmit register */
#define COM_LSR		5		/* line status */
#define COM_LSR_DATA	0x01
#define COM_LSR_THRE	0x20
#define COM_LSR_TEMT	0x40
#define COM_NPORTS	8
#define BOCHS_SHUTDOWN_PORT	0x8900
#define QEMU_PM1A_CNT		0x604
#define QEMU_DEBUG_EXIT_PORT	0xF4
#define NO_DEVICE	0xFFFFFFFF

static uint32_t
com1_in(struct Env *e, int reg)
{
	struct guest_console *c = &e->env_vmxinfo->cons;

	switch (reg) {
	case COM_LSR:
		return COM_LSR_THRE | COM_LSR_TEMT | (c->in_r != c->in_w ? COM_LSR_DATA : 0);
	case COM_DATA:
		return gcons_getc(e);
	default:
		return 0;
	}
}

static uint32_t
guest_port_in(struct Env *e, uint16_t port)
{
	if (port >= COM1 && port < COM1 + COM_NPORTS)
		return com1_in(e, port - COM1);
	return NO_DEVICE;
}

static void
guest_port_out(struct Env *e, uint16_t port, uint32_t value)
{
	char c = value;

	if (port == COM1 + COM_DATA) {
		gcons_write(e, &c, 1);
	} else if (port == BOCHS_SHUTDOWN_PORT || port == QEMU_PM1A_CNT ||
		   port == QEMU_DEBUG_EXIT_PORT) {
		guest_end(e, "it powered off");
	}
}

/*
 * The guest's IN (into rax) or OUT (from rax) of size bytes at port. The
 * backend has skipped the instruction already.
 */
enum vmexit_action
guest_port_io(struct Env *e, uint16_t port, int size, bool in)
{
	struct PushRegs *r = &e->env_tf.tf_regs;
	uint32_t mask = size == 4 ? 0xFFFFFFFF : (1U << (8 * size)) - 1;

	if (runloop_guest(e))
		return runloop_port_io(e, port, size, in);
	if (in)
		r->reg_rax = (r->reg_rax & ~(uint64_t) mask) | (guest_port_in(e, port) & mask);
	else
		guest_port_out(e, port, r->reg_rax & mask);
	return VMEXIT_RESUME;
}
