/*
 * The VMX instructions as C functions. Each reports failure the VMX way
 * (CF set: no current VMCS; ZF set: the VMCS's VM-instruction error field
 * says why), which these return as VMX_FAIL_INVALID / VMX_FAIL_VALID.
 */
#ifndef JOS_VMM_VMX_INSN_H
#define JOS_VMM_VMX_INSN_H

#include <inc/types.h>
#include <inc/assert.h>
#include <vmm/vmcs.h>

#define VMX_OK			0
#define VMX_FAIL_INVALID	1	/* CF: no (valid) current VMCS */
#define VMX_FAIL_VALID		2	/* ZF: see VM_INSTRUCTION_ERROR */
#define INVEPT_SINGLE_CONTEXT	1

/* Turn CF/ZF after a VMX instruction into a VMX_* code. */
#define VMX_STATUS_ASM	"setbe %0\n\tsetb %1\n\t"

static inline int
vmx_status(uint8_t be, uint8_t b)
{
	return !be ? VMX_OK : b ? VMX_FAIL_INVALID : VMX_FAIL_VALID;
}

static inline int
vmxon(physaddr_t pa)
{
	uint8_t be, b;
	asm volatile("vmxon %2\n\t" VMX_STATUS_ASM : "=q" (be), "=q" (b) : "m" (pa)
		     : "cc", "memory");
	return vmx_status(be, b);
}

static inline int
vmclear(physaddr_t pa)
{
	uint8_t be, b;
	asm volatile("vmclear %2\n\t" VMX_STATUS_ASM : "=q" (be), "=q" (b) : "m" (pa)
		     : "cc", "memory");
	return vmx_status(be, b);
}

static inline int
vmptrld(physaddr_t pa)
{
	uint8_t be, b;
	asm volatile("vmptrld %2\n\t" VMX_STATUS_ASM : "=q" (be), "=q" (b) : "m" (pa)
		     : "cc", "memory");
	return vmx_status(be, b);
}

/* Forget the cached translations of one EPT (single-context INVEPT). */
static inline int
invept_single(uint64_t eptp)
{
	struct {
		uint64_t eptp;
		uint64_t reserved;
	} desc = { eptp, 0 };
	uint8_t be, b;

	asm volatile("invept %2, %3\n\t" VMX_STATUS_ASM : "=q" (be), "=q" (b)
		     : "m" (desc), "r" ((uint64_t) INVEPT_SINGLE_CONTEXT) : "cc", "memory");
	return vmx_status(be, b);
}

static inline uint64_t
vmcs_read(uint32_t field)
{
	uint64_t value;
	asm volatile("vmread %1, %0" : "=r" (value) : "r" ((uint64_t) field) : "cc");
	return value;
}

/* Writes to the current VMCS fail only on a kernel bug (a bad field). */
static inline void
vmcs_write(uint32_t field, uint64_t value)
{
	uint8_t be, b;
	asm volatile("vmwrite %3, %2\n\t" VMX_STATUS_ASM : "=q" (be), "=q" (b)
		     : "r" ((uint64_t) field), "r" (value) : "cc");
	if (vmx_status(be, b) != VMX_OK)
		panic("vmwrite of field %x failed (VM-instruction error %ld)", field,
		      vmcs_read(VM_INSTRUCTION_ERROR));
}

#endif /* !JOS_VMM_VMX_INSN_H */
