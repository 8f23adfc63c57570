/*
 * guestabi.h: the contract between the tiny guests of devices/guests/ and
 * every host that runs them (the Linux KVM VMM in kvm/, and vmm -r under
 * JOS). Guest sources (.S, through cpp) and host C code both include it, so
 * each fact below is spelled once.
 *
 * Every guest is a flat binary, loaded at GUEST_LOAD in a guest RAM of
 * GUEST_MEM_SIZE bytes that starts at guest-physical 0, and entered at
 * GUEST_LOAD in the mode the list GUEST_LIST gives:
 *
 *   GUEST_REAL  16-bit real mode: CS = DS = ES = SS = 0 (bases 0),
 *               IP = GUEST_LOAD, SP = GUEST_REAL_SP, FLAGS = 2. A host
 *               may run it as a virtual-8086 task instead (vmm -r -8):
 *               the same registers, in protected mode without paging,
 *               EFLAGS.VM and IOPL 0, with the host's GDT at GUEST_GDT
 *               (null, then the TSS at GUEST_V86_TSS_SEL) and its TSS at
 *               GUEST_TSS, whose I/O bitmap allows GUEST_DEBUG_PORT only.
 *   GUEST_LONG  64-bit long mode, paging on: the host writes the GDT at
 *               GUEST_GDT (null, code 0x08, data 0x10) and page tables at
 *               GUEST_PML4/PDPT/PD that identity-map the first GIB with
 *               2 MB pages (devices/guestsetup.c does both, for any host);
 *               CR0 = PE|MP|ET|NE|WP|PG, CR4 = PAE, EFER = LME|LMA,
 *               CS = 0x08, other segments 0x10, RIP = GUEST_LOAD,
 *               RSP = GUEST_LONG_SP (1 << 20), RFLAGS = 2.
 *
 * A guest ends with HLT (interrupts are never enabled). It talks to its
 * host only through port I/O and MMIO: vmcall/vmmcall never reach a
 * user-space VMM under Linux KVM.
 *
 * Guest RAM map (all below 1 MB, so that real-mode guests see it too):
 *   0x00400  GUEST_ANSWER: where guest16/guest64 store 42
 *   0x01000  GDT            0x02000  PML4   0x03000  PDPT   0x04000  PD
 *            (a virtual-8086 guest: its TSS and I/O bitmap at 0x02000..0x04068)
 *   0x05000  the device table (struct guest_devtable), filled by devices
 *   0x06000  free for the guests' own data (rings and indices)
 *   0x08000  the guest's code (GUEST_LOAD), stack below it in real mode
 *   0xFFFFF  the long-mode stack grows down from 1 MB
 * Outside RAM: the SIMVIRTIO config space at SIMVIRTIO_BASE (see
 * devices/simvirtio.h); nothing at all at GUEST_UNMAPPED_MMIO.
 */
#ifndef DEVICES_GUESTS_GUESTABI_H
#define DEVICES_GUESTS_GUESTABI_H

#define GUEST_MEM_SIZE		0x200000	/* 2 MB of RAM at gpa 0 */
#define GUEST_LOAD		0x8000		/* load address and entry point */
#define GUEST_REAL_SP		0x8000
#define GUEST_LONG_SP		0x100000	/* 1 << 20 */

#define GUEST_ANSWER		0x400		/* guest16/guest64 store 42 here */
#define GUEST_ANSWER_VALUE	42

#define GUEST_GDT		0x1000
#define GUEST_PML4		0x2000
#define GUEST_PDPT		0x3000
#define GUEST_PD		0x4000
#define GUEST_TSS		0x2000		/* virtual-8086 guests only */
#define GUEST_DEVTABLE		0x5000
#define GUEST_DATA		0x6000

#define GUEST_CODE_SEL		0x08		/* long-mode GDT selectors */
#define GUEST_DATA_SEL		0x10

#define GUEST_DEBUG_PORT	0xE9		/* bytes written are printed */
#define GUEST_UNMAPPED_MMIO	0x20000000	/* no device, no RAM: badexit */

/* The device table at GUEST_DEVTABLE: a count, then the entries. */
#define DEVTABLE_MAX		8
#define DEVTABLE_COUNT		0		/* offsets, for the .S guests */
#define DEVTABLE_ENTRIES	8
#define DEVENTRY_SIZE		16
#define DEVENTRY_MAGIC		0
#define DEVENTRY_BASE		8

#ifndef __ASSEMBLER__

#include <devices/devhost.h>

enum guest_mode {
	GUEST_REAL,
	GUEST_LONG,
};

/* What the host checks when the guest halts, besides its devices. */
enum guest_check {
	CHECK_NONE,
	CHECK_ANSWER,	/* RAX and the byte at GUEST_ANSWER hold 42 */
};

/* X(name, mode, check): every guest, once. Binaries are NAME.bin. */
#define GUEST_LIST(X)						\
	X("guest16",		GUEST_REAL,	CHECK_ANSWER)	\
	X("priv16",		GUEST_REAL,	CHECK_NONE)	\
	X("guest64",		GUEST_LONG,	CHECK_ANSWER)	\
	X("simvirtio",		GUEST_LONG,	CHECK_NONE)	\
	X("simvirtio-poll",	GUEST_LONG,	CHECK_NONE)	\
	X("badexit",		GUEST_LONG,	CHECK_NONE)

struct guest_devtable_entry {
	uint32_t magic;		/* the device's magic, e.g. "virt" */
	uint32_t reserved;
	uint64_t base;		/* gpa of its MMIO page */
};

struct guest_devtable {
	uint32_t count;
	uint32_t reserved;
	struct guest_devtable_entry entries[DEVTABLE_MAX];
};

_Static_assert(__builtin_offsetof(struct guest_devtable, entries) == DEVTABLE_ENTRIES,
	       "DEVTABLE_ENTRIES");
_Static_assert(sizeof(struct guest_devtable_entry) == DEVENTRY_SIZE, "DEVENTRY_SIZE");
_Static_assert(__builtin_offsetof(struct guest_devtable_entry, base) == DEVENTRY_BASE,
	       "DEVENTRY_BASE");

#endif /* !__ASSEMBLER__ */
#endif /* !DEVICES_GUESTS_GUESTABI_H */
