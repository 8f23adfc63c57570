/*
 * Power-off. The emulators each watch a different port, and each ignores
 * the other's, so one routine serves both:
 *   Bochs: the bytes of "Shutdown" written to port 0x8900;
 *   QEMU:  ACPI S5 through the PIIX4 PM1a control register at 0x604
 *          (exit status 0), or failing that the isa-debug-exit device
 *          at 0xf4 (exit status (v << 1) | 1).
 * The UART is drained first so the harness sees the last line.
 */
#include <inc/x86.h>
#include <inc/stdio.h>
#include <kern/console.h>

#define BOCHS_SHUTDOWN_PORT	0x8900
#define QEMU_PM1A_CNT		0x604
#define QEMU_SLP_S5		0x2000	/* SLP_EN with SLP_TYP 0 */
#define QEMU_DEBUG_EXIT_PORT	0xf4

void
poweroff(void)
{
	const char *s;

	cprintf("Powering off.\n");
	cons_drain();
	for (s = "Shutdown"; *s; s++)
		outb(BOCHS_SHUTDOWN_PORT, *s);
	outw(QEMU_PM1A_CNT, QEMU_SLP_S5);
	outb(QEMU_DEBUG_EXIT_PORT, 0);
	cprintf("Power-off failed: this machine ignores both emulators' exit ports.\n");
	for (;;)
		asm volatile("cli; hlt");
}
