/*
 * The virtual memory layout shared by the kernel and user programs.
 *
 * Every environment's address space has the same upper part (kernel and
 * read-only views) and its own private PML4 slot 0 (user memory):
 *
 *  0xFFFFFFFFFFFFFFFF --> +------------------------------+
 *                         |  all physical memory (<2 GB) | RW/--
 *  KERNBASE ------------> +------------------------------+ 0xFFFFFFFF80000000
 *  KSTACKTOP              |  CPU0 kernel stack           | RW/--  KSTKSIZE
 *                         |  - - - - - - - - - - - - - - |
 *                         |  guard page (unmapped)       | --/--  KSTKGAP
 *                         +------------------------------+
 *                         |  CPU1 kernel stack ...       | RW/--  (NCPU stacks)
 *                         +------------------------------+
 *                         :              .               :
 *  MMIOLIM -------------> +------------------------------+ KERNBASE - PDPSIZE
 *                         |  memory-mapped I/O           | RW/--  PTSIZE
 *  MMIOBASE ------------> +------------------------------+
 *                         :   (non-canonical hole)       :
 *  ULIM ----------------> +------------------------------+ 0x0000018000000000
 *                         |  page tables (self-map)      | R-/R-  PML4SIZE
 *  UVPT ----------------> +------------------------------+ 0x0000010000000000
 *                         :              .               :
 *                         |  pages[] (RO copy)           | R-/R-
 *  UPAGES --------------> +------------------------------+ 0x0000008040000000
 *                         |  envs[] (RO copy)            | R-/R-
 *  UTOP, UENVS ---------> +------------------------------+ 0x0000008000000000
 *  UXSTACKTOP             |  user exception stack        | RW/RW  PGSIZE
 *                         +------------------------------+
 *                         |  empty guard page            | --/--
 *  USTACKTOP -----------> +------------------------------+
 *                         |  normal user stack           | RW/RW  grows down
 *                         :              .               :
 *                         |  program text, data, heap    |
 *  UTEXT ---------------> +------------------------------+ 0x800000
 *  PFTEMP               > |  scratch pages for fork etc. |
 *  UTEMP ---------------> +------------------------------+ 0x400000
 *                         |  empty (catches NULL)        |
 *  0 -------------------> +------------------------------+
 *
 * So user memory is exactly PML4 slot 0; slot 1 holds the read-only
 * views (shared by all address spaces); slot 2 is the self-map; the
 * kernel lives in slot 511 and is compiled with -mcmodel=kernel.
 */
#ifndef JOS_INC_MEMLAYOUT_H
#define JOS_INC_MEMLAYOUT_H

#include <inc/mmu.h>

/* Global descriptor table selectors (kern/gdt.c builds the table). */
#define GD_KT		0x08	/* kernel text */
#define GD_KD		0x10	/* kernel data */
#define GD_UT		0x18	/* user text */
#define GD_UD		0x20	/* user data */
#define GD_TSS0		0x28	/* CPU 0's task state segment; 16 bytes per CPU */

/* All physical memory is mapped at KERNBASE; the window ends at 2^64. */
#define KERNBASE	0xFFFFFFFF80000000
#define PHYSMEM_MAX	0x80000000	/* physical memory above 2 GB is ignored */

/* Physical addresses with a fixed use. */
#define IOPHYSMEM	0x0A0000	/* start of the VGA/BIOS hole */
#define EXTPHYSMEM	0x100000	/* end of the hole; the kernel loads here */
#define MPENTRY_PADDR	0x7000		/* where application processors start */

/* Per-CPU kernel stacks, each below an unmapped guard page. */
#define KSTACKTOP	KERNBASE
#define KSTKSIZE	(8 * PGSIZE)
#define KSTKGAP		(8 * PGSIZE)

/* Device memory (local APIC, I/O APIC) is mapped here on demand. */
#define MMIOLIM		(KERNBASE - PDPSIZE)
#define MMIOBASE	(MMIOLIM - PTSIZE)

/* User-visible layout. */
#define ULIM		0x0000018000000000
#define UVPT		0x0000010000000000	/* PML4 slot 2: the self-map */
#define UPAGES		0x0000008040000000
#define UENVS		0x0000008000000000
#define UTOP		UENVS
#define UXSTACKTOP	UTOP
#define USTACKTOP	(UTOP - 2 * PGSIZE)
#define UTEXT		0x800000

/* Scratch pages; pointers in C, as in classic JOS (sys_page_map(0, UTEMP, ...)). */
#define UTEMP_VA	0x400000
#define PFTEMP_VA	(UTEMP_VA + PTSIZE - PGSIZE)
#ifdef __ASSEMBLER__
#define UTEMP		UTEMP_VA
#define PFTEMP		PFTEMP_VA
#else
#define UTEMP		((void *) UTEMP_VA)
#define PFTEMP		((void *) PFTEMP_VA)
#endif

/*
 * The self-map: PML4 entry PML4X(UVPT) points at the PML4 itself, so a
 * program reads every level of its own page tables as flat arrays:
 *   uvpt[PGNUM(va)]             the PTE for va
 *   uvpd[va >> PTSHIFT]         the PDE
 *   uvpdp[va >> PDPSHIFT]       the PDPE
 *   uvpml4[va >> PML4SHIFT]     the PML4E
 * (va taken within the lower half, i.e. masked to 48 bits.) Below, the
 * arrays' addresses, with PML4X(UVPT) spelled UVPT >> PML4SHIFT so that
 * assembly can use them too (lib/entry.S defines the symbols).
 */
#define UVPD	(UVPT + ((UVPT >> PML4SHIFT) << PDPSHIFT))
#define UVPDP	(UVPD + ((UVPT >> PML4SHIFT) << PTSHIFT))
#define UVPML4	(UVPDP + ((UVPT >> PML4SHIFT) << PGSHIFT))

#ifndef __ASSEMBLER__
#include <inc/types.h>

typedef uint64_t pte_t;
typedef uint64_t pde_t;
typedef uint64_t pdpe_t;
typedef uint64_t pml4e_t;

/* Bookkeeping for one physical page; the pages[] array has one per page. */
struct PageInfo {
	struct PageInfo *pp_link;	/* next on the free list */
	uint16_t pp_ref;		/* pointers to this page, excluding boot mappings */
	bool pp_zeroed;			/* known to hold zeros (kern/pmap.c: page_init) */
};

/* pp_ref never goes beyond this (kern/pmap.c: page_incref). */
#define PAGE_REF_MAX	0xFFFF

#endif /* !__ASSEMBLER__ */
#endif /* !JOS_INC_MEMLAYOUT_H */
