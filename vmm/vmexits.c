/*
 * VM exit handling. One table maps each exit reason to its handler; a
 * reason without a handler destroys the guest with a dump of its state,
 * and so does anything a handler finds the guest doing wrong. The host
 * never panics because of a guest. Each exit is counted per reason,
 * with the TSC ticks (emulated instructions in Bochs) spent handling it.
 */
#include <inc/x86.h>
#include <inc/error.h>
#include <inc/string.h>
#include <inc/assert.h>
#include <inc/vmx.h>
#include <inc/multiboot.h>
#include <kern/env.h>
#include <kern/pmap.h>
#include <kern/trap.h>
#include <kern/console.h>
#include <kern/ipc.h>
#include <kern/time.h>
#include <vmm/vmx.h>
#include <vmm/vmx_insn.h>
#include <vmm/vmx_asm.h>
#include <vmm/ept.h>
#include <vmm/vmexits.h>
#include <vmm/guestio.h>

static_assert(offsetof(struct PushRegs, reg_r15) == REG_R15);
static_assert(offsetof(struct PushRegs, reg_r14) == REG_R14);
static_assert(offsetof(struct PushRegs, reg_r13) == REG_R13);
static_assert(offsetof(struct PushRegs, reg_r12) == REG_R12);
static_assert(offsetof(struct PushRegs, reg_r11) == REG_R11);
static_assert(offsetof(struct PushRegs, reg_r10) == REG_R10);
static_assert(offsetof(struct PushRegs, reg_r9) == REG_R9);
static_assert(offsetof(struct PushRegs, reg_r8) == REG_R8);
static_assert(offsetof(struct PushRegs, reg_rsi) == REG_RSI);
static_assert(offsetof(struct PushRegs, reg_rdi) == REG_RDI);
static_assert(offsetof(struct PushRegs, reg_rbp) == REG_RBP);
static_assert(offsetof(struct PushRegs, reg_rdx) == REG_RDX);
static_assert(offsetof(struct PushRegs, reg_rcx) == REG_RCX);
static_assert(offsetof(struct PushRegs, reg_rbx) == REG_RBX);
static_assert(offsetof(struct PushRegs, reg_rax) == REG_RAX);
static_assert(VMX_FAIL_INVALID_ASM == VMX_FAIL_INVALID);
static_assert(VMX_FAIL_VALID_ASM == VMX_FAIL_VALID);

/* An exit reason's name as one word ("EPT_violation"), for machine-read lines. */
static const char *
exit_key(unsigned reason)
{
	static char key[32];
	int i;

	strlcpy(key, vmx_exit_name(reason), sizeof key);
	for (i = 0; key[i]; i++)
		if (key[i] == ' ')
			key[i] = '_';
	return key;
}

/* The guest's state when it was stopped, for the reader of the log. */
static void
dump_guest(struct Env *e)
{
	uint32_t reason = vmcs_read(VM_EXIT_REASON);

	cprintf("[VMM]   exit reason %d (%s)%s, qualification %lx\n", reason & 0xFFFF,
		vmx_exit_name(reason & 0xFFFF),
		(reason & EXIT_REASON_ENTRY_FAIL) ? " on VM entry" : "",
		vmcs_read(EXIT_QUALIFICATION));
	cprintf("[VMM]   rip %lx rsp %lx rflags %lx\n", vmcs_read(GUEST_RIP),
		vmcs_read(GUEST_RSP), vmcs_read(GUEST_RFLAGS));
	cprintf("[VMM]   cr0 %lx cr3 %lx cr4 %lx efer %lx\n", vmcs_read(GUEST_CR0),
		vmcs_read(GUEST_CR3), vmcs_read(GUEST_CR4), vmcs_read(GUEST_IA32_EFER));
}

/* End the guest normally (it powered off). Does not return. */
static void __attribute__((noreturn))
vmx_guest_end(struct Env *e, const char *why)
{
	cprintf("[VMM] guest %08x ended: %s\n", e->env_id, why);
	env_destroy(e);
	panic("vmx_guest_end: env_destroy returned");
}

/* Destroy the guest for the reason given, with a dump. Does not return. */
void
vmx_guest_fail(struct Env *e, const char *why)
{
	cprintf("[VMM] guest %08x destroyed: %s\n", e->env_id, why);
	dump_guest(e);
	env_destroy(e);
	panic("vmx_guest_fail: env_destroy returned");
}

/* VMLAUNCH/VMRESUME itself failed. */
void
vmx_entry_failed(struct Env *e, int status)
{
	if (status == VMX_FAIL_VALID)
		cprintf("[VMM] VM entry failed: VM-instruction error %ld\n",
			vmcs_read(VM_INSTRUCTION_ERROR));
	else
		cprintf("[VMM] VM entry failed: no current VMCS\n");
	vmx_guest_fail(e, "VM entry failed");
}

/* Skip the instruction that caused the exit. */
static void
advance_rip(void)
{
	vmcs_write(GUEST_RIP, vmcs_read(GUEST_RIP) + vmcs_read(VM_EXIT_INSTRUCTION_LEN));
}

/* Host interrupts arrive as exits (acknowledged on exit); the kernel handles them. */
static enum vmexit_action
handle_external_interrupt(struct Env *e)
{
	int vector = EXIT_INTR_VECTOR(vmcs_read(VM_EXIT_INTR_INFO));

	return irq_dispatch(vector - IRQ_OFFSET) ? VMEXIT_YIELD : VMEXIT_RESUME;
}

static enum vmexit_action
handle_triple_fault(struct Env *e)
{
	vmx_guest_fail(e, "triple fault");
}

/*
 * CPUID: the real answer, except that VMX is hidden, the hypervisor bit
 * is set, and leaf 0x40000000 names us, so the guest kernel knows where
 * it runs.
 */
static enum vmexit_action
handle_cpuid(struct Env *e)
{
	struct PushRegs *r = &e->env_tf.tf_regs;
	uint32_t leaf = r->reg_rax, a, b, c, d;

	if (leaf == CPUID_HV_LEAF) {
		a = CPUID_HV_LEAF;
		memcpy(&b, CPUID_HV_SIGNATURE, 4);
		memcpy(&c, CPUID_HV_SIGNATURE + 4, 4);
		memcpy(&d, CPUID_HV_SIGNATURE + 8, 4);
	} else {
		cpuid(leaf, r->reg_rcx, &a, &b, &c, &d);
		if (leaf == 1)
			c = (c & ~CPUID_1_ECX_VMX) | CPUID_1_ECX_HYPERVISOR;
	}
	r->reg_rax = a;
	r->reg_rbx = b;
	r->reg_rcx = c;
	r->reg_rdx = d;
	advance_rip();
	return VMEXIT_RESUME;
}

/* The guest is idle: let the host run others, then continue after the HLT. */
static enum vmexit_action
handle_hlt(struct Env *e)
{
	advance_rip();
	return VMEXIT_YIELD;
}

/* Copy len bytes to guest-physical gpa, giving the guest the pages it lacks. */
static int
guest_copy_out(struct Env *e, uint64_t gpa, const void *src, size_t len)
{
	size_t n;
	void *hva;
	int r;

	for (; len > 0; len -= n, gpa += n, src = (const char *) src + n) {
		n = MIN(len, (size_t) (PGSIZE - PGOFF(gpa)));
		if ((r = guest_page_fill(e, gpa)) < 0 ||
		    (r = ept_gpa2hva(e->env_pml4, gpa, &hva)) < 0)
			return r;
		memcpy(hva, src, n);
	}
	return 0;
}

/*
 * MBMAP: the e820 map of a PC with the guest's memory: base memory up to
 * the EBDA, the BIOS hole, then RAM from 1 MB to the end, written in
 * Multiboot layout at gpa (rdx), at most rcx bytes. Returns the bytes.
 */
static int64_t
vmcall_mbmap(struct Env *e, uint64_t gpa, uint64_t size)
{
	uint64_t top = e->env_vmxinfo->phys_sz;
	const struct multiboot_mmap_entry map[] = {
		{ E820_ENTRY_SIZE, 0, GUEST_EBDA, E820_RAM },
		{ E820_ENTRY_SIZE, GUEST_EBDA, EXTPHYSMEM - GUEST_EBDA, E820_RESERVED },
		{ E820_ENTRY_SIZE, EXTPHYSMEM, top - EXTPHYSMEM, E820_RAM },
	};

	if (size < sizeof(map) || gpa >= top || gpa + sizeof(map) > top || gpa + sizeof(map) < gpa)
		return -E_INVAL;
	if (guest_copy_out(e, gpa, map, sizeof(map)) < 0)
		return -E_NO_MEM;
	return sizeof(map);
}

/* A guest page for IPC: page-aligned, inside the guest, or none at all. */
static bool
valid_ipc_gpa(struct Env *e, uint64_t gpa)
{
	return gpa == VMX_IPC_NOPAGE || (PGOFF(gpa) == 0 && gpa < e->env_vmxinfo->phys_sz);
}

/* The only host environment a guest may talk to: the file server. */
static struct Env *
host_file_server(void)
{
	int i;

	for (i = 0; i < NENV; i++)
		if (envs[i].env_type == ENV_TYPE_FS && envs[i].env_status != ENV_FREE)
			return &envs[i];
	return NULL;
}

/*
 * IPCSEND: a message (and maybe a page of guest memory) to the host's
 * file server. After it, and only then, the guest may wait for the reply.
 */
static int64_t
vmcall_ipc_send(struct Env *e, uint32_t value, uint64_t gpa, int perm)
{
	struct Env *fs = host_file_server();
	struct PageInfo *pp = NULL;
	void *hva;
	int r;

	if (!valid_ipc_gpa(e, gpa))
		return -E_INVAL;
	if (!fs)
		return -E_BAD_ENV;
	if (gpa != VMX_IPC_NOPAGE) {
		if (guest_page_fill(e, gpa) < 0 || ept_gpa2hva(e->env_pml4, gpa, &hva) < 0)
			return -E_NO_MEM;
		pp = pa2page(PADDR(hva));
	}
	if ((r = ipc_deliver(e, fs, value, pp, PTE_P | PTE_U | (perm & PTE_W))) == 0)
		e->env_vmxinfo->ipc_waiting = true;
	return r;
}

/*
 * IPCRECV: the guest waits (as a whole) for the host's reply. Only a
 * guest with a request out may wait, so that it cannot sleep forever.
 */
static enum vmexit_action
vmcall_ipc_recv(struct Env *e, uint64_t gpa)
{
	struct VmxGuestInfo *info = e->env_vmxinfo;

	if (!valid_ipc_gpa(e, gpa) || !info->ipc_waiting) {
		e->env_tf.tf_regs.reg_rax = -E_INVAL;
		advance_rip();
		return VMEXIT_RESUME;
	}
	info->ipc_waiting = false;
	e->env_ipc_recving = true;
	e->env_ipc_dstva = (void *) gpa;
	e->env_status = ENV_NOT_RUNNABLE;
	advance_rip();		/* exactly once: the reply only fills in rax */
	return VMEXIT_YIELD;
}

/* Copy len bytes from guest-physical gpa (mapped pages only). */
static int
guest_copy_in(struct Env *e, void *dst, uint64_t gpa, size_t len)
{
	size_t n;
	void *hva;
	int r;

	for (; len > 0; len -= n, gpa += n, dst = (char *) dst + n) {
		n = MIN(len, (size_t) (PGSIZE - PGOFF(gpa)));
		if ((r = ept_gpa2hva(e->env_pml4, gpa, &hva)) < 0)
			return r;
		memcpy(dst, hva, n);
	}
	return 0;
}

#define CPUTS_MAX	PGSIZE

/* CPUTS: the guest's console output, on the host's console. */
static int64_t
vmcall_cputs(struct Env *e, uint64_t gpa, uint64_t len)
{
	static char text[CPUTS_MAX];
	size_t i;

	if (len > CPUTS_MAX || gpa >= e->env_vmxinfo->phys_sz ||
	    guest_copy_in(e, text, gpa, len) < 0)
		return -E_INVAL;
	for (i = 0; i < len; i++)
		if (text[i] != '\r')
			cputchar(text[i]);
	return len;
}

#define MILESTONE_NAME_MAX	64

/* A guest's milestone: printed (bench mode) with its exit counts so far. */
static int64_t
vmcall_milestone(struct Env *e, uint64_t gpa, uint64_t len)
{
	struct VmxExitStats *st = &e->env_vmxinfo->stats;
	char name[MILESTONE_NAME_MAX];
	int i;

	if (len >= MILESTONE_NAME_MAX || guest_copy_in(e, name, gpa, len) < 0)
		return -E_INVAL;
	name[len] = 0;
	if (!bench_mode)
		return 0;
	cprintf("[bench] guest %08x milestone '%s' busy_tsc %lu exits %lu", e->env_id, name,
		busy_tsc(), st->total_exits);
	for (i = 0; i < VMX_NR_EXIT_REASONS; i++)
		if (st->count[i])
			cprintf(" %s=%lu", exit_key(i), st->count[i]);
	cprintf("\n");
	return 0;
}

#define AR_DPL(ar)	(((ar) >> 5) & 3)

/*
 * Hypercalls only the guest's kernel may make: all but the null one.
 * The guest kernel mediates for its user environments: its file server
 * reaches the host's through a system call (kern/hostcall.c), so guest
 * ring 3 cannot name guest-physical memory.
 */
static bool
kernel_only(uint64_t num)
{
	return num != VMX_VMCALL_NULL;
}

static enum vmexit_action
handle_vmcall(struct Env *e)
{
	struct PushRegs *r = &e->env_tf.tf_regs;
	int64_t ret;

	/* The CPL is the DPL of SS (SDM vol. 3, 3.4.5). */
	if (kernel_only(r->reg_rax) && AR_DPL(vmcs_read(GUEST_SS_AR_BYTES)) != 0) {
		r->reg_rax = -E_PERM;
		advance_rip();
		return VMEXIT_RESUME;
	}
	switch (r->reg_rax) {
	case VMX_VMCALL_MBMAP:
		ret = vmcall_mbmap(e, r->reg_rdx, r->reg_rcx);
		if (ret == -E_INVAL)
			vmx_guest_fail(e, "MBMAP hypercall with a buffer outside guest memory");
		break;
	case VMX_VMCALL_IPCSEND:
		ret = vmcall_ipc_send(e, r->reg_rdx, r->reg_rcx, r->reg_rbx);
		break;
	case VMX_VMCALL_IPCRECV:
		return vmcall_ipc_recv(e, r->reg_rdx);
	case VMX_VMCALL_IPCCALL:
		/* A request and its reply for one exit, not two. */
		if (!valid_ipc_gpa(e, r->reg_rdi)) {
			ret = -E_INVAL;
			break;
		}
		if ((ret = vmcall_ipc_send(e, r->reg_rdx, r->reg_rcx, r->reg_rbx)) < 0)
			break;
		return vmcall_ipc_recv(e, r->reg_rdi);
	case VMX_VMCALL_MILESTONE:
		ret = vmcall_milestone(e, r->reg_rdx, r->reg_rcx);
		break;
	case VMX_VMCALL_NULL:
		ret = 0;
		break;
	case VMX_VMCALL_CPUTS:
		ret = vmcall_cputs(e, r->reg_rdx, r->reg_rcx);
		break;
	case VMX_VMCALL_CGETC:
		/* Nothing typed: the guest polls, so let others run meanwhile. */
		r->reg_rax = guest_console_getc(e);
		advance_rip();
		return r->reg_rax ? VMEXIT_RESUME : VMEXIT_YIELD;
	default:
		ret = -E_INVAL;		/* unknown hypercall: an error, not a crime */
		break;
	}
	r->reg_rax = ret;
	advance_rip();
	return VMEXIT_RESUME;
}

static enum vmexit_action
handle_io(struct Env *e)
{
	uint64_t qual = vmcs_read(EXIT_QUALIFICATION);
	struct PushRegs *r = &e->env_tf.tf_regs;
	uint32_t mask = IO_QUAL_SIZE(qual) == 4 ? 0xFFFFFFFF : (1U << (8 * IO_QUAL_SIZE(qual))) - 1;

	if (qual & IO_QUAL_STRING)
		vmx_guest_fail(e, "string I/O instruction (not emulated)");
	if (qual & IO_QUAL_IN)
		r->reg_rax = (r->reg_rax & ~(uint64_t) mask) |
			     (guest_port_in(e, IO_QUAL_PORT(qual)) & mask);
	else if (guest_port_out(e, IO_QUAL_PORT(qual), r->reg_rax & mask) == GUEST_POWER_OFF)
		vmx_guest_end(e, "it powered off");
	advance_rip();
	return VMEXIT_RESUME;
}

/* Inject #GP(0) into the guest, as a real CPU does for a bad MSR. */
static void
inject_gp(void)
{
	vmcs_write(VM_ENTRY_INTR_INFO_FIELD,
		   INTR_INFO_VALID | INTR_TYPE_HW_EXCEPTION | INTR_INFO_DELIVER_CODE | T_GPFLT);
	vmcs_write(VM_ENTRY_EXCEPTION_ERROR_CODE, 0);
}

/* The guest sees no VMX (CPUID says so): its VMX instructions raise #UD. */
static enum vmexit_action
handle_vmx_insn(struct Env *e)
{
	vmcs_write(VM_ENTRY_INTR_INFO_FIELD, INTR_INFO_VALID | INTR_TYPE_HW_EXCEPTION | T_ILLOP);
	return VMEXIT_RESUME;
}

#define GPR_RSP			4	/* in exit qualifications, registers are numbered */
#define CR8_PRIORITY_MASK	0xF	/* by the SDM: rax rcx rdx rbx rsp rbp rsi rdi r8.. */

/* Where the guest register with that number is saved (not rsp: it lives in the VMCS). */
static uint64_t *
guest_gpr(struct Env *e, int n)
{
	static const uint8_t offset[16] = {
		offsetof(struct PushRegs, reg_rax), offsetof(struct PushRegs, reg_rcx),
		offsetof(struct PushRegs, reg_rdx), offsetof(struct PushRegs, reg_rbx), 0,
		offsetof(struct PushRegs, reg_rbp), offsetof(struct PushRegs, reg_rsi),
		offsetof(struct PushRegs, reg_rdi), offsetof(struct PushRegs, reg_r8),
		offsetof(struct PushRegs, reg_r9), offsetof(struct PushRegs, reg_r10),
		offsetof(struct PushRegs, reg_r11), offsetof(struct PushRegs, reg_r12),
		offsetof(struct PushRegs, reg_r13), offsetof(struct PushRegs, reg_r14),
		offsetof(struct PushRegs, reg_r15),
	};

	return (uint64_t *) ((char *) &e->env_tf.tf_regs + offset[n]);
}

static uint64_t
gpr_read(struct Env *e, int n)
{
	return n == GPR_RSP ? vmcs_read(GUEST_RSP) : *guest_gpr(e, n);
}

static void
gpr_write(struct Env *e, int n, uint64_t v)
{
	if (n == GPR_RSP)
		vmcs_write(GUEST_RSP, v);
	else
		*guest_gpr(e, n) = v;
}

/*
 * MOV to or from CR8 (the other CRs exit only if the guest changes a bit
 * the host owns, which JOS never does). CR8 is a virtual register: the
 * real one is the local APIC's task priority, and a guest that set it
 * could keep the host's timer out.
 */
static enum vmexit_action
handle_cr_access(struct Env *e)
{
	uint64_t q = vmcs_read(EXIT_QUALIFICATION), v;

	if (CR_QUAL_NUM(q) != 8)
		vmx_guest_fail(e, "changed a control-register bit the host owns");
	if (CR_QUAL_TYPE(q) == CR_ACCESS_FROM_CR) {
		gpr_write(e, CR_QUAL_GPR(q), e->env_vmxinfo->cr8);
	} else {
		v = gpr_read(e, CR_QUAL_GPR(q));
		if (v & ~(uint64_t) CR8_PRIORITY_MASK) {
			inject_gp();
			return VMEXIT_RESUME;
		}
		e->env_vmxinfo->cr8 = v;
	}
	advance_rip();
	return VMEXIT_RESUME;
}

/*
 * MOV to or from a debug register. The real ones are the host's (and
 * would carry values from guest to guest), so the guest's are kept here:
 * it reads back what it wrote, but its breakpoints never fire.
 */
static enum vmexit_action
handle_dr_access(struct Env *e)
{
	uint64_t q = vmcs_read(EXIT_QUALIFICATION);
	uint64_t *dr = &e->env_vmxinfo->dr[DR_QUAL_NUM(q)];

	if (q & DR_QUAL_FROM_DR)
		gpr_write(e, DR_QUAL_GPR(q), *dr);
	else
		*dr = gpr_read(e, DR_QUAL_GPR(q));
	advance_rip();
	return VMEXIT_RESUME;
}

/*
 * An NMI that arrived while the guest ran (the exception bitmap is
 * empty, so nothing else exits here). The host has no NMI sources it
 * handles, so it is noted and the guest goes on.
 */
static enum vmexit_action
handle_exception_nmi(struct Env *e)
{
	if (EXIT_INTR_TYPE(vmcs_read(VM_EXIT_INTR_INFO)) != INTR_TYPE_NMI)
		vmx_guest_fail(e, "unexpected exception exit");
	cprintf("[VMM] NMI while guest %08x ran: ignored\n", e->env_id);
	return VMEXIT_RESUME;
}

/* Only EFER is virtualized; reading any other MSR raises #GP in the guest. */
static enum vmexit_action
handle_rdmsr(struct Env *e)
{
	struct PushRegs *r = &e->env_tf.tf_regs;
	uint64_t v;

	if ((uint32_t) r->reg_rcx != MSR_EFER) {
		inject_gp();
		return VMEXIT_RESUME;
	}
	v = vmcs_read(GUEST_IA32_EFER);
	r->reg_rax = (uint32_t) v;
	r->reg_rdx = v >> 32;
	advance_rip();
	return VMEXIT_RESUME;
}

/* The EFER bits a guest may set; any other would fail the next VM entry. */
#define EFER_GUEST_BITS	(EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE)

/*
 * Writing EFER: LMA is the CPU's to set (when paging goes on with LME),
 * and the VM-entry control "IA-32e mode guest" must agree with it.
 */
static enum vmexit_action
handle_wrmsr(struct Env *e)
{
	struct PushRegs *r = &e->env_tf.tf_regs;
	uint64_t v = (r->reg_rdx << 32) | (uint32_t) r->reg_rax;
	uint64_t old = vmcs_read(GUEST_IA32_EFER);
	uint32_t entry = vmcs_read(VM_ENTRY_CONTROLS);

	/* As on a real CPU: unknown bits, or LME changed while paging is on. */
	if ((uint32_t) r->reg_rcx != MSR_EFER || (v & ~EFER_GUEST_BITS) ||
	    ((vmcs_read(GUEST_CR0) & CR0_PG) && ((v ^ old) & EFER_LME))) {
		inject_gp();
		return VMEXIT_RESUME;
	}
	v = (v & ~(uint64_t) EFER_LMA) | (old & EFER_LMA);
	vmcs_write(GUEST_IA32_EFER, v);
	vmcs_write(VM_ENTRY_CONTROLS, (v & EFER_LMA) ? entry | ENTRY_IA32E_MODE
						     : entry & ~ENTRY_IA32E_MODE);
	advance_rip();
	return VMEXIT_RESUME;
}

/* Touching guest memory for the first time: give it a page. Elsewhere: fatal. */
static enum vmexit_action
handle_ept_violation(struct Env *e)
{
	uint64_t gpa = vmcs_read(GUEST_PHYSICAL_ADDRESS);
	static char why[80];

	if (gpa >= e->env_vmxinfo->phys_sz) {
		snprintf(why, sizeof why, "access to gpa %lx, outside its %luK of memory", gpa,
			 e->env_vmxinfo->phys_sz / 1024);
		vmx_guest_fail(e, why);
	}
	if (guest_page_fill(e, gpa) < 0)
		vmx_guest_fail(e, "out of host memory for guest pages");
	return VMEXIT_RESUME;	/* re-run the instruction (its length is meaningless) */
}

static enum vmexit_action
handle_invalid_guest(struct Env *e)
{
	vmx_guest_fail(e, "VM entry failed: invalid guest state");
}

static enum vmexit_action (*const exit_handlers[VMX_NR_EXIT_REASONS])(struct Env *) = {
	[EXIT_REASON_EXCEPTION_NMI] = handle_exception_nmi,
	[EXIT_REASON_EXTERNAL_INT] = handle_external_interrupt,
	[EXIT_REASON_TRIPLE_FAULT] = handle_triple_fault,
	[EXIT_REASON_CPUID] = handle_cpuid,
	[EXIT_REASON_HLT] = handle_hlt,
	[EXIT_REASON_VMCALL] = handle_vmcall,
	[EXIT_REASON_VMCLEAR ... EXIT_REASON_VMXON] = handle_vmx_insn,
	[EXIT_REASON_CR_ACCESS] = handle_cr_access,
	[EXIT_REASON_DR_ACCESS] = handle_dr_access,
	[EXIT_REASON_IO_INSTRUCTION] = handle_io,
	[EXIT_REASON_RDMSR] = handle_rdmsr,
	[EXIT_REASON_WRMSR] = handle_wrmsr,
	[EXIT_REASON_EPT_VIOLATION] = handle_ept_violation,
	[EXIT_REASON_INVALID_GUEST] = handle_invalid_guest,
	[EXIT_REASON_INVEPT] = handle_vmx_insn,
	[EXIT_REASON_INVVPID] = handle_vmx_insn,
	[EXIT_REASON_VMFUNC] = handle_vmx_insn,
};

/* Handle the exit that just happened; count it and the time it took. */
enum vmexit_action
vmexit(struct Env *e)
{
	struct VmxGuestInfo *info = e->env_vmxinfo;
	uint64_t start = read_tsc();
	uint32_t reason = vmcs_read(VM_EXIT_REASON) & 0xFFFF;
	enum vmexit_action action;

	if (reason >= VMX_NR_EXIT_REASONS || !exit_handlers[reason])
		vmx_guest_fail(e, "unhandled VM exit");
	info->stats.count[reason]++;
	info->stats.total_exits++;
	action = exit_handlers[reason](e);
	info->stats.ticks[reason] += read_tsc() - start;
	return action;
}

/* The exit counters, one line per reason that occurred. */
void
vmx_print_exit_counts(struct Env *e)
{
	struct VmxGuestInfo *info = e->env_vmxinfo;
	int i;

	cprintf("[VMM] guest %08x: %lu VM exits\n", e->env_id, info->stats.total_exits);
	for (i = 0; i < VMX_NR_EXIT_REASONS; i++)
		if (info->stats.count[i])
			cprintf("[VMM]   %-20s %8lu exits %12lu ticks handling\n", vmx_exit_name(i),
				info->stats.count[i], info->stats.ticks[i]);
}
