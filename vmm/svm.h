/*
 * AMD SVM: the VMCB's layout, intercept bits and exit codes (AMD APM
 * vol. 2, chapter 15 and appendix B/C), and the SVM backend's own state.
 * The rest of the kernel reaches the backend only through vmm/vmm.h.
 */
#ifndef JOS_VMM_SVM_H
#define JOS_VMM_SVM_H

#include <inc/types.h>
#include <vmm/vmm.h>

/* CPUID and MSRs */
#define CPUID_SVM_FEATURES	0x8000000A	/* edx: */
#define  SVM_FEATURE_NP		(1U << 0)	/* nested paging */
#define  SVM_FEATURE_NRIPS	(1U << 3)	/* next RIP saved on #VMEXIT */
#define CPUID_EXT_ECX_SVM	(1U << 2)	/* CPUID 0x80000001 ecx */
#define MSR_VM_CR		0xC0010114
#define  VM_CR_SVMDIS		(1U << 4)
#define MSR_VM_HSAVE_PA		0xC0010117
#define EFER_SVME		(1U << 12)

/* VMCB control area: offsets */
#define VMCB_INTERCEPT_CR	0x000	/* u32: reads 0-15, writes 16-31 */
#define VMCB_INTERCEPT_DR	0x004
#define VMCB_INTERCEPT_EXC	0x008
#define VMCB_INTERCEPT_MISC1	0x00C
#define VMCB_INTERCEPT_MISC2	0x010
#define VMCB_IOPM_BASE		0x040	/* u64 */
#define VMCB_MSRPM_BASE		0x048
#define VMCB_TSC_OFFSET		0x050
#define VMCB_ASID		0x058	/* u32 */
#define VMCB_TLB_CONTROL	0x05C	/* u8 */
#define VMCB_VINTR		0x060	/* u64 */
#define VMCB_INT_SHADOW		0x068	/* bit 0: interrupts wait one instruction */
#define VMCB_EXITCODE		0x070
#define VMCB_EXITINFO1		0x078
#define VMCB_EXITINFO2		0x080
#define VMCB_EXITINTINFO	0x088
#define VMCB_NP_ENABLE		0x090
#define VMCB_EVENTINJ		0x0A8
#define VMCB_NCR3		0x0B0
#define VMCB_CLEAN		0x0C0	/* u32 */
#define VMCB_NRIP		0x0C8

/* VMCB state-save area: segments are (selector u16, attrib u16, limit u32, base u64) */
#define VMCB_ES			0x400
#define VMCB_CS			0x410
#define VMCB_SS			0x420
#define VMCB_DS			0x430
#define VMCB_FS			0x440
#define VMCB_GS			0x450
#define VMCB_GDTR		0x460
#define VMCB_LDTR		0x470
#define VMCB_IDTR		0x480
#define VMCB_TR			0x490
#define  SEG_SEL		0
#define  SEG_ATTRIB		2
#define  SEG_LIMIT		4
#define  SEG_BASE		8
#define VMCB_CPL		0x4CB	/* u8 */
#define VMCB_EFER		0x4D0
#define VMCB_CR4		0x548
#define VMCB_CR3		0x550
#define VMCB_CR0		0x558
#define VMCB_DR7		0x560
#define VMCB_DR6		0x568
#define VMCB_RFLAGS		0x570
#define VMCB_RIP		0x578
#define VMCB_RSP		0x5D8
#define VMCB_RAX		0x5F8
#define VMCB_STAR		0x600
#define VMCB_LSTAR		0x608
#define VMCB_CSTAR		0x610
#define VMCB_SFMASK		0x618
#define VMCB_KERNEL_GS_BASE	0x620
#define VMCB_SYSENTER_CS	0x628
#define VMCB_SYSENTER_ESP	0x630
#define VMCB_SYSENTER_EIP	0x638
#define VMCB_CR2		0x640
#define VMCB_G_PAT		0x668

/* Intercept bits */
#define MISC1_INTR		(1U << 0)
#define MISC1_NMI		(1U << 1)
#define MISC1_RDTSC		(1U << 14)
#define MISC1_CPUID		(1U << 18)
#define MISC1_INVD		(1U << 22)
#define MISC1_HLT		(1U << 24)
#define MISC1_IOIO		(1U << 27)
#define MISC1_MSR		(1U << 28)
#define MISC1_SHUTDOWN		(1U << 31)
#define MISC2_VMRUN		(1U << 0)	/* VMRUN must be intercepted */
#define MISC2_VMMCALL		(1U << 1)
#define MISC2_VMLOAD		(1U << 2)
#define MISC2_VMSAVE		(1U << 3)
#define MISC2_STGI		(1U << 4)
#define MISC2_CLGI		(1U << 5)
#define MISC2_SKINIT		(1U << 6)
#define MISC2_RDTSCP		(1U << 7)
#define MISC2_WBINVD		(1U << 9)	/* QEMU reports INVD as this too */
#define MISC2_XSETBV		(1U << 13)	/* XCR0 is the CPU's, shared by all guests */

#define VINTR_MASKING		(1ULL << 24)	/* the guest's IF and CR8 are virtual */
#define INT_SHADOW_ACTIVE	(1ULL << 0)
#define TLB_FLUSH_ALL		1
#define NP_ENABLE		1
#define GUEST_PAT		0x0007040600070406ULL
#define GUEST_ASID		1

/* Exit codes */
#define SVM_EXIT_EXCP_BASE	0x040		/* + vector: an intercepted exception */
#define SVM_EXIT_GP		(SVM_EXIT_EXCP_BASE + 13)
#define SVM_EXIT_INTR		0x060
#define SVM_EXIT_NMI		0x061
#define SVM_EXIT_RDTSC		0x06E
#define SVM_EXIT_CPUID		0x072
#define SVM_EXIT_INVD		0x076
#define SVM_EXIT_HLT		0x078
#define SVM_EXIT_IOIO		0x07B
#define SVM_EXIT_MSR		0x07C
#define SVM_EXIT_SHUTDOWN	0x07F
#define SVM_EXIT_VMRUN		0x080
#define SVM_EXIT_VMMCALL	0x081
#define SVM_EXIT_SKINIT		0x086
#define SVM_EXIT_RDTSCP		0x087
#define SVM_EXIT_NPF		0x400
#define SVM_EXIT_INVALID	0xFFFFFFFF	/* VMRUN found the guest state invalid */
#define SVM_EXIT_SLOTS_LOW	0xA0		/* codes below share their number as slot */

/* IOIO EXITINFO1 */
#define IOIO_IN			(1U << 0)
#define IOIO_STR		(1U << 2)
#define IOIO_SIZE(i)		(((i) >> 4) & 7)	/* one-hot: 1, 2 or 4 bytes */
#define IOIO_PORT(i)		((i) >> 16)
#define IOIO_REP		(1U << 3)
#define IOIO_A16		(1U << 7)	/* address size of INS/OUTS */
#define IOIO_A32		(1U << 8)

/* EVENTINJ (and EXITINTINFO, the same layout): inject an event */
#define EVENTINJ_VALID		(1U << 31)
#define EVENTINJ_TYPE		(7U << 8)
#define EVENTINJ_VECTOR		0xFFU
#define EVENTINJ_SOFT_INT	(4U << 8)
#define EVENTINJ_INTR		(0U << 8)
#define EVENTINJ_EXCEPTION	(3U << 8)
#define EVENTINJ_ERR_VALID	(1U << 11)

#define IOPM_SIZE		(3 * PGSIZE)
#define MSRPM_SIZE		(2 * PGSIZE)

/* An SVM vCPU: the rest of what VmxGuestInfo holds for the backend. */
struct svm_vcpu {
	uint8_t *vmcb;			/* kernel va of the VMCB page */
	uint64_t dr[4];			/* the guest's DR0-3, swapped in around VMRUN */
};

static inline struct svm_vcpu *
svm_vcpu(struct Env *e)
{
	return e->env_vmxinfo->vcpu;
}

/* VMCB fields by offset. */
#define VMCB64(vmcb, off)	(*(uint64_t *) ((vmcb) + (off)))
#define VMCB32(vmcb, off)	(*(uint32_t *) ((vmcb) + (off)))
#define VMCB16(vmcb, off)	(*(uint16_t *) ((vmcb) + (off)))
#define VMCB8(vmcb, off)	(*(uint8_t *) ((vmcb) + (off)))

/* svm_asm.S: enter the guest of the VMCB at vmcb_pa with regs; back after its exit. */
void asm_svm_run(physaddr_t vmcb_pa, struct PushRegs *regs, physaddr_t host_area_pa);

extern bool svm_nrips;

/* svm_exits.c */
enum vmexit_action svm_exit(struct Env *e);
void svm_inject_timer(struct Env *e);
void svm_skip_insn(struct Env *e);
void svm_dump(struct Env *e);

/* svm_dump.c */
int svm_dump_state(struct Env *e, struct vm_dump *d);

/* npt.c */
int npt_page_insert(uint64_t *root, struct PageInfo *pp, uint64_t gpa, int perm);
int npt_gpa2hva(uint64_t *root, uint64_t gpa, void **hva);

#endif /* !JOS_VMM_SVM_H */
