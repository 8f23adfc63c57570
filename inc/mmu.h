/*
 * x86-64 memory-management hardware: 4-level page tables, control
 * register and EFER bits, segment and gate descriptors, the 64-bit TSS.
 *
 * A virtual address splits into four 9-bit table indexes and an offset:
 *
 *  63     48 47     39 38     30 29     21 20     12 11         0
 * +---------+---------+---------+---------+---------+------------+
 * | sign ext| PML4X   | PDPX    | PDX     | PTX     | page offset|
 * +---------+---------+---------+---------+---------+------------+
 *            \--------------- PGNUM(va) ------------/
 */
#ifndef JOS_INC_MMU_H
#define JOS_INC_MMU_H

/* Unsigned long constants in C, plain numbers in assembly. */
#ifdef __ASSEMBLER__
#define _UL(x)		x
#else
#define _UL(x)		x##UL
#endif

#define PGSIZE		4096		/* bytes mapped by a page */
#define PGSHIFT		12
#define NPTENTRIES	512		/* entries in any paging table */
#define PTSIZE		(PGSIZE * NPTENTRIES)	/* bytes mapped by a page table: 2 MB */
#define PTSHIFT		21
#define PDPSIZE		(_UL(1) << 30)	/* bytes mapped by a page directory: 1 GB */
#define PDPSHIFT	30
#define PML4SIZE	(_UL(1) << 39)	/* bytes mapped by a PDPT: 512 GB */
#define PML4SHIFT	39

#define PML4X(va)	((((uintptr_t) (va)) >> PML4SHIFT) & 0x1FF)
#define PDPX(va)	((((uintptr_t) (va)) >> PDPSHIFT) & 0x1FF)
#define PDX(va)		((((uintptr_t) (va)) >> PTSHIFT) & 0x1FF)
#define PTX(va)		((((uintptr_t) (va)) >> PGSHIFT) & 0x1FF)
#define PGNUM(la)	((((uintptr_t) (la)) & 0x0000FFFFFFFFFFFF) >> PGSHIFT)
#define PGOFF(va)	(((uintptr_t) (va)) & 0xFFF)

/* A canonical address: bits 63..47 all equal (48-bit virtual addresses). */
#define canonical(va)	((uint64_t) ((int64_t) ((uint64_t) (va) << 16) >> 16) == (uint64_t) (va))

/*
 * The classic 32-bit JOS names. There the page directory was the top
 * level; here it is the level whose entries map 2 MB each, and a
 * directory number d is va >> PDXSHIFT across the whole address space,
 * which is what uvpd[] is indexed by. (PDX(va) above is only the 9-bit
 * index within one directory.)
 */
#define NPDENTRIES	NPTENTRIES	/* entries in a page directory */
#define PDXSHIFT	PTSHIFT
#define PTXSHIFT	PGSHIFT
#define PGADDR(d, t, o)	((void *) ((uintptr_t) (d) << PDXSHIFT | \
				   (uintptr_t) (t) << PTXSHIFT | (uintptr_t) (o)))

/* Page table entry flags. */
#define PTE_P		0x001	/* present */
#define PTE_W		0x002	/* writeable */
#define PTE_U		0x004	/* user */
#define PTE_PWT		0x008	/* write-through */
#define PTE_PCD		0x010	/* cache-disable */
#define PTE_A		0x020	/* accessed */
#define PTE_D		0x040	/* dirty */
#define PTE_PS		0x080	/* large page (in a PDE or PDPE) */
#define PTE_G		0x100	/* global */
#define PTE_AVAIL	0xE00	/* free for software use */
#define PTE_NX		(1ULL << 63)	/* no execute (needs EFER.NXE) */

/* Flags that system calls may pass through to a user mapping. */
#define PTE_SYSCALL	(PTE_AVAIL | PTE_P | PTE_W | PTE_U)

/* The physical address in an entry (bits 12..51). */
#define PTE_ADDR(pte)	((physaddr_t) (pte) & 0x000FFFFFFFFFF000ULL)
#define PTE_FLAGS(pte)	((uint64_t) (pte) & ~0x000FFFFFFFFFF000ULL)

/* Control register bits. */
#define CR0_PE		0x00000001	/* protection enable */
#define CR0_MP		0x00000002	/* monitor coprocessor */
#define CR0_EM		0x00000004	/* emulation */
#define CR0_TS		0x00000008	/* task switched */
#define CR0_ET		0x00000010	/* extension type */
#define CR0_NE		0x00000020	/* numeric error */
#define CR0_WP		0x00010000	/* write protect */
#define CR0_AM		0x00040000	/* alignment mask */
#define CR0_NW		0x20000000	/* not write-through */
#define CR0_CD		0x40000000	/* cache disable */
#define CR0_PG		0x80000000	/* paging */

#define CR4_PSE		0x00000010	/* page size extensions */
#define CR4_PAE		0x00000020	/* physical address extension */
#define CR4_PGE		0x00000080	/* global pages */
#define CR4_OSFXSR	0x00000200	/* FXSAVE/FXRSTOR support */
#define CR4_OSXMMEXCPT	0x00000400	/* unmasked SIMD exceptions */
#define CR4_VMXE	0x00002000	/* VMX enable */

/* The extended feature enable register. */
#define MSR_EFER	0xC0000080
#define EFER_SCE	0x00000001	/* syscall enable */
#define EFER_LME	0x00000100	/* long mode enable */
#define EFER_LMA	0x00000400	/* long mode active */
#define EFER_NXE	0x00000800	/* no-execute enable */

/* RFLAGS bits. */
#define FL_CF		0x00000001
#define FL_PF		0x00000004
#define FL_AF		0x00000010
#define FL_ZF		0x00000040
#define FL_SF		0x00000080
#define FL_TF		0x00000100	/* trap flag */
#define FL_IF		0x00000200	/* interrupt enable */
#define FL_DF		0x00000400
#define FL_OF		0x00000800
#define FL_IOPL_MASK	0x00003000	/* I/O privilege level */
#define FL_IOPL_0	0x00000000
#define FL_IOPL_1	0x00001000
#define FL_IOPL_2	0x00002000
#define FL_IOPL_3	0x00003000
#define FL_NT		0x00004000	/* nested task */
#define FL_RF		0x00010000	/* resume flag */
#define FL_VM		0x00020000	/* virtual-8086 mode (never in long mode) */
#define FL_AC		0x00040000	/* alignment check */
#define FL_VIF		0x00080000	/* virtual interrupt flag */
#define FL_VIP		0x00100000	/* virtual interrupt pending */
#define FL_ID		0x00200000	/* CPUID available */

/* Page fault error code bits. */
#define FEC_PR		0x1	/* fault caused by a protection violation */
#define FEC_WR		0x2	/* fault caused by a write */
#define FEC_U		0x4	/* fault occurred in user mode */

/* Segment descriptor access and flag bits, for the GDT built in C. */
#define SEG_ACCESSED	0x01
#define SEG_RW		0x02	/* data: writable; code: readable */
#define SEG_CODE	0x08
#define SEG_S		0x10	/* code or data (not system) */
#define SEG_DPL(d)	((d) << 5)
#define SEG_PRESENT	0x80
#define SEG_L		0x2	/* (in the flags nibble) 64-bit code */
#define SEG_G		0x8	/* (in the flags nibble) 4 KB granularity */

#define STS_T64A	0x9	/* available 64-bit TSS */
#define STS_IG64	0xE	/* 64-bit interrupt gate */
#define STS_TG64	0xF	/* 64-bit trap gate */

#ifndef __ASSEMBLER__
#include <inc/types.h>

/* An 8-byte code or data segment descriptor. */
struct Segdesc {
	uint16_t limit_lo;
	uint16_t base_lo;
	uint8_t base_mid;
	uint8_t access;
	uint8_t limit_hi_flags;		/* limit 19..16 | flags << 4 */
	uint8_t base_hi;
} __attribute__((packed));

#define SEG64(access, dpl)						\
	(struct Segdesc) { 0xFFFF, 0, 0, (access) | SEG_S | SEG_PRESENT | SEG_DPL(dpl), \
			   0xF | ((SEG_L | SEG_G) << 4), 0 }
#define SEG_NULL	(struct Segdesc) { 0, 0, 0, 0, 0, 0 }

/* A 16-byte system descriptor (TSS) in long mode. */
struct SystemSegdesc64 {
	uint16_t limit_lo;
	uint16_t base_lo;
	uint8_t base_mid;
	uint8_t access;
	uint8_t limit_hi_flags;
	uint8_t base_hi;
	uint32_t base_upper;
	uint32_t reserved;
} __attribute__((packed));

/* The 64-bit task state segment: only stack pointers matter in long mode. */
struct Taskstate {
	uint32_t ts_reserved0;
	uint64_t ts_rsp0;		/* stack pointer on entry to ring 0 */
	uint64_t ts_rsp1;
	uint64_t ts_rsp2;
	uint64_t ts_reserved1;
	uint64_t ts_ist[7];		/* interrupt stack table */
	uint64_t ts_reserved2;
	uint16_t ts_reserved3;
	uint16_t ts_iomb;		/* offset of the I/O permission bitmap */
} __attribute__((packed));

/* A 16-byte interrupt or trap gate in long mode. */
struct Gatedesc {
	uint16_t gd_off_15_0;
	uint16_t gd_sel;
	uint8_t gd_ist;
	uint8_t gd_type_attr;		/* type | DPL << 5 | present << 7 */
	uint16_t gd_off_31_16;
	uint32_t gd_off_63_32;
	uint32_t gd_reserved;
} __attribute__((packed));

/* The operand of lgdt and lidt. */
struct Pseudodesc {
	uint16_t pd_lim;
	uint64_t pd_base;
} __attribute__((packed));

#endif /* !__ASSEMBLER__ */

#endif /* !JOS_INC_MMU_H */
