/*
 * main.c: kvmvmm, the Linux VMM. Usage: kvmvmm DIR/NAME.bin
 *
 * Runs guest NAME (an entry of GUEST_LIST, devices/guests/guestabi.h) on
 * /dev/kvm with the debug port and SIMVIRTIO, until it halts. Then each
 * device reports, the guest's checks run, the exit profile is printed and,
 * if all is well, "Finished vmm". The exit status is an enum vmm_exit:
 * 0 passed, 1 failed, 2 usage, 77 no usable /dev/kvm.
 */
#include <stdio.h>
#include <string.h>
#include <kvm/kvm.h>
#include <devices/debugport.h>
#include <devices/simvirtio.h>

#define BIN_SUFFIX	".bin"
#define NAME_MAX_LEN	64

static struct vm vm;
static struct vcpu cpu;

/* NAME from DIR/NAME.bin. */
static const struct guest_info *
guest_of(const char *path)
{
	static char name[NAME_MAX_LEN];
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t len = strlen(base);

	if (len < strlen(BIN_SUFFIX) || strcmp(base + len - strlen(BIN_SUFFIX), BIN_SUFFIX))
		return NULL;
	len -= strlen(BIN_SUFFIX);
	if (len >= sizeof(name))
		return NULL;
	memcpy(name, base, len);
	name[len] = '\0';
	return guest_find(name);
}

static enum vmm_exit
devices_init(struct bus *b)
{
	bus_init(b);
	if (debugport_register(b) != DEV_OK || simvirtio_register(b) != DEV_OK) {
		printf("kvmvmm: device ranges overlap\n");
		return VMM_FAIL;
	}
	return VMM_PASS;
}

/* After HLT: the devices' reports (always), then the guest's checks. */
static enum vmm_exit
verdict(enum vmm_exit e)
{
	enum dev_status devices = host_finish();
	uint64_t rax;

	if (e != VMM_PASS)
		return e;
	if (devices != DEV_OK)
		return VMM_FAIL;
	if ((e = vcpu_rax(&cpu, &rax)) != VMM_PASS)
		return e;
	return guest_check(cpu.guest, rax) == DEV_OK ? VMM_PASS : VMM_FAIL;
}

static enum vmm_exit
run(const char *path, const struct guest_info *g)
{
	enum vmm_exit e;

	if ((e = vm_create(&vm, GUEST_MEM_SIZE)) != VMM_PASS)
		return e;
	host_init(&vm, &cpu);
	if ((e = devices_init(&vm.bus)) != VMM_PASS ||
	    (e = vm_load(&vm, path)) != VMM_PASS ||
	    (e = vcpu_create(&vm, &cpu, g)) != VMM_PASS)
		return e;
	printf("kvmvmm: guest %s, %s, entry 0x%x, %u KB\n", g->name,
	       guest_mode_name(g->mode), GUEST_LOAD, GUEST_MEM_SIZE / 1024);
	e = vcpu_loop(&cpu);
	host_stop();
	e = verdict(e);
	profile_print(&cpu);
	if (e == VMM_PASS)
		printf("Finished vmm\n");
	return e;
}

int
main(int argc, char **argv)
{
	const struct guest_info *g;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc != 2) {
		printf("usage: kvmvmm DIR/NAME.bin  (NAME: a guest of devices/guests/)\n");
		return VMM_USAGE;
	}
	if (!(g = guest_of(argv[1]))) {
		printf("kvmvmm: %s: not NAME.bin for a guest in GUEST_LIST\n", argv[1]);
		return VMM_USAGE;
	}
	return run(argv[1], g);
}
