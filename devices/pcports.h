/*
 * pcports.h: the rest of a PC that an unmodified JOS kernel and boot
 * sector touch, for full virtualization (vmm -F): the 8042 keyboard
 * controller with its A20 gate (and port 0x92), COM1 as a 16550 UART
 * whose bytes go to and come from the host, the CGA's CRT controller,
 * the PICs, PIT, CMOS and delay ports as registers that accept anything,
 * the local APIC's MMIO page as a stub, and the three power-off ports.
 * Portable C: the host gives the UART its console through callbacks.
 */
#ifndef DEVICES_PCPORTS_H
#define DEVICES_PCPORTS_H

#include <devices/dev.h>

struct pc_console {
	void (*putc)(int c);		/* a byte the guest sent on COM1 */
	int (*getc)(void);		/* a byte typed for the guest, or -1: none yet */
};

enum dev_status pcports_register(struct bus *b, const struct pc_console *con);
bool pcports_powered_off(void);	/* the guest wrote a power-off port */
bool pcports_a20(void);		/* the A20 gate as the guest left it */

#endif /* !DEVICES_PCPORTS_H */
