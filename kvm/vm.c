/*
 * vm.c: a VM on /dev/kvm: the VM itself, its RAM (one memory slot at gpa
 * 0), the guest binary loaded at GUEST_LOAD, and one vCPU whose registers
 * are set for the guest's mode as devices/guests/guestabi.h says (real
 * mode, or long mode on the tables devices/guestsetup.c writes).
 *
 * Failures to get a VM at all are VMM_NO_KVM, told in one line: the tests
 * then report "skipped". Everything after that is VMM_FAIL.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <kvm/kvm.h>

/* kvm_segment.type (SDM vol. 3, 3.4.5.1). */
#define SEG_TYPE_DATA_RWA	3	/* read/write, accessed */
#define SEG_TYPE_CODE_XRA	11	/* execute/read, accessed */

#define MEM_SLOT		0
#define MAX_CPUID_ENTRIES	128

static enum vmm_exit
no_kvm(const char *what)
{
	printf("kvmvmm: no usable /dev/kvm: %s: %s\n", what, strerror(errno));
	return VMM_NO_KVM;
}

static enum vmm_exit
fail(const char *what)
{
	printf("kvmvmm: %s: %s\n", what, strerror(errno));
	return VMM_FAIL;
}

static enum vmm_exit
vm_open(struct vm *vm)
{
	int api;

	if ((vm->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC)) < 0)
		return no_kvm("open");
	if ((api = ioctl(vm->kvm, KVM_GET_API_VERSION, 0)) != KVM_API_VERSION_NEEDED) {
		errno = api < 0 ? errno : EPROTO;
		return no_kvm("KVM_GET_API_VERSION");
	}
	if ((vm->fd = ioctl(vm->kvm, KVM_CREATE_VM, 0)) < 0)
		return no_kvm("KVM_CREATE_VM");
	return VMM_PASS;
}

enum vmm_exit
vm_create(struct vm *vm, size_t mem_size)
{
	struct kvm_userspace_memory_region region;
	enum vmm_exit e;

	if ((e = vm_open(vm)) != VMM_PASS)
		return e;
	vm->mem_size = mem_size;
	vm->mem = mmap(NULL, mem_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (vm->mem == MAP_FAILED)
		return fail("mmap of guest RAM");
	region = (struct kvm_userspace_memory_region) {
		.slot = MEM_SLOT,
		.guest_phys_addr = 0,
		.memory_size = mem_size,
		.userspace_addr = (uintptr_t) vm->mem,
	};
	if (ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		return fail("KVM_SET_USER_MEMORY_REGION");
	return VMM_PASS;
}

/* The flat binary at PATH, at GUEST_LOAD. */
enum vmm_exit
vm_load(struct vm *vm, const char *path)
{
	size_t room = vm->mem_size - GUEST_LOAD;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0) {
		printf("kvmvmm: %s: %s\n", path, strerror(errno));
		return VMM_USAGE;
	}
	n = read(fd, vm->mem + GUEST_LOAD, room);
	close(fd);
	if (n <= 0 || (size_t) n == room) {
		printf("kvmvmm: %s: empty, unreadable, or over %zu bytes\n", path, room - 1);
		return VMM_USAGE;
	}
	return VMM_PASS;
}

/* The CPUID KVM supports, as the vCPU's: long mode needs its LM bit. */
static enum vmm_exit
vcpu_cpuid(struct vcpu *cpu)
{
	static struct {
		struct kvm_cpuid2 head;
		struct kvm_cpuid_entry2 entries[MAX_CPUID_ENTRIES];
	} cpuid;

	cpuid.head.nent = MAX_CPUID_ENTRIES;
	if (ioctl(cpu->vm->kvm, KVM_GET_SUPPORTED_CPUID, &cpuid) < 0)
		return fail("KVM_GET_SUPPORTED_CPUID");
	if (ioctl(cpu->fd, KVM_SET_CPUID2, &cpuid) < 0)
		return fail("KVM_SET_CPUID2");
	return VMM_PASS;
}

static void
real_mode(struct kvm_sregs *s, struct kvm_regs *r)
{
	struct kvm_segment *segs[] = { &s->cs, &s->ds, &s->es, &s->fs, &s->gs, &s->ss };

	for (size_t i = 0; i < sizeof(segs) / sizeof(segs[0]); i++) {
		segs[i]->base = 0;
		segs[i]->selector = 0;
	}
	r->rsp = GUEST_REAL_SP;
}

static void
long_mode(struct kvm_sregs *s, struct kvm_regs *r)
{
	struct kvm_segment code = {
		.limit = 0xffffffff, .selector = GUEST_CODE_SEL,
		.type = SEG_TYPE_CODE_XRA, .present = 1, .s = 1, .l = 1, .g = 1,
	};
	struct kvm_segment data = {
		.limit = 0xffffffff, .selector = GUEST_DATA_SEL,
		.type = SEG_TYPE_DATA_RWA, .present = 1, .s = 1, .db = 1, .g = 1,
	};

	s->cs = code;
	s->ds = s->es = s->fs = s->gs = s->ss = data;
	s->gdt.base = GUEST_GDT;
	s->gdt.limit = GUEST_GDT_LIMIT;
	s->cr3 = GUEST_PML4;
	s->cr4 = GUEST_LONG_CR4;
	s->cr0 = GUEST_LONG_CR0;
	s->efer = GUEST_LONG_EFER;
	r->rsp = GUEST_LONG_SP;
}

static enum vmm_exit
vcpu_registers(struct vcpu *cpu)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs = { .rip = GUEST_LOAD, .rflags = GUEST_RFLAGS };

	if (ioctl(cpu->fd, KVM_GET_SREGS, &sregs) < 0)
		return fail("KVM_GET_SREGS");
	if (cpu->guest->mode == GUEST_REAL) {
		real_mode(&sregs, &regs);
	} else {
		if (guest_build_longmode() != DEV_OK) {
			printf("kvmvmm: guest RAM too small for the long-mode tables\n");
			return VMM_FAIL;
		}
		long_mode(&sregs, &regs);
	}
	if (ioctl(cpu->fd, KVM_SET_SREGS, &sregs) < 0)
		return fail("KVM_SET_SREGS");
	if (ioctl(cpu->fd, KVM_SET_REGS, &regs) < 0)
		return fail("KVM_SET_REGS");
	return VMM_PASS;
}

enum vmm_exit
vcpu_create(struct vm *vm, struct vcpu *cpu, const struct guest_info *g)
{
	int size;
	enum vmm_exit e;

	*cpu = (struct vcpu) { .vm = vm, .guest = g };
	if ((cpu->fd = ioctl(vm->fd, KVM_CREATE_VCPU, 0)) < 0)
		return fail("KVM_CREATE_VCPU");
	if ((size = ioctl(vm->kvm, KVM_GET_VCPU_MMAP_SIZE, 0)) < (int) sizeof(*cpu->run))
		return fail("KVM_GET_VCPU_MMAP_SIZE");
	cpu->run_size = size;
	cpu->run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, cpu->fd, 0);
	if (cpu->run == MAP_FAILED)
		return fail("mmap of kvm_run");
	if ((e = vcpu_cpuid(cpu)) != VMM_PASS)
		return e;
	return vcpu_registers(cpu);
}

enum vmm_exit
vcpu_rax(struct vcpu *cpu, uint64_t *rax)
{
	struct kvm_regs regs;

	if (ioctl(cpu->fd, KVM_GET_REGS, &regs) < 0)
		return fail("KVM_GET_REGS");
	*rax = regs.rax;
	return VMM_PASS;
}

/* The guest's state, after an exit nobody handles. */
void
vcpu_dump(struct vcpu *cpu)
{
	struct kvm_regs r;
	struct kvm_sregs s;

	if (ioctl(cpu->fd, KVM_GET_REGS, &r) < 0 || ioctl(cpu->fd, KVM_GET_SREGS, &s) < 0) {
		fail("KVM_GET_REGS/SREGS");
		return;
	}
	printf("kvmvmm:   rip %llx rsp %llx rflags %llx rax %llx\n",
	       r.rip, r.rsp, r.rflags, r.rax);
	printf("kvmvmm:   cr0 %llx cr3 %llx cr4 %llx efer %llx cs %x\n",
	       s.cr0, s.cr3, s.cr4, s.efer, s.cs.selector);
}
