/*
 * The hypervisor's one interface to the rest of the kernel, and the
 * interface between its generic half and its two backends.
 *
 * kern/ sees guests as environments of type ENV_TYPE_GUEST and calls only
 * the vmm_* functions below. At boot, vmm_init picks a backend from CPUID:
 * VT-x with EPT on Intel (vmm/vmx*.c, vmm/ept.c) or SVM with nested
 * paging on AMD (vmm/svm*.c, vmm/npt.c). The generic half (vmm/guest.c,
 * vmm/hypercall.c, vmm/guestio.c) runs a guest's life cycle, its memory,
 * its hypercalls and its ports; the backends enter the guest, decode its
 * exits and hand them to the generic handlers.
 *
 * Context: all of it runs with the kernel lock held, on the CPU that
 * holds the guest's VMCS or VMCB (a guest stays on the CPU that first ran
 * it).
 */
#ifndef JOS_VMM_VMM_H
#define JOS_VMM_VMM_H

#include <inc/types.h>
#include <inc/trap.h>
#include <inc/vmx.h>

struct Env;
struct PageInfo;

/*
 * What the kernel and the generic half know of a guest (the classic
 * name). The backend keeps its own state (VMCS or VMCB, and what goes
 * with it) behind vcpu, in the same page.
 */
struct VmxGuestInfo {
	uint64_t phys_sz;		/* bytes of guest-physical memory */
	int cpu;			/* the CPU whose VMCS/VMCB it is, or -1 */
	uint64_t *nptrt;		/* kernel va of the nested page table's root */
	bool npt_changed;		/* a present entry changed: flush before entry */
	struct VmxExitStats stats;	/* exit counters (inc/vmx.h) */
	int console_char;		/* input taken for the guest's COM1, or -1 */
	bool ipc_waiting;		/* sent to the file server, may wait for its reply */
	void *vcpu;			/* the backend's state */
};

#define DR6_INIT	0xFFFF0FF0	/* the debug registers' fixed bits, at reset */
#define DR7_INIT	0x400

/* What the generic handlers tell the backend's run loop to do next. */
enum vmexit_action {
	VMEXIT_RESUME,			/* re-enter the guest at once */
	VMEXIT_YIELD,			/* let the scheduler run something else first */
};

/* A backend: one per vendor, chosen at boot. */
struct vmm_backend {
	const char *name;
	uint32_t kind;					/* VMM_BACKEND_* */
	int (*check)(void);				/* can guests run here? -E_NO_* */
	int (*vcpu_init)(struct Env *e, uint64_t rip);	/* state for a new guest */
	void (*vcpu_free)(struct Env *e);
	void (*run)(struct Env *e) __attribute__((noreturn));
	void (*skip_insn)(struct Env *e);		/* past the exiting instruction */
	int (*cpl)(struct Env *e);			/* the guest's privilege level */
	void (*dump)(struct Env *e);			/* its state, for a dying guest */
	/* Nested paging: gpa -> host page, perm in EPT_* bits (inc/vmx.h). */
	int (*npt_insert)(uint64_t *root, struct PageInfo *pp, uint64_t gpa, int perm);
	int (*npt_lookup)(uint64_t *root, uint64_t gpa, void **hva);
};

extern const struct vmm_backend *vmm_backend;	/* NULL: no usable extension */
extern const struct vmm_backend vmx_backend, svm_backend;

/* vmm/guest.c: what kern/ calls */
void vmm_init(void);
int vmm_check_support(void);
int vmm_guest_init(struct Env *e, uint64_t phys_sz, uint64_t rip);
void vmm_guest_free(struct Env *e);
void vmm_run(struct Env *e) __attribute__((noreturn));
bool vmm_can_run_here(struct Env *e);
int vmm_map_page(struct Env *e, struct PageInfo *pp, uint64_t gpa, int perm);
int ept_map_page(struct Env *src, uintptr_t srcva, struct Env *guest, uint64_t gpa, int perm);
void check_ept_map(void);
uint64_t *guest_table_alloc(void);
void guest_table_free(uint64_t *root);

/* vmm/guest.c: for the backends */
void guest_exit_begin(struct Env *e, unsigned slot);
void guest_exit_end(struct Env *e, unsigned slot, uint64_t start_tsc);
void vmm_print_exit_counts(struct Env *e);
void guest_fail(struct Env *e, const char *why) __attribute__((noreturn));
void guest_end(struct Env *e, const char *why) __attribute__((noreturn));
int guest_page_fill(struct Env *e, uint64_t gpa);
int guest_populate(struct Env *e);
int guest_copy_in(struct Env *e, void *dst, uint64_t gpa, size_t len);
int guest_copy_out(struct Env *e, uint64_t gpa, const void *src, size_t len);
enum vmexit_action guest_memory_fault(struct Env *e, uint64_t gpa);
enum vmexit_action handle_cpuid(struct Env *e);
enum vmexit_action guest_hlt(struct Env *e);
enum vmexit_action guest_triple_fault(struct Env *e);

/* vmm/hypercall.c */
enum vmexit_action handle_vmcall(struct Env *e);

#endif /* !JOS_VMM_VMM_H */
