/*
 * full.c: vmm -F, full virtualization. The guest is an unmodified PC
 * boot: our firmware (boot/fwstub.S) at a reset-like real-mode state,
 * then the JOS boot sector from IDE disk 0 and the kernel it loads from
 * there; the kernel's file server finds its file system on IDE disk 1.
 * The guest is not told it is one (VCPU_F_NATIVE: no hypervisor in
 * CPUID), so the same kernel image takes its hardware paths.
 *
 * Every port and device-memory access the kernel does not keep comes
 * here over the run loop (inc/vcpurun.h) and goes to the device models
 * of devices/: ide.c for the disks, pcports.c for A20, COM1 (this
 * program's console), the CRT controller, the PICs and the APIC stub,
 * and power-off. A port no model claims behaves as an empty ISA bus:
 * reads give all ones, writes vanish. So nothing a guest does at a port
 * ends vmm: it ends when the guest powers off, halts with no interrupt
 * to come (it gets none), or the kernel ends it (a triple fault, an MMIO
 * instruction it cannot decode).
 *
 * Environment: a JOS user program (user/vmm.c's -F); one guest, one
 * vCPU, its RAM this program's pages at GUEST_RAM_VA (host.c).
 */
#include <user/vmmraw/vmmraw.h>
#include <inc/fwstub.h>
#include <devices/ide.h>
#include <devices/pcports.h>

#define MB		(1024 * 1024)
#define BIOS_AREA	0x9FC00		/* conventional memory ends; EBDA, VGA, BIOS */
#define HIGH_MEM	0x100000
#define BIOS_ROM	0xF0000
#define OUT_BUF		256
#define IDLE_POLLS	3	/* LSR polls with no byte sent: the guest waits (a
				   kernel reads LSR once at init, once per byte) */

enum full_end {
	FULL_RUNNING,
	FULL_POWERED_OFF,
	FULL_HALTED,
	FULL_KILLED,		/* the kernel ended the guest */
};

/* Forwarded exits by kind, and the ports nobody answered. */
enum full_slot {
	SLOT_PIO,
	SLOT_STRING,		/* INS/OUTS chunks */
	SLOT_MMIO,
	SLOT_HLT,
	SLOT_OTHER,
	FULL_SLOTS,
};

static const char *const slot_names[FULL_SLOTS] = {
	[SLOT_PIO] = "port I/O", [SLOT_STRING] = "string I/O", [SLOT_MMIO] = "MMIO",
	[SLOT_HLT] = "HLT", [SLOT_OTHER] = "others",
};

static struct full {
	envid_t guest;
	struct vcpu_run *run;
	uint64_t exits, slots[FULL_SLOTS], stray;
	char out[OUT_BUF];
	int nout, idle_polls;
	bool measure;		/* -M: a [bench] line at each wait for input */
} vm;

struct host_disk {
	int fd;
	uint64_t size;
};

/* ---------------------------------------------------------------- console */

static void
out_flush(void)
{
	if (vm.nout)
		sys_cputs(vm.out, vm.nout);
	vm.nout = 0;
}

static void
com_putc(int c)
{
	vm.idle_polls = 0;
	vm.out[vm.nout++] = c;
	if (c == '\n' || vm.nout == OUT_BUF)
		out_flush();
}

/*
 * make bench (vmm -F -M): the host's busy TSC (a milestone) and the
 * guest's VM exits by reason, each time the guest starts to wait for
 * input - first at its shell's first prompt. Exit names have no spaces.
 */
static void
bench_snapshot(void)
{
	static struct VmxExitStats st;		/* 2.6 KB: too much for a one-page stack */
	char name[64], *p;
	int i;

	sys_milestone("fullvirt waits for input");
	if (sys_guest_stats(vm.guest, &st) < 0)
		return;
	cprintf("[bench] fullvirt waits for input: exits %lu", st.total_exits);
	for (i = 0; i < VMM_EXIT_SLOTS; i++) {
		if (!st.count[i])
			continue;
		strcpy(name, vmm_exit_name(st.backend, i));
		for (p = name; *p; p++)
			*p = *p == ' ' ? '_' : *p;
		cprintf(" %s=%lu", name, st.count[i]);
	}
	cprintf("\n");
}

/*
 * A key for the guest (called at each read of COM1's LSR). IDLE_POLLS polls
 * with no byte sent in between say the guest waits for input: show its
 * output. (Sending a byte reads LSR once first.)
 */
static int
com_getc(void)
{
	int c = sys_cgetc();

	if (++vm.idle_polls >= IDLE_POLLS)
		out_flush();
	if (vm.idle_polls == IDLE_POLLS && vm.measure)
		bench_snapshot();
	return c > 0 ? c : -1;
}

static const struct pc_console console = { com_putc, com_getc };

/* ---------------------------------------------------------------- disks */

static int
disk_read(void *ctx, uint64_t lba, uint8_t *buf)
{
	struct host_disk *d = ctx;
	int n;

	memset(buf, 0, IDE_SECTOR_SIZE);	/* past the end of the file: zeros */
	if (seek(d->fd, lba * IDE_SECTOR_SIZE) < 0 || (n = readn(d->fd, buf, IDE_SECTOR_SIZE)) < 0)
		return -E_FAULT;
	return 0;
}

static int
disk_write(void *ctx, uint64_t lba, const uint8_t *buf)
{
	struct host_disk *d = ctx;

	if (seek(d->fd, lba * IDE_SECTOR_SIZE) < 0 ||
	    write(d->fd, buf, IDE_SECTOR_SIZE) != IDE_SECTOR_SIZE)
		return -E_FAULT;
	return 0;
}

static struct host_disk host_disks[IDE_DRIVES];
static struct ide_disk ide_disks[IDE_DRIVES];

/* Drive i is the host file path (disk 0 read-only: the kernel image stays as built). */
static int
disk_open(int i, const char *path)
{
	struct Stat st;
	int fd;

	if ((fd = open(path, i == 0 ? O_RDONLY : O_RDWR)) < 0 || fstat(fd, &st) < 0) {
		cprintf("vmm: disk %d: %s: %e\n", i, path, fd < 0 ? fd : -E_FAULT);
		return fd < 0 ? fd : -E_FAULT;
	}
	host_disks[i] = (struct host_disk) { fd, st.st_size };
	ide_disks[i] = (struct ide_disk) {
		.ctx = &host_disks[i], .read_only = i == 0, .read = disk_read, .write = disk_write,
		.sectors = ROUNDUP((uint64_t) st.st_size, IDE_SECTOR_SIZE) / IDE_SECTOR_SIZE,
	};
	return 0;
}

/* ---------------------------------------------------------------- the guest */

/* The PC memory map the firmware's E820 hands out. */
static void
e820_write(uint64_t mem)
{
	static const struct { uint64_t base, end; uint32_t type; } map[] = {
		{ 0, BIOS_AREA, E820_RAM },
		{ BIOS_AREA, BIOS_AREA + 0x400, E820_RESERVED },
		{ BIOS_ROM, HIGH_MEM, E820_RESERVED },
		{ HIGH_MEM, 0, E820_RAM },		/* 0: up to the end of RAM */
	};
	uint8_t *t = GUEST_RAM_VA + FW_E820_TABLE + 4;
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(map); i++, t += FW_E820_ENTRY_SIZE) {
		uint64_t len = (map[i].end ? map[i].end : mem) - map[i].base;

		memcpy(t, &map[i].base, 8);
		memcpy(t + 8, &len, 8);
		memcpy(t + 16, &map[i].type, 4);
	}
	*(uint32_t *) (GUEST_RAM_VA + FW_E820_TABLE) = ARRAY_SIZE(map);
}

static int
firmware_load(const char *path)
{
	int fd, n;

	if ((fd = open(path, O_RDONLY)) < 0)
		return fd;
	n = readn(fd, GUEST_RAM_VA + FW_LOAD, FW_SIZE_MAX);
	close(fd);
	return n <= 0 ? -E_INVAL : 0;
}

static int
devices_init(void)
{
	struct ide_disk *disks[IDE_DRIVES] = { &ide_disks[0], &ide_disks[1] };
	struct bus *b = host_bus();
	int i, r;

	if (ide_register(b, disks) != DEV_OK || pcports_register(b, &console) != DEV_OK)
		return -E_INVAL;
	for (i = 0; i < b->ndevs; i++)
		if (b->devs[i]->mmio_len &&
		    (r = sys_vcpu_mmio(vm.guest, b->devs[i]->mmio_base,
				       ROUNDUP(b->devs[i]->mmio_len, PGSIZE))) < 0)
			return r;
	return 0;
}

static int
setup(const struct full_options *o, uint64_t mem)
{
	struct vcpu_config c = {
		.phys_sz = mem, .mode = VCPU_MODE_REAL, .rip = FW_LOAD, .rsp = FW_STACK,
		.flags = VCPU_F_NATIVE | VCPU_F_HLT_EXIT,
	};
	int r;

	if ((r = disk_open(0, o->disk0)) < 0 || (r = disk_open(1, o->disk1)) < 0)
		return r;
	/* The kernel judges the size (at most half the free memory) before vmm takes any. */
	if ((r = sys_page_alloc(0, vm.run, PTE_P | PTE_U | PTE_W)) < 0 ||
	    (vm.guest = sys_vcpu_create(&c, vm.run)) < 0) {
		cprintf("vmm: cannot create the guest: %e\n", r < 0 ? r : vm.guest);
		return r < 0 ? r : vm.guest;
	}
	if ((r = host_ram_alloc()) < 0) {
		cprintf("vmm: no memory for the guest: %e\n", r);
		return r;
	}
	if ((r = firmware_load(o->firmware)) < 0) {
		cprintf("vmm: cannot load %s: %e\n", o->firmware, r);
		return r;
	}
	e820_write(mem);
	if ((r = host_ram_share(vm.guest)) < 0 || (r = devices_init()) < 0) {
		cprintf("vmm: cannot set up the guest: %e\n", r);
		return r;
	}
	return 0;
}

/* ---------------------------------------------------------------- exits */

/* One access; nobody there: an empty bus (reads all ones, writes lost). */
static void
access(bool port, uint64_t addr, bool write, uint8_t *data, unsigned size)
{
	if (host_access(port, addr, write, data, size) == DEV_OK)
		return;
	vm.stray++;
	if (!write)
		memset(data, 0xFF, size);
}

typedef enum full_end exit_handler(struct vcpu_run *r);

static enum full_end
handle_io(struct vcpu_run *r)
{
	bool out = r->io.direction == VCPU_IO_OUT;
	uint8_t *data = r->io.string ? (uint8_t *) r + VCPU_IO_STRING_OFFSET : r->io.data;
	uint32_t i, n = r->io.string ? MIN(r->io.count, VCPU_IO_STRING_MAX / r->io.size) : 1;

	vm.slots[r->io.string ? SLOT_STRING : SLOT_PIO]++;
	for (i = 0; i < n; i++)
		access(true, r->io.port, out, data + i * r->io.size, r->io.size);
	return FULL_RUNNING;
}

static enum full_end
handle_mmio(struct vcpu_run *r)
{
	vm.slots[SLOT_MMIO]++;
	access(false, r->mmio.phys_addr, r->mmio.is_write, r->mmio.data,
	       MIN(r->mmio.len, (uint32_t) VCPU_DATA_MAX));
	return FULL_RUNNING;
}

/* HLT: the guest gets no interrupts, so nothing would ever wake it. */
static enum full_end
handle_hlt(struct vcpu_run *r)
{
	vm.slots[SLOT_HLT]++;
	return FULL_HALTED;
}

/* The host's timer (only if asked for, which -F does not): nothing to do. */
static enum full_end
handle_other(struct vcpu_run *r)
{
	vm.slots[SLOT_OTHER]++;
	return FULL_RUNNING;
}

static exit_handler *const exit_handlers[] = {
	[VCPU_EXIT_IO] = handle_io,
	[VCPU_EXIT_MMIO] = handle_mmio,
	[VCPU_EXIT_HLT] = handle_hlt,
	[VCPU_EXIT_INTR] = handle_other,
};

static enum full_end
dispatch(void)
{
	uint32_t reason = vm.run->exit_reason;
	exit_handler *h = reason < ARRAY_SIZE(exit_handlers) && exit_handlers[reason]
			  ? exit_handlers[reason] : handle_other;
	enum full_end end;

	vm.exits++;
	end = h(vm.run);
	if (end == FULL_RUNNING && pcports_powered_off())
		end = FULL_POWERED_OFF;
	return end;
}

static enum full_end
loop(void)
{
	enum full_end end = FULL_RUNNING;

	while (end == FULL_RUNNING) {
		if (sys_vcpu_run(vm.guest, 0) < 0)
			return FULL_KILLED;
		end = dispatch();
	}
	return end;
}

/* ---------------------------------------------------------------- the end */

static void
report(enum full_end end)
{
	static const char *const why[] = {
		[FULL_POWERED_OFF] = "powered off",
		[FULL_HALTED] = "halted with no interrupt to wake it",
		[FULL_KILLED] = "was ended by the kernel (its console has why)",
	};
	int i;

	out_flush();
	bus_finish(host_bus());
	cprintf("vmm: %lu exits to vmm:", vm.exits);
	for (i = 0; i < FULL_SLOTS; i++)
		cprintf("%s %s %lu", i ? "," : "", slot_names[i], vm.slots[i]);
	cprintf("; %lu accesses nobody answered\n", vm.stray);
	cprintf("vmm: the full-virtualization guest %s\n", why[end]);
}

/* vmm -F: 0 if the guest ran until it powered off. */
int
vmm_full(const struct full_options *o)
{
	uint64_t mem = (uint64_t) o->mem_mb * MB;
	enum full_end end = FULL_KILLED;

	vm.run = RUN_PAGE_VA;
	vm.measure = o->measure;
	host_init(&vm.exits, mem);
	if (setup(o, mem) == 0) {
		cprintf("vmm: guest %08x, %ld MB, full virtualization: firmware %s, "
			"disk 0 %s, disk 1 %s\n", vm.guest, o->mem_mb, o->firmware, o->disk0,
			o->disk1);
		if (vm.measure)
			sys_milestone("fullvirt start");
		end = loop();
		report(end);
	}
	if (vm.guest > 0)
		sys_env_destroy(vm.guest);
	for (int i = 0; i < IDE_DRIVES; i++)
		if (host_disks[i].size || ide_disks[i].read)
			close(host_disks[i].fd);
	return end == FULL_POWERED_OFF ? 0 : -E_INVAL;
}
