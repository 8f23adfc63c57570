/*
 * guestsetup.h: what every host does to a guest of devices/guests/ around
 * its run, in portable C: find the guest in GUEST_LIST, build the long-mode
 * GDT and page tables in its RAM, and check its answer when it halts. The
 * register values a host loads for each mode are here too; how it loads
 * them (KVM_SET_SREGS, a VMCS) is the host's business.
 */
#ifndef DEVICES_GUESTSETUP_H
#define DEVICES_GUESTSETUP_H

#include <devices/dev.h>
#include <devices/guests/guestabi.h>

/*
 * x86 control-register bits (SDM vol. 3, 2.5) and EFER (2.2.1). JOS's
 * inc/mmu.h has the same bits under the same names (vmm -r includes both).
 */
#ifndef CR0_PE
#define CR0_PE		(1u << 0)
#define CR0_MP		(1u << 1)
#define CR0_ET		(1u << 4)
#define CR0_NE		(1u << 5)
#define CR0_WP		(1u << 16)
#define CR0_PG		(1u << 31)
#define CR4_PAE		(1u << 5)
#define EFER_LME	(1u << 8)
#define EFER_LMA	(1u << 10)
#endif

#define GUEST_LONG_CR0	(CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG)
#define GUEST_LONG_CR4	CR4_PAE
#define GUEST_LONG_EFER	(EFER_LME | EFER_LMA)
#define GUEST_RFLAGS	0x2		/* bit 1 is always set */
#define GUEST_GDT_ENTRIES 3		/* null, code, data */
#define GUEST_GDT_LIMIT	(GUEST_GDT_ENTRIES * 8 - 1)

/*
 * A virtual-8086 task's protected-mode environment (guest_build_v86): a
 * GDT of null and the TSS, and a 32-bit TSS whose I/O bitmap (one bit a
 * port, set: denied, and a last byte of ones) follows it.
 */
#define GUEST_V86_TSS_SEL	0x08
#define GUEST_V86_GDT_LIMIT	(2 * 8 - 1)
#define TSS32_SIZE		104
#define IO_BITMAP_SIZE		(65536 / 8)
#define GUEST_TSS_LIMIT		(TSS32_SIZE + IO_BITMAP_SIZE)	/* with the last byte */

struct guest_info {
	const char *name;
	enum guest_mode mode;
	enum guest_check check;
};

const struct guest_info *guest_find(const char *name);
const char *guest_mode_name(enum guest_mode mode);
enum dev_status guest_build_longmode(void);
enum dev_status guest_build_v86(void);
enum dev_status guest_check(const struct guest_info *g, uint64_t rax);

/* A host's exit profile, printed at the end the same way by both hosts. */
enum profile_slot {
	PROFILE_IO,
	PROFILE_MMIO,
	PROFILE_HLT,
	PROFILE_OTHER,
	PROFILE_SLOTS,
};

void guest_profile_print(const uint64_t profile[PROFILE_SLOTS]);

#endif /* !DEVICES_GUESTSETUP_H */
