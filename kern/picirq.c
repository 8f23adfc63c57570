/*
 * The two cascaded 8259A PICs. The kernel remaps their 16 IRQs to
 * vectors IRQ_OFFSET.. (away from the CPU exceptions), masks them all,
 * and unmasks just the keyboard, the serial port and the cascade. Their
 * output reaches the boot CPU through its local APIC's LINT0; the local
 * APIC's EOI is what trap.c signals (the PICs run in auto-EOI mode).
 */
#include <inc/x86.h>
#include <inc/trap.h>
#include <kern/picirq.h>

#define IO_PIC1		0x20	/* master: IRQs 0-7 */
#define IO_PIC2		0xA0	/* slave: IRQs 8-15 */
#define IRQ_SLAVE	2	/* the slave's cascade line on the master */
#define ICW1_INIT	0x11	/* edge triggered, cascade, ICW4 follows */
#define ICW4_AUTO_EOI	0x03	/* 8086 mode, automatic EOI */

void
irq_setmask_8259A(uint16_t mask)
{
	outb(IO_PIC1 + 1, (uint8_t) mask);
	outb(IO_PIC2 + 1, (uint8_t) (mask >> 8));
}

void
pic_init(void)
{
	irq_setmask_8259A(0xFFFF);

	outb(IO_PIC1, ICW1_INIT);
	outb(IO_PIC1 + 1, IRQ_OFFSET);		/* ICW2: vector base */
	outb(IO_PIC1 + 1, 1 << IRQ_SLAVE);	/* ICW3: slave on IRQ 2 */
	outb(IO_PIC1 + 1, ICW4_AUTO_EOI);

	outb(IO_PIC2, ICW1_INIT);
	outb(IO_PIC2 + 1, IRQ_OFFSET + 8);
	outb(IO_PIC2 + 1, IRQ_SLAVE);		/* ICW3: slave id */
	outb(IO_PIC2 + 1, ICW4_AUTO_EOI);

	irq_setmask_8259A(~((1 << IRQ_SLAVE) | (1 << IRQ_KBD) | (1 << IRQ_SERIAL)));
}
