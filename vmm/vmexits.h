/* VM exits: entering the guest (asm_vmrun) and handling what brings it back. */
#ifndef JOS_VMM_VMEXITS_H
#define JOS_VMM_VMEXITS_H

#include <inc/types.h>
#include <inc/trap.h>

struct Env;

enum vmexit_action {
	VMEXIT_RESUME,		/* re-enter the guest at once */
	VMEXIT_YIELD,		/* let the scheduler run something else first */
};

/* vmx_asm.S: enter the guest with regs; returns VMX_OK after its next exit. */
int asm_vmrun(struct PushRegs *regs, bool launched);

enum vmexit_action vmexit(struct Env *e);
void vmx_guest_fail(struct Env *e, const char *why) __attribute__((noreturn));
void vmx_entry_failed(struct Env *e, int status) __attribute__((noreturn));

#endif /* !JOS_VMM_VMEXITS_H */
