/*
 * What a guest and its hypervisor agree on: the hypercall numbers and
 * the CPUID signature by which the JOS kernel knows it runs as a guest.
 *
 * Hypercall ABI: vmcall with the number in rax and arguments in rdx,
 * rcx, rbx, rdi, rsi (the system-call registers); the result comes back
 * in rax (>= 0, or -E_* on error).
 */
#ifndef JOS_INC_VMX_H
#define JOS_INC_VMX_H

#define VMX_VMCALL_MBMAP	1	/* rdx = gpa of a buffer, rcx = its size: write the
					   e820 map there (multiboot entries); rax = bytes */
#define VMX_VMCALL_IPCSEND	2	/* to the host's file server: rdx = value, rcx = gpa of
					   a page or VMX_IPC_NOPAGE, rbx = PTE_* perm; rax = 0
					   (the guest sleeps while the server is busy) */
#define VMX_VMCALL_IPCRECV	3	/* block until the host replies: rdx = gpa where a
					   page may go, or VMX_IPC_NOPAGE; rax = the value */
#define VMX_IPC_NOPAGE		(~0UL)
#define VMX_VMCALL_MILESTONE	4	/* rdx = gpa of a name, rcx = its length: the host
					   notes the moment (see kern/time.c) */
#define VMX_VMCALL_NULL		5	/* does nothing: a round trip, for measuring */
#define VMX_VMCALL_CPUTS	6	/* rdx = gpa of text, rcx = its length: print it on
					   the host console */
#define VMX_VMCALL_CGETC	7	/* rax = the next console character typed for this
					   guest; the guest sleeps until there is one,
					   unless rdx is CGETC_POLL (then rax = 0) */
#define CGETC_POLL		1
#define VMX_VMCALL_IPCCALL	8	/* IPCSEND then IPCRECV in one exit: rdx, rcx, rbx
					   as for IPCSEND, rdi = gpa for the reply page; rax =
					   the reply's value, or an error (nothing sent) */
#define VMX_VMCALL_CONSRING	9	/* rdx = gpa of a page: the guest's console output
					   ring (struct cons_ring), which the host empties
					   at every exit of the guest */

/* CPUID leaf 0x40000000: ebx, ecx, edx spell the hypervisor's name. */
#define CPUID_HV_LEAF		0x40000000
#define CPUID_HV_SIGNATURE	"JOSVMMJOSVMM"
#define CPUID_1_ECX_VMX		(1U << 5)
#define CPUID_1_ECX_HYPERVISOR	(1U << 31)

/* Permissions for sys_ept_map: the EPT entry's read/write/execute bits. */
#define EPT_R			0x1
#define EPT_W			0x2
#define EPT_X			0x4
#define EPT_RWX			(EPT_R | EPT_W | EPT_X)
/*
 * With EPT_RWX only: the caller gives the page up (it unmaps it next), so
 * where the host kernel holds a page of the very same content at this
 * address (its text and read-only data: vmm loading the host's own image),
 * the guest gets the host's page instead, read and execute only, shared
 * by every guest, and a private copy when it first writes to it
 * (copy on write, vmm/kshare.c). Not an EPT bit.
 */
#define EPT_MAY_SHARE		0x100

/*
 * The guest boot stub (boot/gstub.S) runs at GUEST_STUB_GPA in real mode.
 * vmm patches two words in it before loading it: the kernel's entry
 * point, and a test mode that makes the stub misbehave on purpose.
 */
#define GUEST_STUB_GPA		0x7000
#define GUEST_STUB_ENTRY_OFF	4	/* uint32_t: kernel entry (physical) */
#define GUEST_STUB_TEST_OFF	8	/* uint32_t: GSTUB_TEST_* */

#define GSTUB_TEST_NONE		0
#define GSTUB_TEST_BADCALL	1	/* MBMAP with a buffer outside guest memory */
#define GSTUB_TEST_OUTSIDE	2	/* write to memory outside the guest */
#define GSTUB_TEST_BADINSN	3	/* an instruction the hypervisor does not handle */
#define GSTUB_TEST_TRIPLE	4	/* a triple fault */
#define GSTUB_TEST_HOSTILE	5	/* boot the kernel with the command line "hostile":
					   it attacks the hypervisor from ring 0 first
					   (kern/guestattack.c), then boots on */
#define GSTUB_TEST_FUZZ		6	/* command line "fuzz": random attacks, then off */
#define GSTUB_TEST_COW		7	/* command line "cow": it writes to its kernel's
					   text and read-only data, which it shares with
					   the host (kern/guestattack.c), then boots on */

/* Exit reasons are counted up to this number (SDM appendix C). */
#define VMX_NR_EXIT_REASONS	66

/*
 * The two hypervisor backends. Exit counters have one slot per exit kind:
 * VT-x's basic exit reason, or SVM's exit code (0x00-0x9F, then the
 * nested page fault and the rest of 0x400.. at SVM_SLOT_NPF..).
 */
#define VMM_BACKEND_VMX		1	/* Intel VT-x with EPT */
#define VMM_BACKEND_SVM		2	/* AMD SVM with nested paging */
#define SVM_SLOT_NPF		0xA0
#define VMM_EXIT_SLOTS		0xA2

/*
 * A guest's clock (vmm -T N, sys_guest_tsc): its TSC starts near 0 at its
 * first entry; with a scale N > 1 every RDTSC exits and reads N times the
 * host's ticks since then. N is at most VMM_TSC_SCALE_MAX.
 */
#define VMM_TSC_SCALE_MAX	1000

/*
 * A guest's virtual timer (vmm -i MS, sys_guest_timer): an external
 * interrupt at GUEST_TIMER_VECTOR every MS milliseconds of host time,
 * whenever the guest can take it; 0 (a new guest's setting) means none.
 */
#define GUEST_TIMER_VECTOR	32	/* the guest kernel's IRQ_OFFSET + IRQ_TIMER */
#define VMM_TIMER_MS_MIN	10	/* the host's own tick (kern/time.c) */
#define VMM_TIMER_MS_MAX	10000
#define VMM_TIMER_MS_DEFAULT	10	/* vmm's, for a paravirtual guest */

/* CPUID leaf 0x40000001, eax: our hypervisor's features. */
#define CPUID_HV_FEATURES	0x40000001
#define HV_FEATURE_VMMCALL	(1U << 0)	/* hypercalls are vmmcall (AMD), not vmcall */

#ifndef __ASSEMBLER__
#include <inc/x86.h>

/*
 * The page a guest's kernel sends with a request about several of its
 * file server's pages (sys_host_call): each page's guest-physical
 * address, with the tag the file server gave it (for a disk, the block
 * number). The host may read and write those pages until it replies.
 */
#define HOST_PAGES_MAX		32	/* pages in one request of a guest's file server */
struct host_page {
	uint64_t tag;
	uint64_t gpa;
};
struct host_pages {
	uint64_t n;
	struct host_page page[HOST_PAGES_MAX];
};

/*
 * A guest's console output without an exit per line: the guest writes
 * bytes at head, the host takes them at its next exit of any kind (the
 * host timer's, at the latest) and moves tail; both count bytes ever
 * written, the ring holding CONS_RING_SIZE. A guest whose ring is full
 * makes any hypercall (NULL) to have it emptied.
 */
#define CONS_RING_SIZE		(4096 - 16)
struct cons_ring {
	volatile uint64_t head;		/* written by the guest */
	volatile uint64_t tail;		/* written by the host */
	char buf[CONS_RING_SIZE];
};

/*
 * The host's view of one guest, as sys_guest_info copies it out (vmls).
 * Like envs[], public.
 */
#define GUEST_NAME_MAX		32	/* with its terminating NUL */
#define CTRL_RBRACKET		0x1D	/* Ctrl-]: detach from a guest's console */

enum guest_state {
	GUEST_RUNNING,		/* runnable or running */
	GUEST_BLOCKED,		/* waiting, for the host's file server or its VMM */
	GUEST_IDLE,		/* waiting for console input (CGETC) */
};

struct vm_info {
	int32_t id;
	int32_t parent;			/* its vmm */
	char name[GUEST_NAME_MAX];	/* "" until its vmm names it */
	uint64_t mem_bytes;
	uint32_t state;			/* enum guest_state */
	bool attached;			/* its console is on the screen */
	uint64_t exits;
	uint64_t cpu_ticks;		/* TSC ticks in the guest and handling its exits */
};

/* A guest's exit counters, as sys_guest_stats copies them out. */
struct VmxExitStats {
	uint32_t backend;			/* VMM_BACKEND_*: whose exit slots */
	uint64_t total_exits;
	uint64_t count[VMM_EXIT_SLOTS];		/* per exit slot */
	uint64_t ticks[VMM_EXIT_SLOTS];		/* TSC ticks the host spent on them */
	uint64_t timer_interrupts;		/* virtual timer ticks put into the guest */
	uint64_t cow_copies;			/* shared kernel pages it got its own copy of */
};

/*
 * A guest's VMCS (VT-x) or VMCB (SVM), as sys_guest_dump copies it out
 * (vmdump) and as the hypervisor prints it when a guest dies: one record
 * per field, named by the backend's one table of fields, in groups.
 */
enum vm_dump_group {
	DUMP_GUEST,			/* guest state */
	DUMP_HOST,			/* host state (VT-x only: SVM saves it elsewhere) */
	DUMP_CONTROL,			/* execution, exit and entry controls */
	DUMP_EXIT,			/* exit information */
	DUMP_GROUPS,
};

#define VM_DUMP_NAME_MAX	32	/* with its terminating NUL */
#define VM_DUMP_MAX		160	/* fields, at most */

struct vm_dump_field {
	char name[VM_DUMP_NAME_MAX];
	uint32_t group;			/* enum vm_dump_group */
	uint32_t size;			/* bytes: 1, 2, 4 or 8 */
	uint64_t value;
};

struct vm_dump {
	uint32_t backend;		/* VMM_BACKEND_* */
	uint32_t nfields;
	struct vm_dump_field field[VM_DUMP_MAX];
};

/*
 * Are we running as a JOS-VMM guest? The hypervisor sets the CPUID
 * hypervisor bit and names itself at leaf 0x40000000. (Each call costs
 * the guest two VM exits: callers keep the answer, and leaf 1's ecx in
 * *ecx; see VMM_GUEST.)
 */
static inline bool
vmm_guest_detect(uint32_t *ecx1)
{
	uint32_t ecx, sig[3];

	cpuid(1, 0, NULL, NULL, &ecx, NULL);
	*ecx1 = ecx;
	if (!(ecx & CPUID_1_ECX_HYPERVISOR))
		return false;
	cpuid(CPUID_HV_LEAF, 0, NULL, &sig[0], &sig[1], &sig[2]);
	return __builtin_memcmp(sig, CPUID_HV_SIGNATURE, sizeof(sig)) == 0;
}

/*
 * The question itself, asked once and remembered: the kernel and the
 * user library (the file server chooses its disk path by it) each
 * implement it. VMM_GUEST is the original lab's name.
 */
bool vmm_guest(void);

/*
 * Does this guest's hypervisor take vmmcall (AMD) rather than vmcall
 * (Intel)? Asked of CPUID once (lib/vmxexits.c, in kernel and library).
 */
bool hypercall_is_vmmcall(void);

/*
 * A hypercall, made by the guest's kernel (the hypervisor refuses all but
 * VMX_VMCALL_NULL from guest user mode). The one place that names the
 * instructions; the boot stub, which has no C, asks CPUID itself.
 */
static inline int64_t
hypercall(uint64_t num, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
	int64_t ret;

	if (hypercall_is_vmmcall())
		asm volatile("vmmcall" : "=a" (ret) : "a" (num), "d" (a1), "c" (a2), "b" (a3),
			     "D" (a4) : "cc", "memory");
	else
		asm volatile("vmcall" : "=a" (ret) : "a" (num), "d" (a1), "c" (a2), "b" (a3),
			     "D" (a4) : "cc", "memory");
	return ret;
}

/* lib/vmxexits.c (kernel and user): "EPT violation" and so on. */
const char *vmx_exit_name(unsigned reason);
const char *vmm_exit_name(uint32_t backend, unsigned slot);
void vm_dump_print(const struct vm_dump *d, const char *prefix,
		   int (*print)(const char *fmt, ...));
#define VMM_GUEST	(vmm_guest())
#endif /* !__ASSEMBLER__ */

#endif /* !JOS_INC_VMX_H */
