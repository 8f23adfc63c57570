/*
 * Finding and starting the CPUs. The BIOS describes the processors in
 * the Intel MultiProcessor Specification tables: a floating pointer
 * ("_MP_") in the EBDA, the last KB of base memory or the BIOS ROM,
 * leading to a configuration table ("PCMP") with one entry per
 * processor. QEMU's SeaBIOS lists only the boot CPU there, so the ACPI
 * MADT (kern/acpi.c), when present, has the last word on the count.
 * Without either table the machine has one CPU.
 *
 * boot_aps copies mpentry.S to MPENTRY_PADDR and wakes each other CPU
 * there; the CPU climbs to long mode and calls mp_main.
 */
#include <inc/x86.h>
#include <inc/string.h>
#include <inc/memlayout.h>
#include <inc/assert.h>
#include <kern/fpu.h>
#include <kern/cpu.h>
#include <kern/pmap.h>
#include <kern/lapic.h>
#include <kern/gdt.h>
#include <kern/trap.h>
#include <kern/sched.h>
#include <kern/spinlock.h>
#include <kern/acpi.h>

struct mp {			/* floating pointer */
	uint8_t signature[4];	/* "_MP_" */
	uint32_t physaddr;	/* of the configuration table */
	uint8_t length;		/* in 16-byte units */
	uint8_t specrev;
	uint8_t checksum;	/* all bytes sum to 0 */
	uint8_t type;		/* 0: a configuration table exists */
	uint8_t imcrp;		/* bit 7: IMCR present */
	uint8_t reserved[3];
} __attribute__((packed));

struct mpconf {			/* configuration table header */
	uint8_t signature[4];	/* "PCMP" */
	uint16_t length;
	uint8_t version;
	uint8_t checksum;
	uint8_t product[20];
	uint32_t oemtable;
	uint16_t oemlength;
	uint16_t entry;		/* number of entries */
	uint32_t lapicaddr;
	uint16_t xlength;
	uint8_t xchecksum;
	uint8_t reserved;
	uint8_t entries[0];
} __attribute__((packed));

struct mpproc {			/* processor entry */
	uint8_t type;
	uint8_t apicid;
	uint8_t version;
	uint8_t flags;
	uint8_t signature[4];
	uint32_t feature;
	uint8_t reserved[8];
} __attribute__((packed));

#define MPPROC		0x00	/* entry types; all but processors are 8 bytes */
#define MPPROC_BOOT	0x02	/* processor flag: this is the boot CPU */
#define MPPROC_SIZE	20
#define MPOTHER_SIZE	8
#define BDA_EBDA	0x40E	/* BIOS data area: EBDA segment */
#define BDA_BASEMEM	0x413	/* BIOS data area: base memory in KB */
#define BIOS_ROM	0xF0000
#define IMCR_ADDR	0x22
#define IMCR_DATA	0x23
#define IMCR_SELECT	0x70
#define IMCR_APIC	0x01

/* The MP code's stack, for the AP being started (read by mpentry.S). */
void *mpentry_kstack;

/* Do the bytes of a firmware table add up to 0 (mod 256), as they must? */
bool
checksum_ok(const void *addr, size_t len)
{
	const uint8_t *p = addr;
	uint8_t s = 0;

	while (len--)
		s += *p++;
	return s == 0;
}

static struct mp *
mpsearch1(physaddr_t pa, size_t len)
{
	struct mp *mp = KADDR(pa), *end = KADDR(pa + len);

	for (; mp < end; mp++)
		if (memcmp(mp->signature, "_MP_", 4) == 0 && checksum_ok(mp, sizeof(*mp)))
			return mp;
	return NULL;
}

static struct mp *
mpsearch(void)
{
	uint16_t ebda = *(uint16_t *) KADDR(BDA_EBDA);
	uint16_t basemem = *(uint16_t *) KADDR(BDA_BASEMEM);
	struct mp *mp;

	if (ebda && (mp = mpsearch1(ebda << 4, 1024)))
		return mp;
	if (basemem && (mp = mpsearch1(basemem * 1024 - 1024, 1024)))
		return mp;
	return mpsearch1(BIOS_ROM, 0x10000);
}

static struct mpconf *
mpconfig(struct mp **pmp)
{
	struct mp *mp = mpsearch();
	struct mpconf *conf;

	if (!mp || !mp->physaddr || mp->type != 0)
		return NULL;
	conf = KADDR(mp->physaddr);
	if (memcmp(conf->signature, "PCMP", 4) != 0 || !checksum_ok(conf, conf->length))
		return NULL;
	*pmp = mp;
	return conf;
}

/* Record a CPU; cpus[] is indexed by local APIC id (see cpunum). */
void
add_cpu(uint8_t apicid, bool is_boot)
{
	if (apicid >= NCPU) {
		cprintf("SMP: CPU with APIC id %d ignored (NCPU is %d)\n", apicid, NCPU);
		return;
	}
	if (is_boot)
		bootcpu = &cpus[apicid];
	cpus[apicid].cpu_id = apicid;
	if (apicid + 1 > ncpu)
		ncpu = apicid + 1;
}

void
mp_init(void)
{
	struct mp *mp;
	struct mpconf *conf = mpconfig(&mp);
	uint8_t *p;
	int i;

	ncpu = 0;
	if (conf) {
		lapicaddr = conf->lapicaddr;
		for (p = conf->entries, i = 0; i < conf->entry; i++)
			if (*p == MPPROC) {
				add_cpu(((struct mpproc *) p)->apicid,
					((struct mpproc *) p)->flags & MPPROC_BOOT);
				p += MPPROC_SIZE;
			} else {
				p += MPOTHER_SIZE;
			}
		if (mp->imcrp & 0x80) {
			/* Route the 8259's interrupts to the APIC instead of the CPU pin. */
			outb(IMCR_ADDR, IMCR_SELECT);
			outb(IMCR_DATA, inb(IMCR_DATA) | IMCR_APIC);
		}
	}
	acpi_find_cpus();
	if (ncpu == 0) {
		ncpu = 1;
		bootcpu = &cpus[0];
	}
	bootcpu->cpu_status = CPU_STARTED;
	cprintf("SMP: CPU %d found %d CPU(s)\n", bootcpu->cpu_id, ncpu);
}

/* One CPU, no tables to read: a guest's case. */
void
mp_init_uniprocessor(void)
{
	ncpu = 1;
	bootcpu = &cpus[0];
	bootcpu->cpu_status = CPU_STARTED;
}

/* Where an application processor lands in C, in long mode on its own stack. */
void
mp_main(void)
{
	lcr3(kern_cr3);
	lapic_init();
	gdt_init_percpu();
	trap_init_percpu();
	fpu_init_percpu();
	cprintf("SMP: CPU %d starting\n", cpunum());
	xchg(&thiscpu->cpu_status, CPU_STARTED);
	lock_kernel();
	sched_yield();
}

void
boot_aps(void)
{
	extern unsigned char mpentry_start[], mpentry_end[];
	struct CpuInfo *c;

	memmove(KADDR(MPENTRY_PADDR), mpentry_start, mpentry_end - mpentry_start);
	for (c = cpus; c < cpus + ncpu; c++) {
		if (c == bootcpu)
			continue;
		mpentry_kstack = percpu_kstacks[c - cpus] + KSTKSIZE;
		lapic_startap(c->cpu_id, MPENTRY_PADDR);
		while (c->cpu_status != CPU_STARTED)
			;
	}
}
