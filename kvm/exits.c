/*
 * exits.c: the vCPU's run loop, and what each KVM exit means. One table
 * maps an exit reason to its name, its slot in the exit profile and its
 * handler. A reason without a handler, or an access no device takes,
 * ends the guest with a dump of its state (never the VMM by a crash), and
 * the VMM exits with VMM_FAIL.
 *
 * Environment: the vCPU (main) thread; device calls go through host.c,
 * which holds the bus lock around them.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <kvm/kvm.h>

enum loop_action {
	LOOP_CONTINUE,
	LOOP_HALTED,		/* the guest executed HLT: it is done */
	LOOP_FAILED,
};

typedef enum loop_action exit_handler(struct vcpu *cpu);

static exit_handler handle_io, handle_mmio, handle_hlt, handle_intr,
	handle_fail_entry, handle_internal_error;

static const struct exit_kind {
	const char *name;
	enum profile_slot slot;
	exit_handler *handle;	/* NULL: unhandled */
} exit_kinds[] = {
	[KVM_EXIT_UNKNOWN]		= { "UNKNOWN", PROFILE_OTHER, NULL },
	[KVM_EXIT_EXCEPTION]		= { "EXCEPTION", PROFILE_OTHER, NULL },
	[KVM_EXIT_IO]			= { "IO", PROFILE_IO, handle_io },
	[KVM_EXIT_HYPERCALL]		= { "HYPERCALL", PROFILE_OTHER, NULL },
	[KVM_EXIT_DEBUG]		= { "DEBUG", PROFILE_OTHER, NULL },
	[KVM_EXIT_HLT]			= { "HLT", PROFILE_HLT, handle_hlt },
	[KVM_EXIT_MMIO]			= { "MMIO", PROFILE_MMIO, handle_mmio },
	[KVM_EXIT_SHUTDOWN]		= { "SHUTDOWN (triple fault)", PROFILE_OTHER, NULL },
	[KVM_EXIT_FAIL_ENTRY]		= { "FAIL_ENTRY", PROFILE_OTHER, handle_fail_entry },
	[KVM_EXIT_INTR]			= { "INTR", PROFILE_OTHER, handle_intr },
	[KVM_EXIT_INTERNAL_ERROR]	= { "INTERNAL_ERROR", PROFILE_OTHER, handle_internal_error },
};

static const struct exit_kind *
exit_kind(uint32_t reason)
{
	if (reason < sizeof(exit_kinds) / sizeof(exit_kinds[0]) && exit_kinds[reason].name)
		return &exit_kinds[reason];
	return NULL;
}

static enum loop_action
dump_and_fail(struct vcpu *cpu)
{
	vcpu_dump(cpu);
	return LOOP_FAILED;
}

static enum loop_action
handle_io(struct vcpu *cpu)
{
	struct kvm_run *run = cpu->run;
	uint8_t *data = (uint8_t *) run + run->io.data_offset;
	bool out = run->io.direction == KVM_EXIT_IO_OUT;
	enum dev_status s;

	/* A string instruction (rep outsb ...) arrives as count accesses. */
	for (uint32_t i = 0; i < run->io.count; i++, data += run->io.size) {
		if ((s = host_access(SPACE_PORT, run->io.port, out, data, run->io.size)) != DEV_OK) {
			printf("kvmvmm: unhandled exit: IO %s of %u bytes at port 0x%x: %s\n",
			       out ? "write" : "read", run->io.size, run->io.port,
			       dev_status_name(s));
			return dump_and_fail(cpu);
		}
	}
	return LOOP_CONTINUE;
}

static enum loop_action
handle_mmio(struct vcpu *cpu)
{
	struct kvm_run *run = cpu->run;
	enum dev_status s;

	s = host_access(SPACE_MMIO, run->mmio.phys_addr, run->mmio.is_write,
			run->mmio.data, run->mmio.len);
	if (s == DEV_OK)
		return LOOP_CONTINUE;
	printf("kvmvmm: unhandled exit: MMIO %s of %u bytes at gpa 0x%llx: %s\n",
	       run->mmio.is_write ? "write" : "read", run->mmio.len,
	       run->mmio.phys_addr, dev_status_name(s));
	return dump_and_fail(cpu);
}

static enum loop_action
handle_hlt(struct vcpu *cpu)
{
	return LOOP_HALTED;
}

/* KVM_RUN came back for a signal: the poll thread's kick, or a stray one. */
static enum loop_action
handle_intr(struct vcpu *cpu)
{
	enum dev_status s;

	cpu->run->immediate_exit = 0;
	if ((s = host_poll_failure()) == DEV_OK)
		return LOOP_CONTINUE;
	printf("kvmvmm: a device ended the guest while polling: %s\n", dev_status_name(s));
	return dump_and_fail(cpu);
}

static enum loop_action
handle_fail_entry(struct vcpu *cpu)
{
	printf("kvmvmm: VM entry failed, hardware reason 0x%llx\n",
	       cpu->run->fail_entry.hardware_entry_failure_reason);
	return dump_and_fail(cpu);
}

static enum loop_action
handle_internal_error(struct vcpu *cpu)
{
	printf("kvmvmm: KVM internal error, suberror %u\n", cpu->run->internal.suberror);
	return dump_and_fail(cpu);
}

static enum loop_action
dispatch(struct vcpu *cpu)
{
	uint32_t reason = cpu->run->exit_reason;
	const struct exit_kind *k = exit_kind(reason);
	enum loop_action a;

	__atomic_add_fetch(&cpu->exits, 1, __ATOMIC_RELEASE);
	cpu->profile[k ? k->slot : PROFILE_OTHER]++;
	if (!k || !k->handle) {
		printf("kvmvmm: unhandled exit: reason %u (%s)\n", reason, k ? k->name : "?");
		return dump_and_fail(cpu);
	}
	a = k->handle(cpu);
	if (a == LOOP_CONTINUE && host_poll() != DEV_OK)
		return dump_and_fail(cpu);
	return a;
}

enum vmm_exit
vcpu_loop(struct vcpu *cpu)
{
	enum loop_action a = LOOP_CONTINUE;

	while (a == LOOP_CONTINUE) {
		if (ioctl(cpu->fd, KVM_RUN, 0) < 0) {
			if (errno != EINTR) {
				printf("kvmvmm: KVM_RUN: %s\n", strerror(errno));
				return VMM_FAIL;
			}
			/* immediate_exit leaves exit_reason as it was */
			cpu->run->exit_reason = KVM_EXIT_INTR;
		}
		a = dispatch(cpu);
	}
	return a == LOOP_HALTED ? VMM_PASS : VMM_FAIL;
}

void
profile_print(const struct vcpu *cpu)
{
	guest_profile_print(cpu->profile);
}
