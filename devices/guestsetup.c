/*
 * guestsetup.c: the host-independent parts of running a guest of
 * devices/guests/ (see guestsetup.h). Guest RAM is reached only through
 * devhost_gpa(), so every host gets the same tables and the same checks.
 */
#include <devices/guestsetup.h>

/* Long-mode descriptors: 64-bit ring-0 code, and flat read/write data. */
#define GDT_CODE64	0x00af9a000000ffffull
#define GDT_DATA	0x00cf92000000ffffull

#define PTE_P		(1ull << 0)
#define PTE_W		(1ull << 1)
#define PTE_PS		(1ull << 7)	/* in a PD entry: a 2 MB page */
#define NPTE		512
#define HUGE_PAGE	(2ull << 20)

static const struct guest_info guests[] = {
#define GUEST_ENTRY(name, mode, check) { name, mode, check },
	GUEST_LIST(GUEST_ENTRY)
#undef GUEST_ENTRY
};

static bool
same_name(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

const struct guest_info *
guest_find(const char *name)
{
	for (unsigned i = 0; i < sizeof(guests) / sizeof(guests[0]); i++)
		if (same_name(guests[i].name, name))
			return &guests[i];
	return NULL;
}

const char *
guest_mode_name(enum guest_mode mode)
{
	return mode == GUEST_REAL ? "real mode" : "long mode";
}

static enum dev_status
write_table(uint64_t gpa, const uint64_t *entries, unsigned n)
{
	volatile uint64_t *t = devhost_gpa(gpa, n * sizeof(*t));

	if (!t)
		return DEV_BAD_ACCESS;
	for (unsigned i = 0; i < n; i++)
		t[i] = entries[i];
	return DEV_OK;
}

static enum dev_status
write_huge_pages(uint64_t gpa)
{
	volatile uint64_t *pd = devhost_gpa(gpa, NPTE * sizeof(*pd));

	if (!pd)
		return DEV_BAD_ACCESS;
	for (unsigned i = 0; i < NPTE; i++)
		pd[i] = i * HUGE_PAGE | PTE_P | PTE_W | PTE_PS;
	return DEV_OK;
}

/* GDT, and page tables identity-mapping the first GB with 2 MB pages. */
enum dev_status
guest_build_longmode(void)
{
	static const uint64_t gdt[GUEST_GDT_ENTRIES] = { 0, GDT_CODE64, GDT_DATA };
	const uint64_t pml4 = GUEST_PDPT | PTE_P | PTE_W;
	const uint64_t pdpt = GUEST_PD | PTE_P | PTE_W;

	if (write_table(GUEST_GDT, gdt, GUEST_GDT_ENTRIES) != DEV_OK ||
	    write_table(GUEST_PML4, &pml4, 1) != DEV_OK ||
	    write_table(GUEST_PDPT, &pdpt, 1) != DEV_OK)
		return DEV_BAD_ACCESS;
	return write_huge_pages(GUEST_PD);
}

#define TSS_IOMAP_BASE	102		/* u16: where the I/O bitmap starts */
#define DESC_TSS32	0x89		/* present, available 32-bit TSS */

/* A TSS descriptor: base, limit (bytes, G = 0) and type split as the SDM says. */
static uint64_t
tss_descriptor(uint32_t base, uint32_t limit)
{
	return (limit & 0xFFFFull) | (uint64_t) (base & 0xFFFFFF) << 16 |
	       (uint64_t) DESC_TSS32 << 40 | (uint64_t) ((limit >> 16) & 0xF) << 48 |
	       (uint64_t) (base >> 24) << 56;
}

/*
 * The protected-mode environment of a virtual-8086 task: the GDT, and the
 * TSS whose I/O bitmap denies every port but GUEST_DEBUG_PORT. (Its ring-0
 * stack stays 0: the host intercepts the task's #GP, and nothing else
 * leaves virtual-8086 mode.)
 */
enum dev_status
guest_build_v86(void)
{
	const uint64_t gdt[2] = { 0, tss_descriptor(GUEST_TSS, GUEST_TSS_LIMIT) };
	volatile uint8_t *tss = devhost_gpa(GUEST_TSS, GUEST_TSS_LIMIT + 1);
	unsigned i;

	if (!tss || write_table(GUEST_GDT, gdt, 2) != DEV_OK)
		return DEV_BAD_ACCESS;
	for (i = 0; i < TSS32_SIZE; i++)
		tss[i] = 0;
	tss[TSS_IOMAP_BASE] = TSS32_SIZE & 0xFF;
	tss[TSS_IOMAP_BASE + 1] = TSS32_SIZE >> 8;
	for (i = TSS32_SIZE; i <= GUEST_TSS_LIMIT; i++)
		tss[i] = 0xFF;
	tss[TSS32_SIZE + GUEST_DEBUG_PORT / 8] &= ~(1u << (GUEST_DEBUG_PORT % 8));
	return DEV_OK;
}

/* What the guest's entry in GUEST_LIST says it must have left behind. */
enum dev_status
guest_check(const struct guest_info *g, uint64_t rax)
{
	volatile uint8_t *answer = devhost_gpa(GUEST_ANSWER, 1);

	if (g->check == CHECK_NONE)
		return DEV_OK;
	if (rax != GUEST_ANSWER_VALUE || !answer || *answer != GUEST_ANSWER_VALUE) {
		devhost_printf("check failed: rax %lu and [0x%x] %u, both should be %u\n",
			       (unsigned long) rax, GUEST_ANSWER,
			       answer ? *answer : 0, GUEST_ANSWER_VALUE);
		return DEV_GUEST_ERROR;
	}
	return DEV_OK;
}

static const char *const profile_names[PROFILE_SLOTS] = {
	[PROFILE_IO] = "IO",
	[PROFILE_MMIO] = "MMIO",
	[PROFILE_HLT] = "HLT",
	[PROFILE_OTHER] = "others",
};

/* "exits: IO n, MMIO n, HLT n, others n": the line both hosts' tests compare. */
void
guest_profile_print(const uint64_t profile[PROFILE_SLOTS])
{
	int i;

	devhost_printf("exits:");
	for (i = 0; i < PROFILE_SLOTS; i++)
		devhost_printf("%s %s %lu", i ? "," : "", profile_names[i], profile[i]);
	devhost_printf("\n");
}
