/*
 * run.c: vmm -r NAME. Runs guest NAME of devices/guests/ (an entry of
 * GUEST_LIST) in a 2 MB user-device guest on the kernel's run loop (a
 * 16-bit one, with -8, as a virtual-8086 task: guestsetup.c), with
 * the debug port and SIMVIRTIO, until it halts; then each device reports,
 * the guest's checks run, the exit profile is printed and, if all is
 * well, "Finished vmm" - the same lines as the Linux VMM (kvm/main.c),
 * under the name "vmm". A failure prints what failed and
 * "vmm: guest NAME failed".
 *
 * The guest's RAM is vmm's own pages, shared with sys_ept_map: the loader,
 * devices/guestsetup.c's long-mode tables and the devices all reach the
 * guest's memory through them. One table maps each forwarded exit to its
 * name, profile slot and handler, as kvm/exits.c's does.
 */
#include <user/vmmraw/vmmraw.h>
#include <devices/debugport.h>
#include <devices/simvirtio.h>

enum loop_action {
	LOOP_CONTINUE,
	LOOP_HALTED,		/* the guest executed HLT: it is done */
	LOOP_FAILED,
};

static struct vcpu {
	envid_t guest;
	const struct guest_info *info;
	struct vcpu_run *run;
	uint64_t exits;		/* forwarded exits (devhost_exits) */
	uint64_t profile[PROFILE_SLOTS];
	bool polling;		/* a device keeps queues in guest RAM */
	bool measure;		/* vmm -R: time the round trips of IO exits */
	bool v86;		/* vmm -8: a 16-bit guest as a virtual-8086 task */
	uint64_t last_io_tsc, best_io_tsc;
} cpu;

typedef enum loop_action exit_handler(struct vcpu *c);

static exit_handler handle_io, handle_mmio, handle_hlt, handle_intr, handle_exception;

/* counted: a guest's exit (VCPU_EXIT_INTR is only the VMM's turn to poll). */
static const struct exit_kind {
	const char *name;
	enum profile_slot slot;
	bool counted;
	exit_handler *handle;
} exit_kinds[] = {
	[VCPU_EXIT_IO]		= { "IO", PROFILE_IO, true, handle_io },
	[VCPU_EXIT_HLT]		= { "HLT", PROFILE_HLT, true, handle_hlt },
	[VCPU_EXIT_MMIO]	= { "MMIO", PROFILE_MMIO, true, handle_mmio },
	[VCPU_EXIT_INTR]	= { "INTR", PROFILE_OTHER, false, handle_intr },
	[VCPU_EXIT_EXCEPTION]	= { "exception", PROFILE_OTHER, true, handle_exception },
};

/* ---------------------------------------------------------------- the guest */

/* The flat binary RAW_GUEST_DIR/NAME.bin, at GUEST_LOAD. */
static int
load(const char *name)
{
	char path[MAXPATHLEN];
	size_t room = GUEST_MEM_SIZE - GUEST_LOAD;
	int fd, n;

	snprintf(path, sizeof path, "%s/%s.bin", RAW_GUEST_DIR, name);
	if ((fd = open(path, O_RDONLY)) < 0) {
		cprintf("vmm: %s: %e\n", path, fd);
		return fd;
	}
	n = readn(fd, GUEST_RAM_VA + GUEST_LOAD, room);
	close(fd);
	if (n <= 0 || (size_t) n == room) {
		cprintf("vmm: %s: empty, unreadable, or over %u bytes\n", path, (unsigned) room - 1);
		return -E_INVAL;
	}
	return 0;
}

/* A 16-bit guest as a virtual-8086 task: its GDT and TSS first (guestsetup.c). */
static int
v86_config(struct vcpu_config *c)
{
	if (guest_build_v86() != DEV_OK)
		return -E_INVAL;
	c->mode = VCPU_MODE_V86;
	c->gdt_base = GUEST_GDT;
	c->gdt_limit = GUEST_V86_GDT_LIMIT;
	c->tss_sel = GUEST_V86_TSS_SEL;
	c->tss_base = GUEST_TSS;
	c->tss_limit = GUEST_TSS_LIMIT;
	return 0;
}

/* The guest's first state, as guestabi.h says for its mode. */
static envid_t
create(const struct guest_info *g, bool v86)
{
	struct vcpu_config c = {
		.phys_sz = GUEST_MEM_SIZE, .flags = VCPU_F_HLT_EXIT, .rip = GUEST_LOAD,
		.rsp = GUEST_REAL_SP, .mode = VCPU_MODE_REAL,
	};

	if (g->mode == GUEST_LONG) {
		if (guest_build_longmode() != DEV_OK)
			return -E_INVAL;
		c.mode = VCPU_MODE_LONG;
		c.rsp = GUEST_LONG_SP;
		c.cr3 = GUEST_PML4;
		c.gdt_base = GUEST_GDT;
		c.gdt_limit = GUEST_GDT_LIMIT;
		c.code_sel = GUEST_CODE_SEL;
		c.data_sel = GUEST_DATA_SEL;
	} else if (v86 && v86_config(&c) < 0) {
		return -E_INVAL;
	}
	return sys_vcpu_create(&c, RUN_PAGE_VA);
}

/* The devices on the bus, and their MMIO windows registered with the kernel. */
static int
devices_init(envid_t guest)
{
	struct bus *b = host_bus();
	int i, r;

	if (debugport_register(b) != DEV_OK || simvirtio_register(b) != DEV_OK) {
		cprintf("vmm: device ranges overlap\n");
		return -E_INVAL;
	}
	for (i = 0; i < b->ndevs; i++)
		if (b->devs[i]->mmio_len &&
		    (r = sys_vcpu_mmio(guest, b->devs[i]->mmio_base,
				       ROUNDUP(b->devs[i]->mmio_len, PGSIZE))) < 0)
			return r;
	return 0;
}

static int
setup(struct vcpu *c, const char *name)
{
	int r;

	if ((r = sys_page_alloc(0, RUN_PAGE_VA, PTE_P | PTE_U | PTE_W)) < 0 ||
	    (r = host_ram_alloc()) < 0) {
		cprintf("vmm: no memory for the guest: %e\n", r);
		return r;
	}
	if ((r = load(name)) < 0)
		return r;
	if ((c->guest = create(c->info, c->v86)) < 0) {
		cprintf("vmm: cannot create the guest: %e\n", c->guest);
		return c->guest;
	}
	if ((r = host_ram_share(c->guest)) < 0 || (r = devices_init(c->guest)) < 0) {
		cprintf("vmm: cannot set up the guest: %e\n", r);
		return r;
	}
	return 0;
}

/* ---------------------------------------------------------------- exits */

/* The guest's state, after an exit nobody handles (kvm/vm.c's lines). */
static enum loop_action
dump_and_fail(struct vcpu *c)
{
	const struct vcpu_regs *r = &c->run->regs;

	cprintf("vmm:   rip %lx rsp %lx rflags %lx rax %lx\n", r->rip, r->rsp, r->rflags, r->rax);
	cprintf("vmm:   cr0 %lx cr3 %lx cr4 %lx efer %lx cs %x\n", r->cr0, r->cr3, r->cr4,
		r->efer, r->cs);
	return LOOP_FAILED;
}

/*
 * The TSC between two IO exits in a row, at best: one round trip (kernel
 * exit, forward, this VMM, sys_vcpu_run, entry) and the guest's few
 * instructions. On Bochs the TSC counts instructions.
 */
static void
time_io(struct vcpu *c)
{
	uint64_t now = read_tsc();

	if (c->last_io_tsc && (!c->best_io_tsc || now - c->last_io_tsc < c->best_io_tsc))
		c->best_io_tsc = now - c->last_io_tsc;
	c->last_io_tsc = now;
}

static enum loop_action
handle_io(struct vcpu *c)
{
	bool out = c->run->io.direction == VCPU_IO_OUT;
	enum dev_status s;

	if (c->measure)
		time_io(c);
	s = host_access(true, c->run->io.port, out, c->run->io.data, c->run->io.size);
	if (s == DEV_OK)
		return LOOP_CONTINUE;
	cprintf("vmm: unhandled exit: IO %s of %u bytes at port 0x%x: %s\n",
		out ? "write" : "read", c->run->io.size, c->run->io.port, dev_status_name(s));
	return dump_and_fail(c);
}

static enum loop_action
handle_mmio(struct vcpu *c)
{
	enum dev_status s;

	s = host_access(false, c->run->mmio.phys_addr, c->run->mmio.is_write, c->run->mmio.data,
			c->run->mmio.len);
	if (s == DEV_OK)
		return LOOP_CONTINUE;
	cprintf("vmm: unhandled exit: MMIO %s of %u bytes at gpa 0x%lx: %s\n",
		c->run->mmio.is_write ? "write" : "read", c->run->mmio.len,
		c->run->mmio.phys_addr, dev_status_name(s));
	return dump_and_fail(c);
}

static enum loop_action
handle_hlt(struct vcpu *c)
{
	return LOOP_HALTED;
}

/* Opcodes a virtual-8086 task may not execute at IOPL 0 (SDM vol. 3, 20.2.7). */
static const struct {
	uint8_t opcode;
	const char *name;
} sensitive[] = {
	{ 0xF4, "hlt" }, { 0xFA, "cli" }, { 0xFB, "sti" }, { 0xCD, "int" }, { 0xCF, "iret" },
	{ 0x9C, "pushf" }, { 0x9D, "popf" }, { 0xE4, "in" }, { 0xE5, "in" }, { 0xEC, "in" },
	{ 0xED, "in" }, { 0xE6, "out" }, { 0xE7, "out" }, { 0xEE, "out" }, { 0xEF, "out" },
};

#define OPCODE_HLT	0xF4
#define VECTOR_GP	13

/* The opcode at the guest's CS:IP (real-mode addressing), or -1. */
static int
opcode_at(const struct vcpu_regs *r)
{
	volatile uint8_t *p = devhost_gpa(((uint64_t) r->cs << 4) + (r->rip & 0xFFFF), 1);

	return p ? *p : -1;
}

static const char *
opcode_name(int opcode)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sensitive); i++)
		if (sensitive[i].opcode == opcode)
			return sensitive[i].name;
	return "an instruction";
}

/*
 * A virtual-8086 task raised #GP: a privileged instruction, caught. HLT
 * ends the task as it ends a real-mode guest; anything else ends it as
 * a failure (the instruction cannot be skipped from here).
 */
static enum loop_action
handle_exception(struct vcpu *c)
{
	const struct vcpu_regs *r = &c->run->regs;
	int opcode = opcode_at(r);

	if (c->run->ex.vector != VECTOR_GP) {
		cprintf("vmm: unhandled exit: exception %u\n", c->run->ex.vector);
		return dump_and_fail(c);
	}
	cprintf("vmm: caught #GP(%u) at %04x:%04lx: %s, privileged in virtual-8086 mode\n",
		c->run->ex.error_code, r->cs, r->rip & 0xFFFF, opcode_name(opcode));
	return opcode == OPCODE_HLT ? LOOP_HALTED : dump_and_fail(c);
}

/* The kernel's timer gave us the CPU: the poll happens after every exit. */
static enum loop_action
handle_intr(struct vcpu *c)
{
	return LOOP_CONTINUE;
}

/* After an exit: the devices whose queues live in guest RAM look at them. */
static enum loop_action
poll_devices(struct vcpu *c)
{
	enum dev_status s = bus_poll(host_bus(), &c->polling);

	if (s == DEV_OK)
		return LOOP_CONTINUE;
	cprintf("vmm: a device ended the guest while polling: %s\n", dev_status_name(s));
	return dump_and_fail(c);
}

static enum loop_action
dispatch(struct vcpu *c)
{
	uint32_t reason = c->run->exit_reason;
	const struct exit_kind *k = reason < ARRAY_SIZE(exit_kinds) && exit_kinds[reason].name
				    ? &exit_kinds[reason] : NULL;
	enum loop_action a;

	if (!k || k->counted) {
		c->exits++;
		c->profile[k ? k->slot : PROFILE_OTHER]++;
	}
	if (!k) {
		cprintf("vmm: unhandled exit: reason %u\n", reason);
		return dump_and_fail(c);
	}
	a = k->handle(c);
	return a == LOOP_CONTINUE ? poll_devices(c) : a;
}

static enum loop_action
vcpu_loop(struct vcpu *c)
{
	enum loop_action a = LOOP_CONTINUE;
	int r;

	while (a == LOOP_CONTINUE) {
		if ((r = sys_vcpu_run(c->guest, c->polling ? VCPU_RUN_POLL : 0)) < 0) {
			cprintf("vmm: the kernel ended the guest (%e); its console has why\n", r);
			return LOOP_FAILED;
		}
		a = dispatch(c);
	}
	return a;
}

/* ---------------------------------------------------------------- the end */

/* After HLT: the devices' reports (always), then the guest's checks. */
static bool
verdict(struct vcpu *c, enum loop_action a)
{
	enum dev_status devices = bus_finish(host_bus());

	if (a != LOOP_HALTED || devices != DEV_OK)
		return false;
	return guest_check(c->info, c->run->regs.rax) == DEV_OK;
}

static void
profile_print(const struct vcpu *c)
{
	guest_profile_print(c->profile);
}

/*
 * vmm -r NAME (-R: and measure; -8: a 16-bit guest as a virtual-8086
 * task): 0 if the guest ran and passed its checks, else -E_*.
 */
int
vmm_raw(const char *name, bool measure, bool v86)
{
	bool pass = false;

	if (!(cpu.info = guest_find(name))) {
		cprintf("vmm: %s: not a guest of GUEST_LIST (devices/guests/guestabi.h)\n", name);
		return -E_INVAL;
	}
	if (v86 && cpu.info->mode != GUEST_REAL) {
		cprintf("vmm: -8 runs 16-bit guests only; %s is a %s guest\n", name,
			guest_mode_name(cpu.info->mode));
		return -E_INVAL;
	}
	cpu.run = RUN_PAGE_VA;
	cpu.measure = measure;
	cpu.v86 = v86;
	host_init(&cpu.exits, GUEST_MEM_SIZE);
	if (setup(&cpu, name) == 0) {
		cprintf("vmm: guest %s, %s, entry 0x%x, %u KB\n", name,
			v86 ? "virtual-8086 mode" : guest_mode_name(cpu.info->mode), GUEST_LOAD,
			GUEST_MEM_SIZE / 1024);
		pass = verdict(&cpu, vcpu_loop(&cpu));
		profile_print(&cpu);
	}
	if (measure)
		cprintf("vmm: IO exit round trip %lu TSC ticks at best\n", cpu.best_io_tsc);
	if (cpu.guest > 0)
		sys_env_destroy(cpu.guest);
	cprintf(pass ? "Finished vmm\n" : "vmm: guest %s failed\n", name);
	return pass ? 0 : -E_INVAL;
}
