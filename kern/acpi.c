/*
 * ACPI, only as far as counting CPUs: the Root System Description
 * Pointer ("RSD PTR ", in the EBDA or the BIOS area) leads to the RSDT,
 * whose entries point at tables; the MADT ("APIC") lists one local APIC
 * per processor. The tables may lie above the RAM the kernel maps at
 * KERNBASE, so they are read through temporary MMIO mappings.
 */
#include <inc/string.h>
#include <inc/memlayout.h>
#include <kern/pmap.h>
#include <kern/acpi.h>
#include <kern/cpu.h>

struct rsdp {
	char signature[8];	/* "RSD PTR " */
	uint8_t checksum;	/* of the first 20 bytes */
	char oemid[6];
	uint8_t revision;
	uint32_t rsdt;		/* physical address of the RSDT */
} __attribute__((packed));

struct sdt_header {		/* common to every table */
	char signature[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oemid[6];
	char oemtable[8];
	uint32_t oemrevision;
	uint32_t creator;
	uint32_t creatorrevision;
} __attribute__((packed));

struct madt_entry {
	uint8_t type;		/* MADT_LAPIC for a processor */
	uint8_t length;
	uint8_t acpi_id;
	uint8_t apic_id;
	uint32_t flags;		/* bit 0: enabled */
} __attribute__((packed));

#define MADT_LAPIC		0
#define MADT_LAPIC_ENABLED	0x1
#define MADT_ENTRIES_OFFSET	(sizeof(struct sdt_header) + 8)	/* after lapic addr, flags */
#define BDA_EBDA		0x40E
#define BIOS_AREA		0xE0000
#define BIOS_AREA_SIZE		0x20000
#define TABLE_MAP_SIZE		(2 * PGSIZE)	/* enough for the RSDT and MADT we meet */

static struct rsdp *
rsdp_search(physaddr_t pa, size_t len)
{
	uint8_t *p = KADDR(pa), *end = p + len;

	for (; p < end; p += 16)
		if (memcmp(p, "RSD PTR ", 8) == 0 && checksum_ok(p, 20))
			return (struct rsdp *) p;
	return NULL;
}

/* A table by physical address, readable up to TABLE_MAP_SIZE bytes. */
static struct sdt_header *
map_table(physaddr_t pa)
{
	if (pa + TABLE_MAP_SIZE <= npages * PGSIZE)
		return KADDR(pa);
	return mmio_map_region(pa, TABLE_MAP_SIZE);
}

static void
madt_add_cpus(const struct sdt_header *madt)
{
	const uint8_t *p = (const uint8_t *) madt + MADT_ENTRIES_OFFSET;
	const uint8_t *end = (const uint8_t *) madt + MIN(madt->length, (uint32_t) TABLE_MAP_SIZE);
	const struct madt_entry *e;
	bool first = true;

	for (; p + 2 <= end && p[1] >= 2; p += p[1]) {
		e = (const struct madt_entry *) p;
		if (e->type == MADT_LAPIC && (e->flags & MADT_LAPIC_ENABLED)) {
			add_cpu(e->apic_id, first);	/* the BSP comes first */
			first = false;
		}
	}
}

void
acpi_find_cpus(void)
{
	uint16_t ebda = *(uint16_t *) KADDR(BDA_EBDA);
	struct rsdp *rsdp = NULL;
	struct sdt_header *rsdt, *t;
	uint32_t *entry, n, i;

	if (ebda)
		rsdp = rsdp_search(ebda << 4, 1024);
	if (!rsdp)
		rsdp = rsdp_search(BIOS_AREA, BIOS_AREA_SIZE);
	if (!rsdp || !rsdp->rsdt)
		return;
	rsdt = map_table(rsdp->rsdt);
	if (memcmp(rsdt->signature, "RSDT", 4) != 0)
		return;
	n = MIN(rsdt->length, (uint32_t) TABLE_MAP_SIZE) - sizeof(*rsdt);
	entry = (uint32_t *) (rsdt + 1);
	for (i = 0; i < n / sizeof(uint32_t); i++) {
		t = map_table(entry[i]);
		if (memcmp(t->signature, "APIC", 4) == 0) {
			madt_add_cpus(t);
			return;
		}
	}
}
