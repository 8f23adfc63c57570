/*
 * The VT-x backend's own state and functions (vmm/vmx.c, vmx_exits.c,
 * ept.c). The rest of the kernel reaches them only through vmm/vmm.h.
 */
#ifndef JOS_VMM_VMX_H
#define JOS_VMM_VMX_H

#include <inc/types.h>
#include <vmm/vmm.h>

/* A VT-x vCPU: the rest of what VmxGuestInfo holds for the backend. */
struct vmx_vcpu {
	void *vmcs;			/* kernel va of the VMCS page */
	bool launched;			/* VMLAUNCH done since the last VMCLEAR */
	uint64_t cr8;			/* the guest's task priority, never the real one */
	uint64_t dr[8];			/* the guest's debug registers (virtual, never armed) */
};

static inline struct vmx_vcpu *
vmx_vcpu(struct Env *e)
{
	return e->env_vmxinfo->vcpu;
}

/* vmx_dump.c: the current VMCS, field by field (vmdump) */
void vmx_dump_fields(struct Env *e, struct vm_dump *d);

/* vmx.c: the classic names */
int vmx_check_support(void);
int vmx_check_ept(void);

#endif /* !JOS_VMM_VMX_H */
