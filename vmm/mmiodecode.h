/*
 * The instruction behind an MMIO exit (vmm/mmiodecode.c): neither backend
 * gets the operand from the hardware here (QEMU's SVM has no decode
 * assists; VT-x never gives it), so the run loop reads the instruction at
 * the guest's RIP and decodes the few forms device drivers use.
 */
#ifndef JOS_VMM_MMIODECODE_H
#define JOS_VMM_MMIODECODE_H

#include <inc/types.h>
#include <vmm/vmm.h>

#define INSN_MAX	15		/* bytes of an x86 instruction, at most */

enum mmio_op {
	MMIO_LOAD,			/* MOV reg, mem; MOVZX reg, mem */
	MMIO_STORE,			/* MOV mem, reg; MOV mem, imm */
	MMIO_CMP,			/* CMP mem, reg/imm; CMP reg, mem */
};

struct mmio_insn {
	enum mmio_op op;
	unsigned len;			/* bytes of the instruction */
	unsigned size;			/* bytes of the memory access */
	int reg;			/* the register operand (SDM numbering), or -1 */
	bool high_byte;			/* ... it is AH, CH, DH or BH */
	bool zero_extend;		/* a load that clears the register's upper bits */
	bool mem_first;			/* CMP: memory is the first operand */
	uint64_t imm;			/* the immediate operand, if reg is -1 */
};

int guest_linear_to_gpa(struct Env *e, const struct vcpu_state *s, uint64_t va, uint64_t *gpa);
int mmio_fetch(struct Env *e, const struct vcpu_state *s, uint8_t *insn, size_t n);
int mmio_decode(const uint8_t *insn, size_t n, int code_bits, struct mmio_insn *out);

#endif /* !JOS_VMM_MMIODECODE_H */
