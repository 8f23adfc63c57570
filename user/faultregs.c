/*
 * Are the registers preserved across a page fault that goes through the
 * user-level handler?  fr_probe (assembly, below) loads a distinct value
 * into every general register and a distinct set of flags, records
 * them, writes to the unmapped page at UTEMP, and records the registers
 * again after the write.  The handler saves the UTrapframe it gets and
 * maps the page, so the write succeeds when it is restarted.
 *
 * Then: the UTrapframe must hold the registers, rsp, rflags and rip of
 * the faulting instruction, and the registers after the fault must be
 * the ones before it.  Every difference prints a line with MISMATCH.
 */
#include <inc/lib.h>

#define MAGIC		0x5ca1ab1eU

/* What fr_probe records: the general registers, rflags and rsp. */
struct snap {
	struct PushRegs regs;	/* offsets 0 (r15) ... 112 (rax) */
	uint64_t rflags;	/* offset 120 */
	uint64_t rsp;		/* offset 128 */
};
static_assert(offsetof(struct snap, regs.reg_r15) == 0);
static_assert(offsetof(struct snap, regs.reg_rsi) == 64);
static_assert(offsetof(struct snap, regs.reg_rax) == 112);
static_assert(offsetof(struct snap, rflags) == 120);
static_assert(offsetof(struct snap, rsp) == 128);
static_assert(sizeof(struct PushRegs) == 15 * 8);
static_assert(UTEMP_VA == 0x400000);

struct snap fr_before, fr_after;
struct UTrapframe fr_utf;
volatile int fr_faults;

void fr_probe(void);
extern const char fr_fault_insn[];

/* Store every general register, rflags and rsp into the struct snap NAME. */
#define SNAP(name)						\
	"	movq %r15, " name "+0(%rip)\n"			\
	"	movq %r14, " name "+8(%rip)\n"			\
	"	movq %r13, " name "+16(%rip)\n"			\
	"	movq %r12, " name "+24(%rip)\n"			\
	"	movq %r11, " name "+32(%rip)\n"			\
	"	movq %r10, " name "+40(%rip)\n"			\
	"	movq %r9, " name "+48(%rip)\n"			\
	"	movq %r8, " name "+56(%rip)\n"			\
	"	movq %rsi, " name "+64(%rip)\n"			\
	"	movq %rdi, " name "+72(%rip)\n"			\
	"	movq %rbp, " name "+80(%rip)\n"			\
	"	movq %rdx, " name "+88(%rip)\n"			\
	"	movq %rcx, " name "+96(%rip)\n"			\
	"	movq %rbx, " name "+104(%rip)\n"		\
	"	movq %rax, " name "+112(%rip)\n"		\
	"	pushfq\n"					\
	"	popq " name "+120(%rip)\n"			\
	"	movq %rsp, " name "+128(%rip)\n"

asm(".text\n"
    ".globl fr_probe\n"
    ".type fr_probe, @function\n"
    "fr_probe:\n"
    /* callee-saved registers of the C calling convention */
    "	pushq %rbx\n"
    "	pushq %rbp\n"
    "	pushq %r12\n"
    "	pushq %r13\n"
    "	pushq %r14\n"
    "	pushq %r15\n"
    /* CF PF AF ZF SF OF set (and the always-one bit 1); DF stays clear */
    "	pushq $0x8d7\n"
    "	popfq\n"
    "	movabs $0xa11ce00000000015, %rax\n"
    "	movabs $0xb0b0000000000014, %rbx\n"
    "	movabs $0xc0c0000000000013, %rcx\n"
    "	movabs $0xd0d0000000000012, %rdx\n"
    "	movabs $0x5151000000000011, %rsi\n"
    "	movabs $0xd1d1000000000010, %rdi\n"
    "	movabs $0xb9b900000000000f, %rbp\n"
    "	movabs $0x0808000000000008, %r8\n"
    "	movabs $0x0909000000000009, %r9\n"
    "	movabs $0x1010000000000010, %r10\n"
    "	movabs $0x1111000000000011, %r11\n"
    "	movabs $0x1212000000000012, %r12\n"
    "	movabs $0x1313000000000013, %r13\n"
    "	movabs $0x1414000000000014, %r14\n"
    "	movabs $0x1515000000000015, %r15\n"
    SNAP("fr_before")
    ".globl fr_fault_insn\n"
    "fr_fault_insn:\n"
    "	movl $0x5ca1ab1e, 0x400000\n"	/* UTEMP: page-faults once */
    SNAP("fr_after")
    "	popq %r15\n"
    "	popq %r14\n"
    "	popq %r13\n"
    "	popq %r12\n"
    "	popq %rbp\n"
    "	popq %rbx\n"
    "	ret\n"
    ".size fr_probe, . - fr_probe\n");

static void
fr_handler(struct UTrapframe *utf)
{
	int r;

	fr_utf = *utf;
	fr_faults++;
	if (utf->utf_fault_va != (uintptr_t) UTEMP)
		panic("faultregs: unexpected fault at va %lx, rip %lx",
		      utf->utf_fault_va, utf->utf_rip);
	if ((r = sys_page_alloc(0, UTEMP, PTE_P | PTE_U | PTE_W)) < 0)
		panic("faultregs: sys_page_alloc: %e", r);
}

static const char *const regname[15] = {
	"r15", "r14", "r13", "r12", "r11", "r10", "r9", "r8",
	"rsi", "rdi", "rbp", "rdx", "rcx", "rbx", "rax"
};

/* Compare one value; print a MISMATCH line and return 1 if it differs. */
static int
differ(const char *where, const char *what, uint64_t got, uint64_t want)
{
	if (got == want)
		return 0;
	cprintf("faultregs: %s MISMATCH: %s is %016lx, expected %016lx\n",
		where, what, got, want);
	return 1;
}

static int
compare_regs(const char *where, const struct PushRegs *got,
	     const struct PushRegs *want)
{
	uint64_t g[15], w[15];
	int i, bad = 0;

	memmove(g, got, sizeof(g));
	memmove(w, want, sizeof(w));
	for (i = 0; i < 15; i++)
		bad += differ(where, regname[i], g[i], w[i]);
	return bad;
}

void
umain(int argc, char **argv)
{
	const char *w;
	int bad;

	/* The probe's write must fault: make sure nothing is at UTEMP. */
	sys_page_unmap(0, UTEMP);
	set_pgfault_handler(fr_handler);
	fr_probe();

	if (fr_faults != 1) {
		cprintf("faultregs: MISMATCH: %d page faults, expected 1\n",
			fr_faults);
		return;
	}

	w = "UTrapframe";
	bad = compare_regs(w, &fr_utf.utf_regs, &fr_before.regs);
	bad += differ(w, "rip", fr_utf.utf_rip, (uintptr_t) fr_fault_insn);
	bad += differ(w, "rsp", fr_utf.utf_rsp, fr_before.rsp);
	bad += differ(w, "rflags", fr_utf.utf_rflags & ~(uint64_t) FL_RF,
		      fr_before.rflags);
	bad += differ(w, "fault va", fr_utf.utf_fault_va, (uintptr_t) UTEMP);
	bad += differ(w, "err", fr_utf.utf_err & 7, FEC_WR | FEC_U);
	if (!bad)
		cprintf("Registers in UTrapframe OK\n");

	w = "after page fault";
	bad = compare_regs(w, &fr_after.regs, &fr_before.regs);
	bad += differ(w, "rsp", fr_after.rsp, fr_before.rsp);
	bad += differ(w, "rflags", fr_after.rflags, fr_before.rflags);
	bad += differ(w, "value at UTEMP", *(volatile uint32_t *) UTEMP, MAGIC);
	if (!bad)
		cprintf("Registers after page-fault OK\n");
}
