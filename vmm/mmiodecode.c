/*
 * The instruction behind an MMIO exit, for the run loop (vmm/runloop.c).
 *
 * An EPT violation or a nested page fault says which guest-physical
 * address was touched, but not with what: the run loop needs the
 * instruction's direction, size and register or immediate. So it fetches
 * the instruction at CS:RIP from guest memory (mmio_fetch: real mode, or
 * 4-level paging walked through the guest's own tables from CR3) and
 * decodes it (mmio_decode). What is decoded, and nothing else:
 *
 *   88/89 MOV mem, reg      8A/8B MOV reg, mem      C6/C7 /0 MOV mem, imm
 *   0F B6/B7 MOVZX reg32/64, mem8/16
 *   38/39 CMP mem, reg      3A/3B CMP reg, mem      80/81/83 /7 CMP mem, imm
 *
 * with the operand-size prefix 66, REX (64-bit code) and segment
 * prefixes (the address is known already). Anything else - string
 * instructions, LOCK/REP, address-size 67, read-modify-write, RSP as the
 * register, 16-bit addressing in real mode - is -E_INVAL, and the run
 * loop ends the guest with a dump: an honest "not emulated", never a
 * guess. Pure functions of guest memory; the context is the exit's.
 */
#include <inc/error.h>
#include <inc/string.h>
#include <kern/env.h>
#include <kern/pmap.h>
#include <vmm/vmm.h>
#include <vmm/mmiodecode.h>

#define PT_LEVELS	4
#define PT_INDEX_BITS	9
#define PT_ADDR_MASK	0x000FFFFFFFFFF000ULL
#define CR0_PG_BIT	0x80000000ULL
#define EFER_LMA_BIT	(1ULL << 10)

#define PFX_OPSIZE	0x66
#define PFX_ADDRSIZE	0x67
#define REX_W		0x8
#define REX_R		0x4
#define OPC_TWO_BYTE	0x0F
#define MODRM_MOD(b)	((b) >> 6)
#define MODRM_REG(b)	(((b) >> 3) & 7)
#define MODRM_RM(b)	((b) & 7)
#define MOD_REGISTER	3
#define RM_SIB		4
#define RM_DISP32	5	/* with mod 0: disp32 (RIP-relative in 64-bit code) */
#define SIB_BASE_NONE	5	/* with mod 0: disp32, no base */
#define GPR_RSP		4
#define GROUP_MOV	0	/* the /digit of C6/C7 */
#define GROUP_CMP	7	/* ... and of 80/81/83 */

/* Guest-physical address of linear va, through the guest's 4-level tables at cr3. */
static int
walk_long(struct Env *e, uint64_t cr3, uint64_t va, uint64_t *gpa)
{
	uint64_t table = cr3 & PT_ADDR_MASK, entry, page;
	int level, shift;

	for (level = PT_LEVELS; level > 0; level--) {
		shift = PGSHIFT + PT_INDEX_BITS * (level - 1);
		if (guest_copy_in(e, &entry, table + ((va >> shift) & (NPTENTRIES - 1)) * 8, 8) < 0 ||
		    !(entry & PTE_P))
			return -E_FAULT;
		if (level == 1 || (level < PT_LEVELS && (entry & PTE_PS))) {
			page = (1ULL << shift) - 1;
			*gpa = (entry & PT_ADDR_MASK & ~page) | (va & page);
			return 0;
		}
		table = entry & PT_ADDR_MASK;
	}
	return -E_FAULT;
}

/* Linear to guest-physical: unpaged (real or flat protected mode) or long-mode paging. */
int
guest_linear_to_gpa(struct Env *e, const struct vcpu_state *s, uint64_t va, uint64_t *gpa)
{
	if (!(s->regs.cr0 & CR0_PG_BIT)) {
		*gpa = va;
		return 0;
	}
	if (!(s->regs.efer & EFER_LMA_BIT))
		return -E_INVAL;	/* 32-bit paging: not walked */
	return walk_long(e, s->regs.cr3, va, gpa);
}

/*
 * Up to n bytes of the instruction at CS:RIP; returns how many could be
 * read (an instruction may end before an unmapped page).
 */
int
mmio_fetch(struct Env *e, const struct vcpu_state *s, uint8_t *insn, size_t n)
{
	uint64_t va = s->cs_base + s->regs.rip, gpa;
	size_t got = 0, chunk;

	if (s->code_bits != 64)
		va &= 0xFFFFFFFF;
	while (got < n) {
		chunk = MIN(n - got, (size_t) (PGSIZE - PGOFF(va + got)));
		if (guest_linear_to_gpa(e, s, va + got, &gpa) < 0 ||
		    guest_copy_in(e, insn + got, gpa, chunk) < 0)
			break;
		got += chunk;
	}
	return got;
}

/* Bytes of ModRM's memory operand after the ModRM byte (SIB, displacement). */
static int
modrm_extra(const uint8_t *p, int code_bits)
{
	uint8_t m = p[0];
	int extra = 0;

	if (MODRM_MOD(m) == MOD_REGISTER || code_bits == 16)
		return -E_INVAL;	/* no memory operand; 16-bit addressing: not decoded */
	if (MODRM_RM(m) == RM_SIB) {
		extra = 1;
		if (MODRM_MOD(m) == 0 && (p[1] & 7) == SIB_BASE_NONE)
			return extra + 4;
	}
	if (MODRM_MOD(m) == 0 && MODRM_RM(m) == RM_DISP32)
		return 4;
	return extra + (MODRM_MOD(m) == 1 ? 1 : MODRM_MOD(m) == 2 ? 4 : 0);
}

/* The prefixes: operand size and REX; -E_INVAL for those not decoded. */
static int
prefixes(const uint8_t *p, int code_bits, bool *opsize, uint8_t *rex)
{
	int i;

	for (i = 0; i < INSN_MAX; i++) {
		if (p[i] == PFX_OPSIZE)
			*opsize = true;
		else if (p[i] == 0x26 || p[i] == 0x2E || p[i] == 0x36 || p[i] == 0x3E ||
			 p[i] == 0x64 || p[i] == 0x65)
			continue;	/* segment override */
		else if (p[i] == PFX_ADDRSIZE || p[i] == 0xF0 || p[i] == 0xF2 || p[i] == 0xF3)
			return -E_INVAL;
		else
			break;
	}
	if (code_bits == 64 && (p[i] & 0xF0) == 0x40)
		*rex = p[i++];
	return i;
}

static unsigned
operand_size(int code_bits, bool opsize, uint8_t rex)
{
	if (rex & REX_W)
		return 8;
	if (code_bits == 16)
		return opsize ? 4 : 2;
	return opsize ? 2 : 4;
}

/* An immediate of size bytes at p, sign-extended. */
static uint64_t
immediate(const uint8_t *p, unsigned size)
{
	if (size == 1)
		return (int64_t) (int8_t) p[0];
	if (size == 2)
		return (int64_t) (int16_t) (p[0] | p[1] << 8);
	return (int64_t) (int32_t) (p[0] | p[1] << 8 | p[2] << 16 | (uint32_t) p[3] << 24);
}

/* The opcode's meaning: op, access size, immediate size; false if not decoded. */
static bool
classify(const uint8_t *op, unsigned osz, struct mmio_insn *d, unsigned *imm_size)
{
	uint8_t group = MODRM_REG(op[1]);

	*imm_size = 0;
	d->reg = 0;
	switch (op[0]) {
	case 0x88: case 0x89: d->op = MMIO_STORE; break;
	case 0x8A: case 0x8B: d->op = MMIO_LOAD; break;
	case 0x38: case 0x39: d->op = MMIO_CMP; d->mem_first = true; break;
	case 0x3A: case 0x3B: d->op = MMIO_CMP; break;
	case 0xC6: case 0xC7:
		if (group != GROUP_MOV)
			return false;
		d->op = MMIO_STORE;
		d->reg = -1;
		*imm_size = op[0] == 0xC6 ? 1 : MIN(osz, 4U);
		break;
	case 0x80: case 0x81: case 0x83:
		if (group != GROUP_CMP)
			return false;
		d->op = MMIO_CMP;
		d->mem_first = true;
		d->reg = -1;
		*imm_size = op[0] == 0x81 ? MIN(osz, 4U) : 1;
		break;
	default:
		return false;
	}
	d->size = (op[0] & 1) ? osz : 1;	/* the even opcodes are the byte forms */
	return true;
}

/* MOVZX reg, mem8/16 (0F B6 / 0F B7), into a 32- or 64-bit register. */
static bool
classify_movzx(const uint8_t *op, unsigned osz, struct mmio_insn *d)
{
	if (op[0] != 0xB6 && op[0] != 0xB7)
		return false;
	if (osz < 4)
		return false;	/* a 16-bit destination: not decoded */
	d->op = MMIO_LOAD;
	d->reg = 0;
	d->size = op[0] == 0xB6 ? 1 : 2;
	d->zero_extend = true;
	return true;
}

/* The register operand's number; false for RSP, which the VMCS/VMCB holds. */
static bool
register_operand(uint8_t modrm, uint8_t rex, unsigned reg_size, struct mmio_insn *d)
{
	d->reg = MODRM_REG(modrm) | ((rex & REX_R) ? 8 : 0);
	if (reg_size == 1 && !rex && d->reg >= 4 && d->reg < 8) {
		d->high_byte = true;
		d->reg -= 4;
		return true;
	}
	return d->reg != GPR_RSP;
}

/*
 * Decode the n bytes at insn (code of code_bits: 16, 32 or 64) as one of
 * the forms above; 0, or -E_INVAL if it is none of them.
 */
int
mmio_decode(const uint8_t *insn, size_t n, int code_bits, struct mmio_insn *d)
{
	bool opsize = false, two_byte;
	uint8_t rex = 0;
	unsigned osz, imm_size = 0;
	int i, extra;

	memset(d, 0, sizeof(*d));
	if (n < 2 || (i = prefixes(insn, code_bits, &opsize, &rex)) < 0 || i + 3 > (int) n)
		return -E_INVAL;
	osz = operand_size(code_bits, opsize, rex);
	two_byte = insn[i] == OPC_TWO_BYTE;
	i += two_byte;
	if (two_byte ? !classify_movzx(&insn[i], osz, d) : !classify(&insn[i], osz, d, &imm_size))
		return -E_INVAL;
	if (d->reg >= 0 && !register_operand(insn[i + 1], rex, two_byte ? osz : d->size, d))
		return -E_INVAL;
	if ((extra = modrm_extra(&insn[i + 1], code_bits)) < 0)
		return -E_INVAL;
	d->len = i + 2 + extra + imm_size;
	if (d->len > n || d->len > INSN_MAX)
		return -E_INVAL;
	if (imm_size)
		d->imm = immediate(&insn[i + 2 + extra], imm_size);
	if (d->op == MMIO_LOAD && d->size == 4)
		d->zero_extend = true;	/* a 32-bit destination clears bits 63:32 */
	return 0;
}
