/*
 * The hypervisor's interface to the rest of the kernel (VT-x with EPT).
 * The generic kernel sees guests as environments of type ENV_TYPE_GUEST
 * and calls only the functions declared here; everything Intel-specific
 * lives in vmm/.
 */
#ifndef JOS_VMM_VMX_H
#define JOS_VMM_VMX_H

#include <inc/types.h>
#include <inc/trap.h>
#include <inc/vmx.h>

struct Env;

/* Everything about one virtual CPU apart from its general registers. */
struct VmxGuestInfo {
	uint64_t phys_sz;		/* bytes of guest-physical memory */
	void *vmcs;			/* kernel va of the VMCS page */
	bool launched;			/* VMLAUNCH done since the last VMCLEAR */
	int cpu;			/* the CPU whose VMCS it is, or -1 */
	uint64_t *eptrt;		/* kernel va of the EPT PML4 */
	struct VmxExitStats stats;	/* exit counters (inc/vmx.h) */
	int console_char;		/* input taken for the guest's COM1, or -1 */
	bool ept_changed;		/* a present EPT entry changed: INVEPT before entry */
	bool ipc_waiting;		/* sent to the file server, may wait for its reply */
	uint64_t cr8;			/* the guest's task priority, never the real one */
	uint64_t dr[8];			/* the guest's debug registers (virtual, never armed) */
};

/* vmx.c */
int vmx_check_support(void);
int vmx_check_ept(void);
int vmx_guest_init(struct Env *e, uint64_t phys_sz, uint64_t rip);
void vmx_guest_free(struct Env *e);
void vmx_run(struct Env *e) __attribute__((noreturn));
bool vmx_can_run_here(struct Env *e);

/* vmexits.c */
void vmx_print_exit_counts(struct Env *e);

#endif /* !JOS_VMM_VMX_H */
