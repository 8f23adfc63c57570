/*
 * String port I/O of a user-device guest (vmm -F's IDE data port):
 * INS and OUTS, with or without REP, forwarded to the VMM in chunks.
 *
 * A backend decodes the exit into a struct string_io (port, element
 * size, direction, REP, address size, segment base); the rest is generic.
 * One exit moves at most VCPU_IO_STRING_MAX bytes: the kernel takes
 * count = min(RCX, what fits) elements, checks that every byte of them is
 * guest RAM (translating the guest-linear address through the guest's own
 * page tables, page by page), and advances RSI/RDI and RCX as the CPU
 * would. If RCX is not yet zero, RIP stays on the instruction, so the
 * guest executes it again and exits for the next chunk - the same thing
 * a CPU does when an interrupt arrives in the middle of a REP.
 *
 *   OUTS: the bytes are copied from the guest into the run page at
 *         VCPU_IO_STRING_OFFSET before the VMM hears of the exit;
 *   INS:  the guest-physical chunks are recorded in rl.pending, and on
 *         the next entry (string_io_complete) exactly that many bytes
 *         are copied from the run page into them.
 *
 * So no value in the run page decides where the kernel writes, and a
 * string that leaves guest RAM (or touches a device range) ends the guest
 * with a dump, never the host. With EFLAGS.DF set (descending addresses)
 * each exit moves one element.
 *
 * Context: kernel lock held; the exit's VMCS/VMCB is current.
 */
#include <inc/error.h>
#include <inc/string.h>
#include <kern/env.h>
#include <kern/pmap.h>
#include <vmm/vmm.h>
#include <vmm/mmiodecode.h>

#define RFLAGS_DF	0x400
#define GPR_RCX		1
#define GPR_RSI		6
#define GPR_RDI		7

static uint64_t
addr_mask(unsigned bits)
{
	return bits == 64 ? ~0ULL : (1ULL << bits) - 1;
}

/* Replace the low addr_bits of *reg, as an address-size-sized update does. */
static void
set_low(uint64_t *reg, uint64_t value, uint64_t mask)
{
	*reg = mask == ~0ULL ? value : (*reg & ~mask) | (value & mask);
}

/*
 * Where the len bytes at guest-linear lin live, as at most STRING_CHUNKS
 * chunks of guest RAM; -E_FAULT if any byte is not RAM.
 */
static int
locate(struct Env *e, const struct vcpu_state *s, uint64_t lin, uint32_t len,
       struct pending_access *p)
{
	uint32_t n, done = 0;
	int i;

	for (i = 0; done < len; i++) {
		n = MIN(len - done, (uint32_t) (PGSIZE - PGOFF(lin + done)));
		if (i == STRING_CHUNKS || guest_linear_to_gpa(e, s, lin + done, &p->gpa[i]) < 0 ||
		    !guest_ram(e, p->gpa[i], n))
			return -E_FAULT;
		p->len[i] = n;
		done += n;
	}
	for (; i < STRING_CHUNKS; i++)
		p->len[i] = 0;
	return 0;
}

/* How many elements this exit moves: all that are left, if they fit. */
static uint32_t
elements(const struct string_io *io, const struct vcpu_state *s, uint64_t left, uint64_t off)
{
	uint64_t mask = addr_mask(io->addr_bits), n = MIN(left, VCPU_IO_STRING_MAX / io->size);

	if (s->regs.rflags & RFLAGS_DF)
		return 1;
	/* Not past the end of a 16- or 32-bit address space: the register would wrap. */
	if (mask != ~0ULL)
		n = MIN(n, (mask - off) / io->size + 1);
	return n ? n : 1;
}

/* Move RSI/RDI past n elements and count them off RCX; skip the insn when done. */
static void
advance(struct Env *e, const struct string_io *io, const struct vcpu_state *s, uint64_t n,
	uint64_t left)
{
	uint64_t mask = addr_mask(io->addr_bits), *ptr = guest_gpr(e, io->in ? GPR_RDI : GPR_RSI);
	uint64_t bytes = n * io->size;

	set_low(ptr, (s->regs.rflags & RFLAGS_DF) ? *ptr - bytes : *ptr + bytes, mask);
	if (io->rep)
		set_low(guest_gpr(e, GPR_RCX), left - n, mask);
	if (!io->rep || left == n)
		vmm_backend->skip_insn(e);
}

enum vmexit_action
runloop_string_io(struct Env *e, const struct string_io *io)
{
	struct runloop *rl = &e->env_vmxinfo->rl;
	uint64_t mask = addr_mask(io->addr_bits), off, left, lin, n;
	struct pending_access p = { .kind = PENDING_INS, .size = io->size };
	struct vcpu_state s;
	uint8_t *buf = (uint8_t *) rl->run + VCPU_IO_STRING_OFFSET;

	runloop_exit_state(e, &s);
	left = io->rep ? *guest_gpr(e, GPR_RCX) & mask : 1;
	if (left == 0) {
		vmm_backend->skip_insn(e);
		return VMEXIT_RESUME;
	}
	off = *guest_gpr(e, io->in ? GPR_RDI : GPR_RSI) & mask;
	n = elements(io, &s, left, off);
	lin = io->seg_base + off;
	if (s.code_bits != 64)
		lin &= 0xFFFFFFFF;
	if (locate(e, &s, lin, n * io->size, &p) < 0)
		guest_fail(e, "string I/O with memory outside guest RAM");
	if (io->in)
		rl->pending = p;
	else if (guest_copy_in(e, buf, p.gpa[0], p.len[0]) < 0 ||
		 guest_copy_in(e, buf + p.len[0], p.gpa[1], p.len[1]) < 0)
		guest_fail(e, "string I/O from unmapped guest RAM");
	rl->run->io = (typeof(rl->run->io)) {
		.direction = io->in ? VCPU_IO_IN : VCPU_IO_OUT, .size = io->size,
		.port = io->port, .count = n, .string = 1,
	};
	advance(e, io, &s, n, left);
	return runloop_forward(e, VCPU_EXIT_IO, &s);
}

/* On entry after an INS: the VMM's bytes into the chunks recorded at the exit. */
void
string_io_complete(struct Env *e, struct pending_access *p, const uint8_t *data)
{
	int i;

	for (i = 0; i < STRING_CHUNKS; i++) {
		if (p->len[i] && guest_copy_out(e, p->gpa[i], data, p->len[i]) < 0)
			break;
		data += p->len[i];
	}
	p->kind = PENDING_NONE;
}
