/*
 * The run loop's ABI between the kernel and a user-space VMM (vmm -r):
 * a guest whose devices live in user space, KVM style.
 *
 * sys_vcpu_create makes a "user-device" guest from a struct vcpu_config
 * (memory size, real or long mode, entry state) and a page of the VMM's,
 * the run page (struct vcpu_run), which the kernel shares from then on.
 * sys_vcpu_mmio registers a range of guest-physical addresses as device
 * memory. sys_vcpu_run(guest, flags) runs the guest and returns 0 when
 * the kernel forwards an exit it does not handle itself; the run page
 * then says which:
 *
 *   VCPU_EXIT_IO    any IN or OUT (a user-device guest has no kernel ports),
 *                   string ones (INS, OUTS, with REP) included: io.count
 *                   elements of io.size bytes, at VCPU_IO_STRING_OFFSET in
 *                   the run page (io.string set); a long REP comes back as
 *                   several exits of at most VCPU_IO_STRING_MAX bytes;
 *   VCPU_EXIT_MMIO  a load or store to a registered range or outside RAM
 *                   (as KVM: what is not RAM is the VMM's), decoded by the
 *                   kernel from the instruction at RIP (vmm/mmiodecode.c);
 *   VCPU_EXIT_HLT   HLT, if the guest was made with VCPU_F_HLT_EXIT;
 *   VCPU_EXIT_INTR  with VCPU_RUN_POLL only: the host's timer preempted
 *                   the guest, so that the VMM can poll its devices;
 *   VCPU_EXIT_EXCEPTION  a virtual-8086 guest raised #GP (a privileged
 *                   instruction, a port its TSS denies): the instruction
 *                   has not run, RIP is at it; running on repeats it.
 *
 * For an IN or an MMIO load the VMM writes the value into io.data or
 * mmio.data and calls sys_vcpu_run again; the kernel puts it where the
 * instruction wanted it. The kernel reads back nothing else: its own copy
 * of the access (size, register) decides how many bytes it takes, so no
 * value the VMM writes there can hurt the host. Fields are written by the
 * kernel unless they say otherwise. sys_vcpu_run returns -E_BAD_ENV once
 * the kernel has ended the guest (a triple fault, an instruction it
 * cannot decode); the kernel's console has the dump.
 */
#ifndef JOS_INC_VCPURUN_H
#define JOS_INC_VCPURUN_H

#include <inc/types.h>

/* exit_reason: KVM's numbers, for the reader who knows KVM. */
#define VCPU_EXIT_EXCEPTION	1
#define VCPU_EXIT_IO		2
#define VCPU_EXIT_HLT		5
#define VCPU_EXIT_MMIO		6
#define VCPU_EXIT_INTR		10

#define VCPU_IO_IN		0	/* io.direction */
#define VCPU_IO_OUT		1

#define VCPU_DATA_MAX		8	/* bytes of one access, at most */

/*
 * String I/O data: OUTS's bytes, or room for the VMM's answer to INS
 * (count * size bytes, in the guest's order), in the run page's second half.
 */
#define VCPU_IO_STRING_OFFSET	2048
#define VCPU_IO_STRING_MAX	2048

/* What the kernel saw of the guest at the exit (read-only for the VMM). */
struct vcpu_regs {
	uint64_t rip, rsp, rflags, rax;
	uint64_t cr0, cr3, cr4, efer;
	uint16_t cs;
};

/* The run page, one per guest. */
struct vcpu_run {
	uint32_t exit_reason;
	uint32_t padding;
	union {
		struct {
			uint8_t direction;	/* VCPU_IO_IN or VCPU_IO_OUT */
			uint8_t size;		/* 1, 2 or 4 */
			uint16_t port;
			uint32_t count;		/* elements: 1 unless string */
			uint8_t data[VCPU_DATA_MAX];	/* OUT: the value; IN: the VMM's */
			uint8_t string;		/* INS/OUTS: the data is at
						   VCPU_IO_STRING_OFFSET */
		} io;
		struct {
			uint64_t phys_addr;
			uint8_t data[VCPU_DATA_MAX];	/* store: the value; load: the VMM's */
			uint32_t len;		/* 1, 2, 4 or 8 */
			uint8_t is_write;
		} mmio;
		struct {
			uint32_t vector;	/* 13: #GP */
			uint32_t error_code;
		} ex;
	};
	struct vcpu_regs regs;
};

_Static_assert(sizeof(struct vcpu_run) <= VCPU_IO_STRING_OFFSET,
	       "the run page's header overlaps its string data");

/* vcpu_config.mode */
#define VCPU_MODE_REAL		0	/* CS = DS = ... = 0, IP = rip, SP = rsp */
#define VCPU_MODE_LONG		1	/* 64-bit: paging on at cr3, flat code
					   (code_sel) and data (data_sel) segments */
#define VCPU_MODE_V86		2	/* a virtual-8086 task: as REAL (rip and rsp
					   below 64 KB), but CR0.PE and EFLAGS.VM on,
					   IOPL 0, paging off; GDTR = gdt_base/limit,
					   TR = tss_sel, tss_base, tss_limit (the VMM's
					   TSS, with its I/O bitmap) */

/* vcpu_config.flags */
#define VCPU_F_HLT_EXIT		0x1	/* forward HLT (else the guest just waits) */
#define VCPU_F_NATIVE		0x2	/* the guest sees no hypervisor in CPUID
					   (vmm -F: full virtualization) */
#define VCPU_F_ALL		(VCPU_F_HLT_EXIT | VCPU_F_NATIVE)

/* sys_vcpu_run's flags */
#define VCPU_RUN_POLL		0x1	/* also return at the timer: VCPU_EXIT_INTR */

#define VCPU_MMIO_RANGES	4	/* registered ranges per guest, at most */

/*
 * A new guest's memory and first state. The kernel checks every field:
 * phys_sz as for sys_env_mkguest; rip, rsp, cr3 and the GDT inside guest
 * memory (cr3 page-aligned, the GDT holding both selectors); selectors
 * non-null, in the GDT, ring 0; unknown mode or flags: -E_INVAL. For
 * VCPU_MODE_V86: the GDT holding tss_sel, the TSS inside guest memory,
 * at least VCPU_TSS_MIN_LIMIT and below 64 KB.
 */
#define VCPU_TSS_MIN_LIMIT	0x67		/* a 32-bit TSS is 104 bytes */
struct vcpu_config {
	uint64_t phys_sz;
	uint32_t mode;
	uint32_t flags;
	uint64_t rip, rsp;
	uint64_t cr3;			/* long mode only */
	uint64_t gdt_base;		/* long mode only */
	uint16_t gdt_limit;
	uint16_t code_sel, data_sel;
	uint16_t tss_sel;		/* virtual-8086 mode only */
	uint32_t tss_limit;
	uint64_t tss_base;
};

#endif /* !JOS_INC_VCPURUN_H */
