/*
 * The run loop for a VMM in user space (vmm -r), KVM style; the ABI is
 * inc/vcpurun.h. Generic: the backends only report exits here and give
 * the vCPU state through vmm_backend (get_state, set_rip, set_rflags).
 *
 * A user-device guest is an environment like any guest; its parent (the
 * VMM) sleeps in sys_vcpu_run while it runs. The kernel keeps the fast
 * paths (hypercalls, first touches of RAM, the host's interrupts); an
 * exit it leaves to the VMM is "forwarded": the kernel completes what it
 * can now (RIP past the instruction, an OUT's or a store's data into the
 * run page), writes the run page, makes the guest NOT_RUNNABLE and the
 * VMM RUNNABLE with 0 from sys_vcpu_run. What the VMM owes (an IN's or a
 * load's data, a compare's flags) is recorded in rl.pending, the kernel's
 * own copy; guest_resume applies it when the guest next enters, reading
 * only the data bytes from the run page.
 *
 * Context: kernel lock held. Exits arrive on the guest's CPU with its
 * VMCS/VMCB loaded; guest_resume runs there too, before entry. The system
 * calls (runloop_run, runloop_add_mmio) run on the VMM's CPU and touch no
 * VMCS/VMCB.
 */
#include <inc/error.h>
#include <inc/string.h>
#include <kern/env.h>
#include <kern/pmap.h>
#include <kern/sched.h>
#include <vmm/vmm.h>
#include <vmm/mmiodecode.h>

#define REAL_MODE_LIMIT	0x100000
#define REAL_SP_MAX	0xFFFF
#define V86_IP_MAX	0xFFFF		/* CS is 0: code in the first 64 KB */
#define TSS_LIMIT_MAX	0xFFFF
#define SEL_RPL_TI	7		/* a selector's low bits: must be 0 (GDT, ring 0) */
#define DESC_SIZE	8
#define RFLAGS_ARITH	0x8D5		/* CF PF AF ZF SF OF */

/* ---------------------------------------------------------------- creation */

static bool
in_memory(const struct vcpu_config *c, uint64_t gpa, uint64_t len)
{
	return gpa <= c->phys_sz && len <= c->phys_sz - gpa;
}

static bool
good_selector(const struct vcpu_config *c, uint16_t sel)
{
	return sel != 0 && !(sel & SEL_RPL_TI) && sel + DESC_SIZE - 1 <= c->gdt_limit;
}

/* A virtual-8086 task: 16-bit IP and SP, a GDT with its TSS, the TSS in memory. */
static int
check_v86(const struct vcpu_config *c)
{
	if (c->rip > V86_IP_MAX || c->rsp > REAL_SP_MAX ||
	    !in_memory(c, c->gdt_base, c->gdt_limit + 1ULL) || !good_selector(c, c->tss_sel))
		return -E_INVAL;
	if (c->tss_limit < VCPU_TSS_MIN_LIMIT || c->tss_limit > TSS_LIMIT_MAX ||
	    !in_memory(c, c->tss_base, c->tss_limit + 1ULL))
		return -E_INVAL;
	return 0;
}

/* A new guest's first state (copied into the kernel already); the size is the caller's. */
int
runloop_check_config(const struct vcpu_config *c)
{
	if (c->flags & ~VCPU_F_ALL)
		return -E_INVAL;
	if (c->mode == VCPU_MODE_REAL)
		return c->rip < MIN(c->phys_sz, (uint64_t) REAL_MODE_LIMIT) &&
		       c->rsp <= REAL_SP_MAX ? 0 : -E_INVAL;
	if (c->mode == VCPU_MODE_V86)
		return check_v86(c);
	if (c->mode != VCPU_MODE_LONG)
		return -E_INVAL;
	if (!in_memory(c, c->rip, 1) || !in_memory(c, 0, c->rsp) || PGOFF(c->cr3) ||
	    !in_memory(c, c->cr3, PGSIZE) || !in_memory(c, c->gdt_base, c->gdt_limit + 1ULL))
		return -E_INVAL;
	return good_selector(c, c->code_sel) && good_selector(c, c->data_sel) ? 0 : -E_INVAL;
}

/* e runs through the loop, with run_page (the VMM's page, now shared) as its record. */
int
runloop_init(struct Env *e, struct PageInfo *run_page)
{
	struct runloop *rl = &e->env_vmxinfo->rl;
	int r;

	if ((r = page_incref(run_page)) < 0)
		return r;
	rl->run = page2kva(run_page);
	rl->flags = e->env_vmxinfo->start.flags;
	return 0;
}

/* The guest is going: its VMM, if it waits for it, hears -E_BAD_ENV. */
static void wake_runner(struct Env *e, int64_t ret);

void
runloop_free(struct Env *e)
{
	struct runloop *rl = &e->env_vmxinfo->rl;

	if (!rl->run)
		return;
	wake_runner(e, -E_BAD_ENV);
	page_decref(pa2page(PADDR(rl->run)));
	rl->run = NULL;
}

bool
runloop_guest(struct Env *e)
{
	return e->env_vmxinfo->rl.run != NULL;
}

/* Does the guest believe it runs on bare hardware (vmm -F)? */
bool
runloop_native(struct Env *e)
{
	return runloop_guest(e) && (e->env_vmxinfo->rl.flags & VCPU_F_NATIVE);
}

/* Is [gpa, gpa + len) guest RAM (inside its memory, not a device range)? */
bool
guest_ram(struct Env *e, uint64_t gpa, uint64_t len)
{
	uint64_t sz = e->env_vmxinfo->phys_sz, a;

	if (gpa > sz || len > sz - gpa)
		return false;
	for (a = ROUNDDOWN(gpa, PGSIZE); a < gpa + len; a += PGSIZE)
		if (runloop_is_device(e, a))
			return false;
	return true;
}

/* Is gpa in a registered device range? */
bool
runloop_is_device(struct Env *e, uint64_t gpa)
{
	struct runloop *rl = &e->env_vmxinfo->rl;
	int i;

	for (i = 0; i < rl->nranges; i++)
		if (gpa >= rl->ranges[i].gpa && gpa - rl->ranges[i].gpa < rl->ranges[i].len)
			return true;
	return false;
}

/* Is any page of [gpa, gpa + len) inside RAM backed already? */
static bool
backed(struct Env *e, uint64_t gpa, uint64_t len)
{
	uint64_t end = MIN(gpa + len, e->env_vmxinfo->phys_sz);
	void *hva;

	for (; gpa < end; gpa += PGSIZE)
		if (vmm_backend->npt_lookup(e->env_pml4, gpa, &hva) == 0)
			return true;
	return false;
}

#define GPA_LIMIT	(1ULL << 39)	/* what 4-level nested tables reach */

/*
 * Make [gpa, gpa + len) device memory of e: pages, not overlapping a
 * registered range, nothing there yet, and only before the guest first
 * runs (its RAM is then backed all at once, around these ranges).
 */
int
runloop_add_mmio(struct Env *e, uint64_t gpa, uint64_t len)
{
	struct runloop *rl = &e->env_vmxinfo->rl;
	int i;

	if (!rl->run || PGOFF(gpa) || PGOFF(len) || len == 0 || gpa >= GPA_LIMIT ||
	    len > GPA_LIMIT - gpa)
		return -E_INVAL;
	if (rl->nranges == VCPU_MMIO_RANGES)
		return -E_NO_MEM;
	for (i = 0; i < rl->nranges; i++)
		if (gpa < rl->ranges[i].gpa + rl->ranges[i].len && rl->ranges[i].gpa < gpa + len)
			return -E_INVAL;
	if (e->env_vmxinfo->cpu != -1 || backed(e, gpa, len))
		return -E_BUSY;
	rl->ranges[rl->nranges++] = (struct mmio_range) { gpa, len };
	return 0;
}

/* ---------------------------------------------------------------- running */

/*
 * The VMM's sys_vcpu_run: let its paused guest e go on (applying the
 * VMM's answer on entry) and sleep until the next forwarded exit.
 */
int
runloop_run(struct Env *vmm, struct Env *e, uint32_t flags)
{
	struct runloop *rl = &e->env_vmxinfo->rl;

	if (!rl->run || (flags & ~VCPU_RUN_POLL))
		return -E_INVAL;
	if (e->env_status != ENV_NOT_RUNNABLE || rl->runner_waiting)
		return -E_BUSY;
	rl->poll = flags & VCPU_RUN_POLL;
	rl->runner_waiting = true;
	e->env_status = ENV_RUNNABLE;
	vmm->env_status = ENV_NOT_RUNNABLE;
	sched_yield();
}

static void
wake_runner(struct Env *e, int64_t ret)
{
	struct runloop *rl = &e->env_vmxinfo->rl;
	struct Env *vmm;

	if (!rl->runner_waiting)
		return;
	rl->runner_waiting = false;
	if (envid2env(e->env_parent_id, &vmm, 0) < 0 || vmm->env_status != ENV_NOT_RUNNABLE)
		return;
	vmm->env_tf.tf_regs.reg_rax = ret;
	vmm->env_status = ENV_RUNNABLE;
}

/* Hand the exit written in the run page to the VMM; the guest waits for it. */
enum vmexit_action
runloop_forward(struct Env *e, uint32_t reason, const struct vcpu_state *s)
{
	struct vcpu_run *run = e->env_vmxinfo->rl.run;

	run->exit_reason = reason;
	run->regs = s->regs;
	e->env_status = ENV_NOT_RUNNABLE;
	wake_runner(e, 0);
	return VMEXIT_YIELD;
}

void
runloop_exit_state(struct Env *e, struct vcpu_state *s)
{
	vmm_backend->get_state(e, s);
	s->regs.rax = e->env_tf.tf_regs.reg_rax;
}

static uint64_t
size_mask(unsigned size)
{
	return size >= 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
}

/* An IN or OUT (string ones: vmm/stringio.c). */
enum vmexit_action
runloop_port_io(struct Env *e, uint16_t port, int size, bool in)
{
	struct runloop *rl = &e->env_vmxinfo->rl;
	uint64_t value = e->env_tf.tf_regs.reg_rax & size_mask(size);
	struct vcpu_state s;

	runloop_exit_state(e, &s);
	rl->run->io.direction = in ? VCPU_IO_IN : VCPU_IO_OUT;
	rl->run->io.size = size;
	rl->run->io.port = port;
	rl->run->io.count = 1;
	rl->run->io.string = 0;
	memset(rl->run->io.data, 0, VCPU_DATA_MAX);
	if (in)
		rl->pending = (struct pending_access) { .kind = PENDING_IN, .size = size };
	else
		memcpy(rl->run->io.data, &value, size);
	return runloop_forward(e, VCPU_EXIT_IO, &s);
}

/* The value a store writes: its register (maybe AH..BH) or immediate. */
static uint64_t
store_value(struct Env *e, const struct mmio_insn *d)
{
	if (d->reg < 0)
		return d->imm;
	return d->high_byte ? *guest_gpr(e, d->reg) >> 8 : *guest_gpr(e, d->reg);
}

/* What the VMM's answer to a load or compare must be turned into. */
static struct pending_access
pending_of(struct Env *e, const struct mmio_insn *d)
{
	struct pending_access p = {
		.size = d->size, .reg = d->reg < 0 ? 0 : d->reg, .high_byte = d->high_byte,
		.zero_extend = d->zero_extend, .mem_first = d->mem_first,
	};

	p.kind = d->op == MMIO_LOAD ? PENDING_LOAD : PENDING_CMP;
	if (d->op == MMIO_CMP)
		p.operand = store_value(e, d);
	return p;
}

/* An access to device memory: decode it, complete what can be, forward it. */
enum vmexit_action
runloop_mmio(struct Env *e, uint64_t gpa)
{
	struct runloop *rl = &e->env_vmxinfo->rl;
	uint8_t insn[INSN_MAX];
	struct mmio_insn d;
	struct vcpu_state s;
	uint64_t value;
	int n;

	runloop_exit_state(e, &s);
	n = mmio_fetch(e, &s, insn, sizeof insn);
	if (mmio_decode(insn, n, s.code_bits, &d) < 0)
		guest_fail(e, "MMIO by an instruction the run loop does not decode");
	rl->run->mmio.phys_addr = gpa;
	rl->run->mmio.len = d.size;
	rl->run->mmio.is_write = d.op == MMIO_STORE;
	memset(rl->run->mmio.data, 0, VCPU_DATA_MAX);
	if (d.op == MMIO_STORE) {
		value = store_value(e, &d);
		memcpy(rl->run->mmio.data, &value, d.size);
	} else {
		rl->pending = pending_of(e, &d);
	}
	vmm_backend->set_rip(e, s.regs.rip + d.len);
	return runloop_forward(e, VCPU_EXIT_MMIO, &s);
}

/* HLT, forwarded if the guest was made with VCPU_F_HLT_EXIT (already skipped). */
enum vmexit_action
runloop_hlt(struct Env *e)
{
	struct vcpu_state s;

	if (!(e->env_vmxinfo->rl.flags & VCPU_F_HLT_EXIT))
		return VMEXIT_YIELD;
	runloop_exit_state(e, &s);
	return runloop_forward(e, VCPU_EXIT_HLT, &s);
}

/*
 * An exception the backend intercepts for a user-device guest (#GP in
 * virtual-8086 mode): the instruction has not run; the VMM decides.
 */
enum vmexit_action
runloop_exception(struct Env *e, uint32_t vector, uint32_t error_code)
{
	struct vcpu_run *run = e->env_vmxinfo->rl.run;
	struct vcpu_state s;

	runloop_exit_state(e, &s);
	run->ex.vector = vector;
	run->ex.error_code = error_code;
	return runloop_forward(e, VCPU_EXIT_EXCEPTION, &s);
}

/*
 * The host's timer took the CPU from guest e (the scheduler runs next).
 * A VMM that polls its devices hears of it (VCPU_EXIT_INTR).
 */
void
guest_preempted(struct Env *e)
{
	struct vcpu_state s;

	if (!runloop_guest(e) || !e->env_vmxinfo->rl.poll || !e->env_vmxinfo->rl.runner_waiting)
		return;
	runloop_exit_state(e, &s);
	runloop_forward(e, VCPU_EXIT_INTR, &s);
}

/* ---------------------------------------------------------------- resuming */

/* The flags of CMP a, b at size bytes, as the CPU computes them. */
static uint64_t
cmp_flags(uint64_t a, uint64_t b, unsigned size)
{
	uint64_t f;

	if (size == 1)
		asm("cmpb %b2, %b1; pushfq; popq %0" : "=r" (f) : "q" (a), "q" (b) : "cc");
	else if (size == 2)
		asm("cmpw %w2, %w1; pushfq; popq %0" : "=r" (f) : "r" (a), "r" (b) : "cc");
	else if (size == 4)
		asm("cmpl %k2, %k1; pushfq; popq %0" : "=r" (f) : "r" (a), "r" (b) : "cc");
	else
		asm("cmpq %2, %1; pushfq; popq %0" : "=r" (f) : "r" (a), "r" (b) : "cc");
	return f & RFLAGS_ARITH;
}

/* Write data into register p->reg as a load of p->size bytes does. */
static void
load_register(struct Env *e, const struct pending_access *p, uint64_t data)
{
	uint64_t *r = guest_gpr(e, p->reg), mask = size_mask(p->size);

	if (p->high_byte)
		*r = (*r & ~(mask << 8)) | (data << 8);
	else if (p->zero_extend)
		*r = data;
	else
		*r = (*r & ~mask) | data;
}

/* Apply the VMM's answer to the forwarded access, if one is owed. */
static void
complete(struct Env *e, struct pending_access *p, const uint8_t *answer)
{
	struct vcpu_state s;
	uint64_t data = 0, flags;

	memcpy(&data, answer, p->size);
	if (p->kind == PENDING_IN) {
		*guest_gpr(e, 0) = p->size == 4 ? data : (*guest_gpr(e, 0) & ~size_mask(p->size)) | data;
	} else if (p->kind == PENDING_LOAD) {
		load_register(e, p, data);
	} else {
		vmm_backend->get_state(e, &s);
		flags = p->mem_first ? cmp_flags(data, p->operand, p->size)
				     : cmp_flags(p->operand, data, p->size);
		vmm_backend->set_rflags(e, (s.regs.rflags & ~(uint64_t) RFLAGS_ARITH) | flags);
	}
	p->kind = PENDING_NONE;
}

/*
 * Before the guest enters (its VMCS/VMCB loaded): finish the forwarded
 * access with the VMM's data. Only the data bytes are read from the run
 * page, and only as many as the kernel's record says.
 */
void
guest_resume(struct Env *e)
{
	struct runloop *rl = &e->env_vmxinfo->rl;
	uint8_t answer[VCPU_DATA_MAX];

	if (!rl->run || rl->pending.kind == PENDING_NONE)
		return;
	if (rl->pending.kind == PENDING_INS) {
		string_io_complete(e, &rl->pending,
				   (const uint8_t *) rl->run + VCPU_IO_STRING_OFFSET);
		return;
	}
	memcpy(answer, rl->pending.kind == PENDING_IN ? rl->run->io.data : rl->run->mmio.data,
	       VCPU_DATA_MAX);
	complete(e, &rl->pending, answer);
}
