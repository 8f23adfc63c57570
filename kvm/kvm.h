/*
 * kvm.h: the Linux VMM (obj/kvm/kvmvmm), which runs a guest of
 * devices/guests/ on /dev/kvm with the device models of devices/.
 *
 * Environment: Linux user space, hosted C. The main thread creates the VM
 * (vm.c), runs the vCPU and handles each exit through one table (exits.c);
 * host.c implements devices/devhost.h and serializes every call into the
 * device bus with one lock, which a poll thread also takes while a device
 * keeps queues in guest RAM. One VM and one vCPU per process.
 */
#ifndef KVM_KVM_H
#define KVM_KVM_H

#include <stddef.h>
#include <stdint.h>
#include <linux/kvm.h>
#include <devices/dev.h>
#include <devices/guestsetup.h>

#define KVM_API_VERSION_NEEDED	12

/* The program's exit status. */
enum vmm_exit {
	VMM_PASS = 0,		/* the guest halted and passed its checks */
	VMM_FAIL = 1,		/* an unhandled exit, or a failed check */
	VMM_USAGE = 2,		/* bad arguments, unreadable guest binary */
	VMM_NO_KVM = 77,	/* no usable /dev/kvm: a test is skipped */
};

enum address_space {
	SPACE_PORT,		/* I/O ports: IN, OUT, INS, OUTS */
	SPACE_MMIO,		/* guest-physical addresses outside RAM */
};

struct vm {
	int kvm;		/* /dev/kvm */
	int fd;			/* the VM */
	uint8_t *mem;		/* guest RAM, at gpa 0 */
	size_t mem_size;
	struct bus bus;
};

struct vcpu {
	struct vm *vm;
	int fd;
	struct kvm_run *run;	/* shared with KVM: the last exit */
	size_t run_size;
	const struct guest_info *guest;
	uint64_t exits;		/* all exits; read by the poll thread too */
	uint64_t profile[PROFILE_SLOTS];
};

/* vm.c */
enum vmm_exit vm_create(struct vm *vm, size_t mem_size);
enum vmm_exit vm_load(struct vm *vm, const char *path);
enum vmm_exit vcpu_create(struct vm *vm, struct vcpu *cpu, const struct guest_info *g);
void vcpu_dump(struct vcpu *cpu);
enum vmm_exit vcpu_rax(struct vcpu *cpu, uint64_t *rax);

/* exits.c */
enum vmm_exit vcpu_loop(struct vcpu *cpu);
void profile_print(const struct vcpu *cpu);

/* host.c */
void host_init(struct vm *vm, struct vcpu *cpu);
enum dev_status host_access(enum address_space space, uint64_t addr, bool write,
			    uint8_t *data, unsigned size);
enum dev_status host_poll(void);
enum dev_status host_finish(void);
enum dev_status host_poll_failure(void);
void host_stop(void);

#endif /* !KVM_KVM_H */
