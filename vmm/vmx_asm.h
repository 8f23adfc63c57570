/*
 * Offsets of the general registers in struct PushRegs (inc/trap.h), for
 * vmx_asm.S; vmexits.c checks each against offsetof with static_assert.
 */
#ifndef JOS_VMM_VMX_ASM_H
#define JOS_VMM_VMX_ASM_H

#define REG_R15		0
#define REG_R14		8
#define REG_R13		16
#define REG_R12		24
#define REG_R11		32
#define REG_R10		40
#define REG_R9		48
#define REG_R8		56
#define REG_RSI		64
#define REG_RDI		72
#define REG_RBP		80
#define REG_RDX		88
#define REG_RCX		96
#define REG_RBX		104
#define REG_RAX		112

/* Must equal VMX_FAIL_INVALID and VMX_FAIL_VALID (vmx_insn.h). */
#define VMX_FAIL_INVALID_ASM	1
#define VMX_FAIL_VALID_ASM	2

#endif /* !JOS_VMM_VMX_ASM_H */
