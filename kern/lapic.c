/*
 * The local APIC. Each CPU has one, at the same physical address
 * (IA32_APIC_BASE); the kernel maps it uncached in the MMIO area. It
 * provides the CPU's id, the periodic timer that preempts environments,
 * and the INIT/STARTUP messages that wake the other CPUs.
 */
#include <inc/x86.h>
#include <inc/trap.h>
#include <inc/memlayout.h>
#include <kern/pmap.h>
#include <kern/cpu.h>
#include <kern/lapic.h>

/* Register offsets, in 32-bit words. */
#define ID	(0x0020 / 4)	/* ID */
#define VER	(0x0030 / 4)	/* version */
#define TPR	(0x0080 / 4)	/* task priority */
#define EOI	(0x00B0 / 4)	/* end of interrupt */
#define SVR	(0x00F0 / 4)	/* spurious interrupt vector */
#define  SVR_ENABLE	0x00000100
#define ESR	(0x0280 / 4)	/* error status */
#define ICRLO	(0x0300 / 4)	/* interrupt command */
#define  ICR_INIT	0x00000500
#define  ICR_STARTUP	0x00000600
#define  ICR_DELIVS	0x00001000	/* delivery status */
#define  ICR_ASSERT	0x00004000
#define  ICR_DEASSERT	0x00000000
#define  ICR_LEVEL	0x00008000
#define  ICR_BCAST	0x00080000	/* all including self */
#define ICRHI	(0x0310 / 4)	/* interrupt command [63:32] */
#define TIMER	(0x0320 / 4)	/* local vector table 0 (timer) */
#define  TIMER_PERIODIC	0x00020000
#define PCINT	(0x0340 / 4)	/* performance counter LVT */
#define LINT0	(0x0350 / 4)	/* local vector table 1 (LINT0) */
#define LINT1	(0x0360 / 4)	/* local vector table 2 (LINT1) */
#define ERROR	(0x0370 / 4)	/* local vector table 3 (ERROR) */
#define  LVT_MASKED	0x00010000
#define TICR	(0x0380 / 4)	/* timer initial count */
#define TDCR	(0x03E0 / 4)	/* timer divide configuration */
#define  TDCR_X1	0x0000000B

#define MSR_APIC_BASE	0x1B
#define APIC_BASE_MASK	0xFFFFF000
#define TIMER_COUNT	10000000	/* bus cycles between timer interrupts */
#define CMOS_PORT	0x70
#define CMOS_SHUTDOWN	0x0F
#define CMOS_WARM_RESET	0x0A
#define WARM_RESET_VEC	0x467	/* BIOS warm-reset vector (segment:offset) */

physaddr_t lapicaddr;
static volatile uint32_t *lapic;

static void
lapicw(int index, uint32_t value)
{
	lapic[index] = value;
	(void) lapic[ID];	/* wait for the write to finish */
}

void
lapic_init(void)
{
	if (!lapicaddr)
		lapicaddr = rdmsr(MSR_APIC_BASE) & APIC_BASE_MASK;
	if (!lapic)
		lapic = mmio_map_region(lapicaddr, PGSIZE);

	lapicw(SVR, SVR_ENABLE | (IRQ_OFFSET + IRQ_SPURIOUS));
	lapicw(TDCR, TDCR_X1);
	lapicw(TIMER, TIMER_PERIODIC | (IRQ_OFFSET + IRQ_TIMER));
	lapicw(TICR, TIMER_COUNT);

	/* Only the boot CPU takes 8259 interrupts (through LINT0, as the BIOS set it). */
	if (thiscpu != bootcpu)
		lapicw(LINT0, LVT_MASKED);
	lapicw(LINT1, LVT_MASKED);
	if (((lapic[VER] >> 16) & 0xFF) >= 4)
		lapicw(PCINT, LVT_MASKED);
	lapicw(ERROR, IRQ_OFFSET + IRQ_ERROR);
	lapicw(ESR, 0);		/* clear errors: two writes */
	lapicw(ESR, 0);
	lapicw(EOI, 0);

	/* Synchronize arbitration ids with a broadcast INIT level de-assert. */
	lapicw(ICRHI, 0);
	lapicw(ICRLO, ICR_BCAST | ICR_INIT | ICR_LEVEL);
	while (lapic[ICRLO] & ICR_DELIVS)
		;
	lapicw(TPR, 0);		/* accept all interrupts */
}

int
lapic_id(void)
{
	return lapic ? lapic[ID] >> 24 : 0;
}

void
lapic_eoi(void)
{
	if (lapic)
		lapicw(EOI, 0);
}

/*
 * Start the CPU apicid running real-mode code at addr (page aligned,
 * below 1 MB): INIT, then two STARTUPs, as the MP specification says.
 * Emulated CPUs need none of the specified delays.
 */
void
lapic_startap(uint8_t apicid, uint32_t addr)
{
	uint16_t *wrv = KADDR(WARM_RESET_VEC);
	int i;

	outb(CMOS_PORT, CMOS_SHUTDOWN);
	outb(CMOS_PORT + 1, CMOS_WARM_RESET);
	wrv[0] = 0;
	wrv[1] = addr >> 4;

	lapicw(ICRHI, apicid << 24);
	lapicw(ICRLO, ICR_INIT | ICR_LEVEL | ICR_ASSERT);
	lapicw(ICRLO, ICR_INIT | ICR_LEVEL);
	for (i = 0; i < 2; i++) {
		lapicw(ICRHI, apicid << 24);
		lapicw(ICRLO, ICR_STARTUP | (addr >> 12));
	}
}
