/*
 * A hostile guest kernel, for testing the hypervisor (vmm -t hostile):
 * a JOS guest booted with the command line "hostile" runs these attacks
 * at CPL 0 before it boots on. Each prints one line, "attack: WHAT: HOW
 * IT ENDED", which the test compares with what a contained guest must
 * see:
 *   - CR8 (the task priority) set to 15 and a long spin: the host's
 *     timer must still interrupt the guest (the host counts those exits);
 *   - debug registers: the guest's own, not the host's;
 *   - sensitive MSRs read and written: #GP;
 *   - the VMX instructions: #UD (CPUID says there is no VMX);
 *   - every I/O port read and written (but the power-off ports): nothing
 *     reaches real hardware;
 *   - hypercalls with bad guest-physical addresses, and a wait for a
 *     reply to nothing: error codes, never a frozen or killed guest.
 * With the command line "fuzz" (vmm -t fuzz, make soak), it makes
 * FUZZ_OPS random hypercalls and privileged instructions instead. With
 * "cow" (vmm -t cow), it writes to its kernel's text and read-only data,
 * which are the host's own pages, shared read-only by every guest
 * (vmm/kshare.c): each write must give it a private copy, and leave the
 * host's page and every other guest's view as they were. Then it writes
 * memory that the hypervisor backs only when first touched.
 * Runs in the guest kernel at boot, before any environment exists.
 */
#include <inc/stdio.h>
#include <inc/string.h>
#include <inc/x86.h>
#include <inc/error.h>
#include <inc/vmx.h>
#include <inc/fs.h>
#include <kern/trap.h>
#include <kern/pmap.h>
#include <kern/console.h>
#include <kern/guestattack.h>
#include <vmm/vmm.h>

#define CR8_SPIN_TICKS		50000000ULL	/* 1 s of Bochs time (50 M ips) */
#define CR8_HIGHEST		15
#define DR7_ALL_ENABLED		0xFF
#define SOME_DR0		0x1234
#define MSR_APIC_BASE		0x01B
#define MSR_FEATURE_CONTROL	0x03A
#define MSR_SYSENTER_EIP	0x176
#define MSR_VMX_BASIC		0x480
#define MSR_LSTAR		0xC0000082
#define EFER_RESERVED_BIT	(1ULL << 20)
#define PORT_VALUE		0xFE		/* a reset pulse at 0x64, at 0xCF9 ... */
#define NPORTS			0x10000
#define FAR_GPA			(1ULL << 40)
#define NO_PAGE			VMX_IPC_NOPAGE

/*
 * Run instruction(s) insn, which may fault; the value is the trap number
 * they raised, or NO_TRAP. The rest are the asm's outputs : inputs.
 */
#define ATTEMPT(insn, ...)						\
	({								\
		trap_resumed_trapno = NO_TRAP;				\
		asm volatile("leaq 1f(%%rip), %%r11\n\t"		\
			     "movq %%r11, trap_resume_rip(%%rip)\n\t"	\
			     insn "\n"					\
			     "1:\tmovq $0, trap_resume_rip(%%rip)"	\
			     : __VA_ARGS__ : "r11", "memory");	\
		trap_resumed_trapno;					\
	})

static void
say(const char *what, int trapno)
{
	if (trapno == NO_TRAP)
		cprintf("attack: %s: no fault\n", what);
	else if (trapno == T_GPFLT)
		cprintf("attack: %s: #GP\n", what);
	else if (trapno == T_ILLOP)
		cprintf("attack: %s: #UD\n", what);
	else
		cprintf("attack: %s: trap %d\n", what, trapno);
}

/* Raise the task priority to the top, spin, read it back. */
static void
attack_cr8(void)
{
	uint64_t v = CR8_HIGHEST, start;

	say("write 15 to cr8", ATTEMPT("mov %0, %%cr8", : "r" (v)));
	start = read_tsc();
	while (read_tsc() - start < CR8_SPIN_TICKS)
		;
	v = 0;
	say("read cr8", ATTEMPT("mov %%cr8, %0", "=r" (v) :));
	cprintf("attack: cr8 reads back %lu after the spin\n", v);
	v = CR8_HIGHEST + 1;
	say("write 16 to cr8", ATTEMPT("mov %0, %%cr8", : "r" (v)));
	v = 0;
	ATTEMPT("mov %0, %%cr8", : "r" (v));
}

static void
attack_debug_registers(void)
{
	uint64_t v = SOME_DR0, dr7 = DR7_ALL_ENABLED;

	ATTEMPT("mov %0, %%dr0\n\tmov %1, %%dr7", : "r" (v), "r" (dr7));
	v = dr7 = 0;
	ATTEMPT("mov %%dr0, %0\n\tmov %%dr7, %1", "=r" (v), "=r" (dr7) :);
	cprintf("attack: dr0 reads back %lx, dr7 %lx\n", v, dr7);
	v = 0;
	ATTEMPT("mov %0, %%dr7", : "r" (v));
}

static const struct {
	uint32_t msr;
	const char *name;
} sensitive_msrs[] = {
	{ MSR_APIC_BASE, "APIC base" },
	{ MSR_FEATURE_CONTROL, "feature control" },
	{ MSR_SYSENTER_EIP, "SYSENTER_EIP" },
	{ MSR_VMX_BASIC, "VMX basic" },
	{ MSR_LSTAR, "LSTAR" },
};

static void
attack_msrs(void)
{
	char what[64];
	uint32_t lo = 0, hi = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sensitive_msrs); i++) {
		snprintf(what, sizeof what, "rdmsr %s", sensitive_msrs[i].name);
		say(what, ATTEMPT("rdmsr", "=a" (lo), "=d" (hi) : "c" (sensitive_msrs[i].msr)));
		snprintf(what, sizeof what, "wrmsr %s", sensitive_msrs[i].name);
		say(what, ATTEMPT("wrmsr", : "c" (sensitive_msrs[i].msr), "a" (0), "d" (0)));
	}
	lo = rdmsr(MSR_EFER);
	hi = rdmsr(MSR_EFER) >> 32;
	say("wrmsr EFER with a reserved bit",
	    ATTEMPT("wrmsr", : "c" (MSR_EFER), "a" (lo | (uint32_t) EFER_RESERVED_BIT), "d" (hi)));
}

/* Each VMX instruction, with a pointer to a zeroed page where one is wanted. */
static void
attack_vmx(void)
{
	static uint8_t region[PGSIZE] __attribute__((aligned(PGSIZE)));
	static uint64_t desc[2];
	uint64_t pa = PADDR(region), v = 0;

	say("vmxon", ATTEMPT("vmxon %0", : "m" (pa)));
	say("vmclear", ATTEMPT("vmclear %0", : "m" (pa)));
	say("vmptrld", ATTEMPT("vmptrld %0", : "m" (pa)));
	say("vmptrst", ATTEMPT("vmptrst %0", "=m" (v) :));
	say("vmread", ATTEMPT("vmread %1, %0", "=r" (v) : "r" (v)));
	say("vmwrite", ATTEMPT("vmwrite %0, %1", : "r" (v), "r" (v)));
	say("vmlaunch", ATTEMPT("vmlaunch", :));
	say("vmresume", ATTEMPT("vmresume", :));
	say("invept", ATTEMPT("invept %0, %1", : "m" (desc), "r" (v)));
	say("vmxoff", ATTEMPT("vmxoff", :));
}

/*
 * Left out: the ports that end the guest (vmm/guestio.c), so that the
 * test goes on, and the console's data port, which would print noise.
 */
static const uint16_t spared_ports[] = { 0x8900, 0x604, 0xF4, 0x3F8 };

static bool
spared(uint32_t port)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(spared_ports); i++)
		if (port == spared_ports[i])
			return true;
	return false;
}

static void
attack_ports(void)
{
	uint32_t port, n = 0, faults = 0;
	uint8_t v;

	for (port = 0; port < NPORTS; port++) {
		if (spared(port))
			continue;
		n++;
		faults += ATTEMPT("inb %w1, %0", "=a" (v) : "d" (port)) != NO_TRAP;
		faults += ATTEMPT("outb %0, %w1", : "a" ((uint8_t) PORT_VALUE), "d" (port)) != NO_TRAP;
	}
	cprintf("attack: read and wrote %u ports, %u faults\n", n, faults);
}

static void
hypercall_result(const char *what, int64_t r)
{
	if (r < 0)
		cprintf("attack: %s: refused (%e)\n", what, (int) r);
	else
		cprintf("attack: %s: ALLOWED\n", what);
}

/* A list page of the batched disk call (kern/hostcall.c), made up here. */
static union {
	struct host_pages list;
	char page[PGSIZE];
} made_up __attribute__((aligned(PGSIZE)));

/* A disk read of n pages, the first being block tag into gpa: the host's file server answers. */
static int64_t
disk_read(uint64_t n, uint64_t tag, uint64_t gpa)
{
	made_up.list.n = n;
	made_up.list.page[0].tag = tag;
	made_up.list.page[0].gpa = gpa;
	return hypercall(VMX_VMCALL_IPCCALL, GDISK_READ, PADDR(&made_up), PTE_P | PTE_U, NO_PAGE);
}

/* A page of the attacker's own, for blocks to and from the disk. */
static char block_page[PGSIZE] __attribute__((aligned(PGSIZE)));

/*
 * A disk write whose first page is fine and whose second is far outside
 * memory: refused, and the first block may not change either (nor name a
 * block of the host's disk holding someone else's old bytes). The
 * superblock, read back, says which.
 */
static void
attack_half_bad_write(void)
{
	memset(block_page, 0xAB, PGSIZE);
	made_up.list.n = 2;
	made_up.list.page[0] = (struct host_page) { SUPER_BLOCKNO, PADDR(block_page) };
	made_up.list.page[1] = (struct host_page) { SUPER_BLOCKNO + 1, FAR_GPA };
	hypercall_result("disk write with its second page far outside memory",
			 hypercall(VMX_VMCALL_IPCCALL, GDISK_WRITE, PADDR(&made_up),
				   PTE_P | PTE_U, NO_PAGE));
	if (disk_read(1, SUPER_BLOCKNO, PADDR(block_page)) < 0)
		cprintf("attack: the superblock cannot be read back\n");
	else
		cprintf("attack: the superblock after that write: %s\n",
			((struct Super *) block_page)->s_magic == FS_MAGIC ? "as it was" : "CHANGED");
}

static void
attack_disk_lists(void)
{
	hypercall_result("disk read of 0 pages", disk_read(0, SUPER_BLOCKNO, PGSIZE));
	hypercall_result("disk read of 33 pages", disk_read(HOST_PAGES_MAX + 1, SUPER_BLOCKNO, PGSIZE));
	hypercall_result("disk read of block 2^40", disk_read(1, FAR_GPA, PGSIZE));
	hypercall_result("disk read into an unaligned page", disk_read(1, SUPER_BLOCKNO, PGSIZE + 8));
	hypercall_result("disk read into a page far outside memory",
			 disk_read(1, SUPER_BLOCKNO, FAR_GPA));
	attack_half_bad_write();
}

static void
attack_hypercalls(void)
{
	hypercall_result("IPC call with a page far outside memory",
			 hypercall(VMX_VMCALL_IPCCALL, 0, FAR_GPA, 0, NO_PAGE));
	hypercall_result("IPC call with a reply page far outside memory",
			 hypercall(VMX_VMCALL_IPCCALL, 0, NO_PAGE, 0, FAR_GPA));
	hypercall_result("IPC send with an unaligned page",
			 hypercall(VMX_VMCALL_IPCSEND, 0, PGSIZE + 8, 0, 0));
	hypercall_result("IPC receive with nothing sent",
			 hypercall(VMX_VMCALL_IPCRECV, NO_PAGE, 0, 0, 0));
	hypercall_result("console output of 1 GB", hypercall(VMX_VMCALL_CPUTS, 0, 1ULL << 30, 0, 0));
	hypercall_result("console ring far outside memory",
			 hypercall(VMX_VMCALL_CONSRING, FAR_GPA, 0, 0, 0));
	hypercall_result("console ring at an unaligned address",
			 hypercall(VMX_VMCALL_CONSRING, PGSIZE + 8, 0, 0, 0));
	hypercall_result("hypercall 12345", hypercall(12345, 0, 0, 0, 0));
	attack_disk_lists();
}

#define FUZZ_OPS	100000
#define FUZZ_KINDS	8

static uint64_t fuzz_rng = 88172645463325252ULL;

static uint64_t
rnd(void)
{
	fuzz_rng ^= fuzz_rng << 13;
	fuzz_rng ^= fuzz_rng >> 7;
	fuzz_rng ^= fuzz_rng << 17;
	return fuzz_rng;
}

/* A value an attacker would try: small, a boundary, or anything. */
static uint64_t
any_value(void)
{
	static const uint64_t pool[] = { 0, 1, PGSIZE, PGSIZE + 8, 0xFFFFFFFF, FAR_GPA, ~0ULL,
					 NO_PAGE, 16 * 1024 * 1024, 0x7000, 1ULL << 63 };

	return rnd() % 2 ? pool[rnd() % ARRAY_SIZE(pool)] : rnd();
}

/*
 * A random hypercall, but not the memory map (a bad buffer for it ends
 * the guest by design) and not console output or milestones (noise).
 */
static int64_t
fuzz_hypercall(void)
{
	static const uint64_t nums[] = { VMX_VMCALL_IPCSEND, VMX_VMCALL_IPCRECV,
					 VMX_VMCALL_NULL, VMX_VMCALL_IPCCALL, 0, 9, 12345 };
	uint64_t num = nums[rnd() % ARRAY_SIZE(nums)];

	return hypercall(num, any_value(), any_value(), any_value(), any_value());
}

/* One random operation; the trap it raised, or NO_TRAP. */
static int
fuzz_one(void)
{
	uint32_t msr = rnd() % 2 ? sensitive_msrs[rnd() % ARRAY_SIZE(sensitive_msrs)].msr
				 : (uint32_t) rnd();
	uint64_t v = any_value();
	uint32_t port = rnd() % NPORTS, lo, hi;

	switch (rnd() % FUZZ_KINDS) {
	case 0:
		fuzz_hypercall();
		return NO_TRAP;
	case 1:
		return ATTEMPT("rdmsr", "=a" (lo), "=d" (hi) : "c" (msr));
	case 2:
		/* Not EFER: a guest that turns NXE off under its page tables only kills itself. */
		return msr == MSR_EFER ? NO_TRAP :
		       ATTEMPT("wrmsr", : "c" (msr), "a" ((uint32_t) v), "d" ((uint32_t) (v >> 32)));
	case 3:
		return spared(port) ? NO_TRAP : ATTEMPT("outl %0, %w1", : "a" ((uint32_t) v), "d" (port));
	case 4:
		return spared(port) ? NO_TRAP : ATTEMPT("inl %w1, %0", "=a" (lo) : "d" (port));
	case 5:
		return ATTEMPT("mov %0, %%cr8", : "r" (v));
	case 6:
		return ATTEMPT("mov %0, %%dr1", : "r" (v));
	default:
		return ATTEMPT("vmxon %0", : "m" (v));
	}
}

/*
 * make soak: FUZZ_OPS random operations; the guest must live through
 * them all, then it powers off (its disk may have been scribbled on).
 */
void
guest_fuzz(void)
{
	int i, traps = 0;
	uint64_t zero = 0;

	cprintf("fuzz: %d random hypercalls and privileged instructions\n", FUZZ_OPS);
	for (i = 0; i < FUZZ_OPS; i++)
		traps += fuzz_one() != NO_TRAP;
	ATTEMPT("mov %0, %%cr8", : "r" (zero));
	guestcons_reset();	/* the fuzzed CONSRING calls moved our console ring */
	cprintf("fuzz: %d operations done, %d faulted, the guest lives on\n", FUZZ_OPS, traps);
	poweroff();
}

void
guest_attack(void)
{
	cprintf("attack: the guest kernel attacks its hypervisor\n");
	attack_cr8();
	attack_debug_registers();
	attack_msrs();
	attack_vmx();
	attack_ports();
	attack_hypercalls();
	cprintf("attack: all done, booting on\n");
}

#define COW_PROBE	"pristine"
#define COW_TAMPERED	"tampered"
#define COW_PEEK	16		/* bytes of a probe shown */
#define UD2		0x0B0F		/* the undefined instruction, little-endian */
#define COW_ALLOC_PAGES	512		/* 2 MB: past what the boot touched */
#define BOOT_BACKED	(4 * 1024 * 1024)	/* what the hypervisor backs first */

/*
 * Read-only data, each on a page of its own, the same in the host and in
 * every guest: one this guest writes, one the hypervisor writes for it.
 */
const char cow_probe[PGSIZE] __attribute__((aligned(PGSIZE))) = COW_PROBE;
const char cow_probe_hv[PGSIZE] __attribute__((aligned(PGSIZE))) = COW_PROBE;

/* The start of probe as a string, read from memory (the compiler thinks it constant). */
static const char *
peek(const char *probe)
{
	static char buf[COW_PEEK];
	const volatile char *p = probe;
	size_t i;

	for (i = 0; i < COW_PEEK - 1 && (buf[i] = p[i]) != 0; i++)
		if (buf[i] < ' ' || buf[i] > '~')
			buf[i] = '?';
	buf[i] = 0;
	return buf;
}

/* Write the string s over read-only data at probe. */
static void
poke(const char *probe, const char *s)
{
	volatile char *p = (volatile char *) probe;

	do
		*p++ = *s;
	while (*s++);
}

/*
 * Allocate COW_ALLOC_PAGES pages, write each and read them all back, then
 * free them: those past BOOT_BACKED are backed as they are first touched.
 */
static void
touch_memory(void)
{
	static struct PageInfo *pp[COW_ALLOC_PAGES];
	int n, i, past = 0, bad = 0;

	for (n = 0; n < COW_ALLOC_PAGES && (pp[n] = page_alloc(0)); n++) {
		*(volatile physaddr_t *) page2kva(pp[n]) = page2pa(pp[n]);
		past += page2pa(pp[n]) >= BOOT_BACKED;
	}
	for (i = 0; i < n; i++) {
		bad += *(volatile physaddr_t *) page2kva(pp[i]) != page2pa(pp[i]);
		page_free(pp[i]);
	}
	cprintf("cow: wrote %d pages, %d past 4 MB, %d read back wrong\n", n, past, bad);
}

/*
 * Write to read-only data, have the hypervisor write to more of it (the
 * memory map, as the boot stub asks for it), and write an undefined
 * instruction over the host's function that prints a dying guest's exit
 * counters (a guest never runs it; the host would, at this guest's end).
 */
void
guest_cow_attack(void)
{
	volatile uint16_t *code = (volatile uint16_t *) (uintptr_t) vmm_print_exit_counts;
	int64_t r;

	cprintf("cow: the guest writes to the kernel image it shares with the host\n");
	cprintf("cow: read-only data reads '%s'", peek(cow_probe));
	cprintf(" and '%s'\n", peek(cow_probe_hv));
	poke(cow_probe, COW_TAMPERED);
	cprintf("cow: after my write it reads '%s'\n", peek(cow_probe));
	r = hypercall(VMX_VMCALL_MBMAP, PADDR(cow_probe_hv), PGSIZE, 0, 0);
	cprintf("cow: the hypervisor wrote %ld bytes there for me: it reads '%s'\n", r,
		peek(cow_probe_hv));
	*code = UD2;
	cprintf("cow: wrote ud2 over vmm_print_exit_counts: it reads %04x\n", *code);
	touch_memory();
	cprintf("cow: all done, booting on\n");
}
