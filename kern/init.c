/*
 * Kernel start-up: i386_init runs on the boot CPU right after entry.S has
 * switched to long mode. It brings up each subsystem in dependency order
 * and then hands the machine to the monitor. Also home to panic and warn.
 */
#include <inc/stdio.h>
#include <inc/string.h>
#include <inc/assert.h>
#include <inc/multiboot.h>
#include <inc/x86.h>
#include <kern/console.h>
#include <kern/monitor.h>
#include <kern/gdt.h>
#include <kern/pmap.h>
#include <kern/cpu.h>
#include <kern/fpu.h>
#include <kern/env.h>
#include <kern/trap.h>
#include <kern/sched.h>
#include <kern/lapic.h>
#include <kern/picirq.h>
#include <kern/spinlock.h>
#include <kern/time.h>
#include <inc/vmx.h>
#include <vmm/vmm.h>
#include <kern/guestattack.h>


/* A recursive function whose frames the backtrace test looks for. */
__attribute__((noinline)) void
test_backtrace(int x)
{
	cprintf("entering test_backtrace %d\n", x);
	if (x > 0)
		test_backtrace(x - 1);
	else
		mon_backtrace(0, 0, 0);
	cprintf("leaving test_backtrace %d\n", x);
}

/* In Bochs the TSC counts emulated instructions, so this measures the boot. */
static void
report_boot_cost(void)
{
	/* entry.S stored it at a physical address, reached through KERNBASE. */
	extern char boot_tsc[];
	uint64_t entry_tsc = *(uint64_t *) KADDR((physaddr_t) boot_tsc);

	cprintf("Boot: kernel entered at TSC %lu, ready %lu ticks later\n",
		entry_tsc, read_tsc() - entry_tsc);
}

/*
 * The programs to start at boot, separated by spaces ("fs" is the file
 * server). tools/runimg.py writes another list after the marker in a
 * copy of the disk image (make run-NAME); volatile, because the compiler
 * must not assume the bytes it compiled in.
 */
#define BOOT_PROGRAM_MARKER	"@JOS-BOOT-PROGRAM@"
#define BOOT_PROGRAMS_DEFAULT	"init fs"
#define BOOT_PROGRAM_SLOT	64
volatile char boot_program[sizeof(BOOT_PROGRAM_MARKER) - 1 + BOOT_PROGRAM_SLOT] =
	BOOT_PROGRAM_MARKER BOOT_PROGRAMS_DEFAULT;

static void
start_program(const char *name)
{
	const uint8_t *binary = user_program(name);

	if (!binary)
		cprintf("Boot program '%s' is not in this kernel\n", name);
	else
		env_create(binary, strcmp(name, "fs") == 0 ? ENV_TYPE_FS : ENV_TYPE_USER);
}

static void
start_boot_programs(void)
{
	char list[BOOT_PROGRAM_SLOT + 1], *name, *p;
	size_t i, skip = sizeof(BOOT_PROGRAM_MARKER) - 1;

	for (i = 0; i < BOOT_PROGRAM_SLOT; i++)
		list[i] = boot_program[i + skip];
	list[BOOT_PROGRAM_SLOT] = 0;
	for (p = list; *p; ) {
		while (*p == ' ')
			p++;
		for (name = p; *p && *p != ' '; p++)
			;
		if (*p)
			*p++ = 0;
		if (strcmp(name, "bench") == 0)
			bench_mode = true;	/* not a program: print milestones */
		else if (*name)
			start_program(name);
	}
}

static uint32_t cpuid1_ecx;	/* CPUID leaf 1's ecx, as vmm_guest found it */

bool
vmm_guest(void)
{
	static int guest = -1;		/* not asked yet */

	if (guest < 0)
		guest = vmm_guest_detect(&cpuid1_ecx);
	return guest;
}

/* As a guest, say so: the hypervisor hides VMX (no nested guests). */
static void
report_guest(void)
{
	uint32_t ecx = cpuid1_ecx;	/* asking CPUID again would be an exit */

	if (!VMM_GUEST)
		return;
	if (vmm_backend->kind == VMM_BACKEND_SVM)
		cprintf("SVM extension hidden from guest.\n");
	else if (!(ecx & CPUID_1_ECX_VMX))
		cprintf("VMX extension hidden from guest.\n");
}

/* The CPUs and interrupt controllers: only the hardware's, not a guest's. */
static void
smp_init(void)
{
	if (VMM_GUEST) {
		mp_init_uniprocessor();
		lock_kernel();
		return;
	}
	mp_init();
	lapic_init();
	pic_init();
	lock_kernel();
	boot_aps();
}

#define BOOT_CMDLINE_MAX	64

/* The boot loader's command line, or "" (read before its page is reused). */
static char boot_cmdline[BOOT_CMDLINE_MAX];

static void
save_cmdline(physaddr_t bootinfo_pa)
{
	const struct multiboot_info *mbi = KADDR(bootinfo_pa);

	if (mbi->flags & MULTIBOOT_INFO_CMDLINE)
		strlcpy(boot_cmdline, KADDR(mbi->cmdline), sizeof boot_cmdline);
}

void
i386_init(uint32_t magic, physaddr_t bootinfo_pa)
{
	cons_init();
	cprintf("6828 decimal is %o octal!\n", 6828);
	if (magic != MULTIBOOT_BOOTLOADER_MAGIC)
		panic("started without the Multiboot hand-off (eax = %x)", magic);
	vmm_init();
	report_guest();
	save_cmdline(bootinfo_pa);

	gdt_init();
	mem_init(bootinfo_pa);
	if (!VMM_GUEST)
		test_backtrace(5);

	env_init();
	trap_init();
	fpu_init_percpu();
	smp_init();
	/* The hypervisor's self-test, at boot like the memory checks. */
	/* HANDOUT BEGIN ept_self_test: cprintf("[VMM] sys_ept_map self-test: off until sys_ept_map is written (kern/init.c)\n"); */
	if (!VMM_GUEST && vmm_check_support() == 0)
		check_ept_map();
	/* HANDOUT END */
	if (VMM_GUEST && strcmp(boot_cmdline, GUEST_ATTACK_CMDLINE) == 0)
		guest_attack();
	if (VMM_GUEST && strcmp(boot_cmdline, GUEST_FUZZ_CMDLINE) == 0)
		guest_fuzz();
	if (VMM_GUEST && strcmp(boot_cmdline, GUEST_COW_CMDLINE) == 0)
		guest_cow_attack();

	start_boot_programs();
	report_boot_cost();
	sched_yield();
}

/* The first panic's message; set so a panic inside a panic stops at once. */
static const char *panicstr;

bool
panicking(void)
{
	return panicstr != NULL;
}

void
_panic(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (panicstr)
		goto dead;
	panicstr = fmt;
	asm volatile("cli; cld");

	va_start(ap, fmt);
	cprintf("kernel panic on CPU %d at %s:%d: ", cpunum(), file, line);
	vcprintf(fmt, ap);
	cprintf("\n");
	va_end(ap);
dead:
	for (;;)
		monitor(NULL);
}

void
_warn(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cprintf("kernel warning at %s:%d: ", file, line);
	vcprintf(fmt, ap);
	cprintf("\n");
	va_end(ap);
}
