/*
 * vmm: boot JOS in a virtual machine.
 *
 *   vmm [-b] [-n NAME] [-m MB] [-T N] [-i MS] [-k KERNEL] [-s STUB] [-d DISK] [-t TEST]
 *   vmm [-8] -r NAME | -R NAME
 *   vmm -F [-M] [-m MB] [-k DISK0] [-d DISK]
 *
 * Creates a guest with MB megabytes of memory (default 16), loads the
 * guest boot stub (default /guest/gstub) and each ELF segment of KERNEL
 * (default /guest/kernel, the very kernel the host runs) into its memory
 * with sys_ept_map, gives it a disk, lets it run, and waits for it to
 * end. The waiting is done by a child of vmm, the guest's parent (a
 * guest dies with its parent), so that vmm itself can sit at the guest's
 * console (lib/guestcons.c) and return to the shell when Ctrl-] detaches
 * it, the guest running on; with -b it does not attach at all. NAME
 * names the guest for vmls, vmcons, vmkill and vmstat (default: its id). The disk is a file in the host's file system, reached by the
 * guest's file server through the host's: by default a fresh copy of
 * /guest/fs.img made for this run (and removed after it); with -d, the
 * file DISK, kept between runs (made from /guest/fs.img if missing). TEST (badcall,
 * outside, badinsn, triple) makes the stub misbehave instead of booting,
 * to show that the hypervisor contains a bad guest; hostile boots a guest
 * kernel that first attacks the hypervisor from ring 0 (kern/guestattack.c),
 * fuzz one that makes random attacks, then powers off (make soak), and
 * cow one that first writes to its kernel's text and read-only data,
 * which it shares with the host and the other guests (vmm/kshare.c).
 * -T N makes the guest's clock run N times faster: each RDTSC exits and
 * the hypervisor scales what it reads (without -T the guest's TSC merely
 * starts near 0, with no exits). The guest's kernel gets a timer interrupt
 * every MS milliseconds (default 10; -i 0: none), with which it preempts
 * its own environments as the host does.
 *
 * vmm -F boots the guest by full virtualization instead (user/vmmraw/full.c):
 * firmware /guest/fwstub, then the unmodified boot sector and kernel from
 * IDE disk 0 (DISK0, default /guest/disk0.img), the file system on IDE
 * disk 1 (a fresh copy of /guest/fs.img, or DISK kept as with -d); its
 * devices live in this program, and the guest is not told it is one.
 * -M prints [bench] lines for make bench.
 *
 * vmm -r NAME runs instead the tiny guest NAME of devices/guests/ with
 * its devices in this program, on the kernel's run loop (user/vmmraw/);
 * vmm -R NAME does the same and prints the best IO exit round trip. With
 * -8 (before -r) a 16-bit guest runs as a virtual-8086 task in a
 * protected-mode environment that vmm sets up (a GDT, a TSS with an I/O
 * bitmap) instead of in real mode.
 */
#include <inc/lib.h>
#include <inc/elf.h>
#include <inc/vmx.h>
#include <user/vmmraw/vmmraw.h>

#define DEFAULT_MEM_MB	16
#define MB		(1024 * 1024)
#define ELF_BUF_SIZE	512
#define DISK_TEMPLATE	"/guest/fs.img"
#define FULL_DISK0	"/guest/disk0.img"
#define FULL_FIRMWARE	"/guest/fwstub"

static const char *const test_names[] = {
	[GSTUB_TEST_NONE] = "none",
	[GSTUB_TEST_BADCALL] = "badcall",
	[GSTUB_TEST_OUTSIDE] = "outside",
	[GSTUB_TEST_BADINSN] = "badinsn",
	[GSTUB_TEST_TRIPLE] = "triple",
	[GSTUB_TEST_HOSTILE] = "hostile",
	[GSTUB_TEST_FUZZ] = "fuzz",
	[GSTUB_TEST_COW] = "cow",
};

/* Does the stub, in this test mode, boot the kernel (which then needs a disk)? */
static bool
boots_kernel(uint32_t test)
{
	return test == GSTUB_TEST_NONE || test == GSTUB_TEST_HOSTILE || test == GSTUB_TEST_FUZZ ||
	       test == GSTUB_TEST_COW;
}

/*
 * Give guest [gpa, gpa+memsz): filesz bytes from fd at fileoffset, then
 * zeros. Each page is filled at UTEMP here and then mapped into the guest.
 */
static int
map_in_guest(envid_t guest, uint64_t gpa, size_t memsz,
	     int fd, size_t filesz, off_t fileoffset)
{
	size_t i, n;
	int r;

	for (i = 0; i < memsz; i += PGSIZE) {
		n = i < filesz ? MIN((size_t) PGSIZE, filesz - i) : 0;
		if ((r = read_page(fd, fileoffset + i, n)) < 0)
			return r;
		/* The host's own kernel page, if it is the same (it is given up next). */
		r = sys_ept_map(0, UTEMP, guest, gpa + i, EPT_RWX | EPT_MAY_SHARE);
		sys_page_unmap(0, UTEMP);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Load each loadable segment of the kernel at its physical address; returns the entry. */
static int64_t
copy_guest_kern_gpa(envid_t guest, const char *path)
{
	uint8_t buf[ELF_BUF_SIZE];
	struct Elf *elf = (struct Elf *) buf;
	struct Proghdr *ph;
	int fd, i, r;

	if ((fd = open(path, O_RDONLY)) < 0)
		return fd;
	if (readn(fd, buf, sizeof buf) != sizeof buf || elf->e_magic != ELF_MAGIC ||
	    elf->e_phoff + elf->e_phnum * sizeof(*ph) > sizeof buf) {
		close(fd);
		return -E_NOT_EXEC;
	}
	ph = (struct Proghdr *) (buf + elf->e_phoff);
	for (i = 0; i < elf->e_phnum; i++, ph++) {
		if (ph->p_type != ELF_PROG_LOAD)
			continue;
		if ((r = map_in_guest(guest, ROUNDDOWN(ph->p_pa, PGSIZE),
				      ph->p_memsz + PGOFF(ph->p_pa), fd,
				      ph->p_filesz + PGOFF(ph->p_pa),
				      ph->p_offset - PGOFF(ph->p_pa))) < 0) {
			close(fd);
			return r;
		}
	}
	close(fd);
	return elf->e_entry;
}

/* Load the boot stub, told where the kernel starts and which test to play. */
static int
load_stub(envid_t guest, const char *path, uint32_t entry, uint32_t test)
{
	int fd, n, r;

	if ((fd = open(path, O_RDONLY)) < 0)
		return fd;
	if ((r = sys_page_alloc(0, UTEMP, PTE_P | PTE_U | PTE_W)) < 0)
		goto out;
	if ((n = read(fd, UTEMP, PGSIZE)) <= GUEST_STUB_TEST_OFF) {
		r = n < 0 ? n : -E_NOT_EXEC;
		goto unmap;
	}
	*(uint32_t *) (UTEMP + GUEST_STUB_ENTRY_OFF) = entry;
	*(uint32_t *) (UTEMP + GUEST_STUB_TEST_OFF) = test;
	r = sys_ept_map(0, UTEMP, guest, GUEST_STUB_GPA, EPT_RWX);
unmap:
	sys_page_unmap(0, UTEMP);
out:
	close(fd);
	return r;
}

/* Copy file src to dst (created or truncated), a page at a time. */
static int
copy_file(const char *src, const char *dst)
{
	static char buf[PGSIZE];
	int in, out, n, r = 0;

	if ((in = open(src, O_RDONLY)) < 0)
		return in;
	if ((out = open(dst, O_WRONLY | O_CREAT | O_TRUNC)) < 0) {
		close(in);
		return out;
	}
	while ((n = readn(in, buf, sizeof buf)) > 0)
		if ((r = write(out, buf, n)) != n) {
			r = r < 0 ? r : -E_NO_DISK;
			break;
		}
	close(in);
	close(out);
	return n < 0 ? n : (r < 0 ? r : 0);
}

/*
 * The guest's disk. A persistent one (keep) is path itself, made as a
 * full copy of the template the first time. Otherwise the file server
 * makes path a copy-on-write copy of the template, for this run only;
 * path holds the new guest's id, so a file already there was left by a
 * machine that stopped while a guest ran (Bochs ends with its terminal)
 * and the same id came round again after a reboot: it goes first.
 */
static int
setup_disk(envid_t guest, const char *path, bool keep)
{
	struct Stat st;
	int r;

	if (!keep) {
		remove(path);
		return fs_guest_disk(guest, path, DISK_TEMPLATE);
	}
	if (stat(path, &st) < 0) {
		cprintf("vmm: making %s from %s\n", path, DISK_TEMPLATE);
		if ((r = copy_file(DISK_TEMPLATE, path)) < 0)
			return r;
	}
	return fs_guest_disk(guest, path, NULL);
}

/* What each vendor's CPU needs for guests, said after a missing extension. */
#define NEEDS	"[VMM] guests need Intel VT-x with EPT and unrestricted guest, " \
		"or AMD SVM with nested paging.\n"

/* Why there can be no guest of mem_mb MB here, in plain words. */
static void
explain(int r, long mem_mb)
{
	if (r == -E_NO_MEM)
		cprintf("vmm: not enough memory for a %ld MB guest: a guest may take at most "
			"half of the free memory (%lu MB now)\n", mem_mb,
			free_pages() * PGSIZE / MB / 2);
	else if (r == -E_NO_VMX)
		cprintf("[VMM] VMX extension not supported.\n" NEEDS);
	else if (r == -E_NO_EPT)
		cprintf("[VMM] EPT extension not supported.\n" NEEDS);
	else if (r == -E_NO_UG)
		cprintf("[VMM] unrestricted guest not supported.\n" NEEDS);
	else if (r == -E_NO_SVM)
		cprintf("[VMM] SVM extension not supported.\n" NEEDS);
	else if (r == -E_NO_NPT)
		cprintf("[VMM] nested paging not supported.\n" NEEDS);
	else
		cprintf("vmm: cannot create a guest: %e\n", r);
}

static void __attribute__((noreturn))
usage(void)
{
	cprintf("usage: vmm [-b] [-n name] [-m MB] [-T N] [-i MS] [-k kernel] [-s stub] [-d disk] "
		"[-t badcall|outside|badinsn|triple|hostile|fuzz|cow] | [-8] -r|-R NAME | "
		"-F [-M] [-m MB] [-k disk0] [-d disk]\n");
	exit();
}

static uint32_t
parse_test(const char *name)
{
	uint32_t i;

	for (i = 0; i < ARRAY_SIZE(test_names); i++)
		if (strcmp(name, test_names[i]) == 0)
			return i;
	usage();
}

/* What the command line asks for. */
struct options {
	const char *kernel, *stub, *disk, *name;
	long mem_mb, tsc_scale, timer_ms;
	uint32_t test;
	bool background, v86, full, kernel_given, measure;
};

/* Name and load the guest and give it its disk; <0: it cannot start. */
static int
load(envid_t guest, const struct options *o, const char *scratch)
{
	int64_t entry;
	int r;

	if (o->name && (r = sys_guest_name(guest, o->name)) < 0) {
		cprintf("vmm: bad guest name %s: %e\n", o->name, r);
		return r;
	}
	if (o->tsc_scale != 1 &&
	    (r = o->tsc_scale < 1 || o->tsc_scale > VMM_TSC_SCALE_MAX ? -E_INVAL
		 : sys_guest_tsc(guest, o->tsc_scale)) < 0) {
		cprintf("vmm: bad TSC scale %ld (1 to %d): %e\n", o->tsc_scale,
			VMM_TSC_SCALE_MAX, r);
		return r;
	}
	if ((r = sys_guest_timer(guest, o->timer_ms)) < 0) {
		cprintf("vmm: bad timer period %ld ms (0 for none, or %d to %d): %e\n",
			o->timer_ms, VMM_TIMER_MS_MIN, VMM_TIMER_MS_MAX, r);
		return r;
	}
	if ((entry = copy_guest_kern_gpa(guest, o->kernel)) < 0) {
		cprintf("vmm: cannot load %s: %e\n", o->kernel, (int) entry);
		return entry;
	}
	if ((r = load_stub(guest, o->stub, entry, o->test)) < 0) {
		cprintf("vmm: cannot load %s: %e\n", o->stub, r);
		return r;
	}
	/* A stub that misbehaves never gets as far as a disk. */
	if (boots_kernel(o->test) &&
	    (r = setup_disk(guest, o->disk ? o->disk : scratch, o->disk != NULL)) < 0) {
		cprintf("vmm: cannot set up the guest's disk: %e\n", r);
		return r;
	}
	return 0;
}

/*
 * The guest's parent (vmm's child): make, load and start the guest, send
 * its id (or why there is none) to vmm, wait for the guest's end, tidy up.
 */
static void
keep_guest(const struct options *o, envid_t parent)
{
	char scratch[MAXNAMELEN];
	envid_t guest;
	int r;

	if ((guest = sys_env_mkguest(o->mem_mb * MB, GUEST_STUB_GPA)) < 0) {
		explain(guest, o->mem_mb);
		ipc_send(parent, guest, NULL, 0);
		return;
	}
	snprintf(scratch, sizeof scratch, "/guest/disk-%08x.img", guest);
	if ((r = load(guest, o, scratch)) < 0) {
		ipc_send(parent, r, NULL, 0);
		goto fail;
	}
	cprintf("vmm: guest %08x, %ld MB, starting %s\n", guest, o->mem_mb, o->kernel);
	ipc_send(parent, guest, NULL, 0);
	if ((r = sys_env_set_status(guest, ENV_RUNNABLE)) < 0) {
		cprintf("vmm: cannot start the guest: %e\n", r);
		goto fail;
	}
	wait(guest);
	cprintf("vmm: guest %08x has ended\n", guest);
	if (!o->disk && boots_kernel(o->test))
		remove(scratch);
	return;
fail:
	sys_env_destroy(guest);
	if (!o->disk && boots_kernel(o->test))
		remove(scratch);
}

/* The guest's id from its keeper, or <0 if it has none. */
static envid_t
guest_from(envid_t keeper)
{
	envid_t from;
	int32_t v;

	do
		v = ipc_recv(&from, NULL, NULL);
	while (from != keeper);
	return v;
}

/*
 * vmm -F: this program is the guest's VMM and runs it in the foreground.
 * Disk 1 is a copy of the template for this run, or o->disk, kept.
 */
static void
run_full(const struct options *o)
{
	char scratch[MAXNAMELEN];
	struct full_options f = {
		o->kernel_given ? o->kernel : FULL_DISK0, o->disk, FULL_FIRMWARE, o->mem_mb,
		o->measure,
	};
	struct Stat st;
	int r = 0;

	if (!o->disk) {
		snprintf(scratch, sizeof scratch, "/guest/fdisk-%08x.img", thisenv->env_id);
		f.disk1 = scratch;
		r = copy_file(DISK_TEMPLATE, scratch);
	} else if (stat(o->disk, &st) < 0) {
		cprintf("vmm: making %s from %s\n", o->disk, DISK_TEMPLATE);
		r = copy_file(DISK_TEMPLATE, o->disk);
	}
	if (r < 0)
		cprintf("vmm: cannot make the guest's disk %s: %e\n", f.disk1, r);
	else
		vmm_full(&f);
	if (!o->disk)
		remove(scratch);
}

/* Run a guest (-b: in the background), at its console until it ends or Ctrl-]. */
static void
run(const struct options *o)
{
	struct vm_info info;
	envid_t keeper, guest;

	if (o->full) {
		run_full(o);
		return;
	}
	if (o->name && guest_lookup(o->name, &info) >= 0) {
		cprintf("vmm: there is a guest named %s already\n", o->name);
		return;
	}
	if ((keeper = fork()) < 0) {
		cprintf("vmm: fork: %e\n", keeper);
		return;
	}
	if (keeper == 0) {
		keep_guest(o, thisenv->env_parent_id);
		return;
	}
	if ((guest = guest_from(keeper)) < 0) {
		wait(keeper);
		return;
	}
	if (o->background) {
		cprintf("vmm: guest %08x runs in the background; vmcons %s attaches\n", guest,
			o->name ? o->name : "ID");
		return;
	}
	cprintf("vmm: Ctrl-] detaches from the guest, which runs on (vmls, vmcons)\n");
	if (guest_console(guest) != 0)
		wait(keeper);
}

void
umain(int argc, char **argv)
{
	struct options o = { "/guest/kernel", "/guest/gstub", NULL, NULL, DEFAULT_MEM_MB, 1,
			     VMM_TIMER_MS_DEFAULT, GSTUB_TEST_NONE, false, false, false, false,
			     false };
	struct Argstate args;
	int c;

	sys_milestone("vmm start");
	argstart(&argc, argv, &args);
	while ((c = argnext(&args)) >= 0) {
		const char *v = strchr("mksdtrRnTi", c) ? argvalue(&args) : 0;

		if (c == 'b' || c == 'F' || c == 'M') {
			o.background |= c == 'b';
			o.full |= c == 'F';
			o.measure |= c == 'M';
			continue;
		}
		if (c == '8') {
			o.v86 = true;
			continue;
		}
		if (!v)
			usage();
		if (c == 'r' || c == 'R') {
			vmm_raw(v, c == 'R', o.v86);
			return;
		}
		if (c == 'm')
			o.mem_mb = strtol(v, 0, 10);
		else if (c == 'k')
			o.kernel = v, o.kernel_given = true;
		else if (c == 's')
			o.stub = v;
		else if (c == 'd')
			o.disk = v;
		else if (c == 'n')
			o.name = v;
		else if (c == 'T')
			o.tsc_scale = strtol(v, 0, 10);
		else if (c == 'i')
			o.timer_ms = strtol(v, 0, 10);
		else
			o.test = parse_test(v);
	}
	run(&o);
}
