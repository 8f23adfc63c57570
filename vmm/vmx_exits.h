/* VT-x: entering the guest (asm_vmrun) and the exits that bring it back (vmx_exits.c). */
#ifndef JOS_VMM_VMX_EXITS_H
#define JOS_VMM_VMX_EXITS_H

#include <inc/types.h>
#include <inc/trap.h>
#include <vmm/vmm.h>

/* vmx_asm.S: enter the guest with regs; returns VMX_OK after its next exit. */
int asm_vmrun(struct PushRegs *regs, bool launched);

enum vmexit_action vmexit(struct Env *e);
void vmx_inject_timer(struct Env *e);
void vmx_entry_failed(struct Env *e, int status) __attribute__((noreturn));
void vmx_dump(struct Env *e);
void vmx_skip_insn(struct Env *e);

#endif /* !JOS_VMM_VMX_EXITS_H */
