/*
 * Traps: exceptions, interrupts and system calls all arrive in trap()
 * through the stubs in trapentry.S. A trap from user mode saves the
 * environment's registers in its Env; trap_dispatch decides what the
 * trap means; then the kernel resumes the environment or schedules
 * another. A fault in user mode destroys only that environment, with a
 * one-line diagnostic; a fault in the kernel is a kernel bug and panics.
 */
#include <inc/mmu.h>
#include <inc/x86.h>
#include <inc/assert.h>
#include <inc/string.h>
#include <kern/pmap.h>
#include <kern/trap.h>
#include <kern/console.h>
#include <kern/monitor.h>
#include <kern/env.h>
#include <kern/syscall.h>
#include <kern/sched.h>
#include <kern/cpu.h>
#include <kern/spinlock.h>
#include <kern/lapic.h>
#include <kern/picirq.h>
#include <kern/time.h>
#include <vmm/vmm.h>

#define NVECTORS	256

static struct Gatedesc idt[NVECTORS];
static struct Pseudodesc idt_pd = { sizeof(idt) - 1, (uint64_t) idt };
extern const uint64_t trap_vectors[NVECTORS];

/* The last trap frame, for the monitor. */
static struct Trapframe *last_tf;

static const char *const excnames[T_NEXCEPTIONS] = {
	"Divide error", "Debug", "Non-Maskable Interrupt", "Breakpoint",
	"Overflow", "BOUND Range Exceeded", "Invalid Opcode", "Device Not Available",
	"Double Fault", "Coprocessor Segment Overrun", "Invalid TSS",
	"Segment Not Present", "Stack Fault", "General Protection", "Page Fault",
	"(unknown trap)", "x87 FPU Floating-Point Error", "Alignment Check",
	"Machine-Check", "SIMD Floating-Point Exception", "Virtualization Exception",
};

static const char *
trapname(int trapno)
{
	if (trapno < T_NEXCEPTIONS && excnames[trapno])
		return excnames[trapno];
	if (trapno == T_SYSCALL)
		return "System call";
	if (trapno >= IRQ_OFFSET && trapno < IRQ_OFFSET + 16)
		return "Hardware Interrupt";
	return "(unknown trap)";
}

static void
set_gate(struct Gatedesc *g, uint64_t handler, int type, int dpl)
{
	g->gd_off_15_0 = handler & 0xFFFF;
	g->gd_sel = GD_KT;
	g->gd_ist = 0;
	g->gd_type_attr = type | (dpl << 5) | SEG_PRESENT;
	g->gd_off_31_16 = (handler >> 16) & 0xFFFF;
	g->gd_off_63_32 = handler >> 32;
	g->gd_reserved = 0;
}

/*
 * All gates are interrupt gates (interrupts stay off in the kernel).
 * Only int3 and the system call may be raised by user code with int.
 */
void
trap_init(void)
{
	int i;

	for (i = 0; i < NVECTORS; i++)
		set_gate(&idt[i], trap_vectors[i], STS_IG64, 0);
	set_gate(&idt[T_BRKPT], trap_vectors[T_BRKPT], STS_IG64, 3);
	set_gate(&idt[T_SYSCALL], trap_vectors[T_SYSCALL], STS_IG64, 3);
	trap_init_percpu();
}

void
trap_init_percpu(void)
{
	lidt(&idt_pd);
}

static void
print_regs(struct PushRegs *r)
{
	cprintf("  rax 0x%016lx  rbx 0x%016lx  rcx 0x%016lx\n", r->reg_rax, r->reg_rbx, r->reg_rcx);
	cprintf("  rdx 0x%016lx  rsi 0x%016lx  rdi 0x%016lx\n", r->reg_rdx, r->reg_rsi, r->reg_rdi);
	cprintf("  rbp 0x%016lx  r8  0x%016lx  r9  0x%016lx\n", r->reg_rbp, r->reg_r8, r->reg_r9);
	cprintf("  r10 0x%016lx  r11 0x%016lx  r12 0x%016lx\n", r->reg_r10, r->reg_r11, r->reg_r12);
	cprintf("  r13 0x%016lx  r14 0x%016lx  r15 0x%016lx\n", r->reg_r13, r->reg_r14, r->reg_r15);
}

void
print_trapframe(struct Trapframe *tf)
{
	cprintf("TRAP frame at %p from CPU %d\n", tf, cpunum());
	print_regs(&tf->tf_regs);
	cprintf("  trap 0x%08lx %s\n", tf->tf_trapno, trapname(tf->tf_trapno));
	if (tf == last_tf && tf->tf_trapno == T_PGFLT)
		cprintf("  cr2  0x%016lx\n", rcr2());
	cprintf("  err  0x%08lx\n", tf->tf_err);
	cprintf("  rip  0x%016lx\n", tf->tf_rip);
	cprintf("  cs   0x----%04lx\n", tf->tf_cs);
	cprintf("  flag 0x%016lx\n", tf->tf_rflags);
	cprintf("  rsp  0x%016lx\n", tf->tf_rsp);
	cprintf("  ss   0x----%04lx\n", tf->tf_ss);
}

/*
 * Reflect a user page fault to the environment's upcall, on the user
 * exception stack. A fault while already on that stack (a fault in the
 * handler) nests below the current frame, leaving one empty word for
 * the upcall's return trick (lib/pfentry.S).
 */
static void
page_fault_upcall(struct Trapframe *tf, uintptr_t fault_va)
{
	uintptr_t top = UXSTACKTOP;
	struct UTrapframe *utf;

	user_mem_assert(curenv, curenv->env_pgfault_upcall, 1, 0);
	if (tf->tf_rsp >= UXSTACKTOP - PGSIZE && tf->tf_rsp < UXSTACKTOP)
		top = tf->tf_rsp - sizeof(uint64_t);
	utf = (struct UTrapframe *) (top - sizeof(struct UTrapframe));
	user_mem_assert(curenv, utf, sizeof(struct UTrapframe), PTE_W);

	utf->utf_fault_va = fault_va;
	utf->utf_err = tf->tf_err;
	utf->utf_regs = tf->tf_regs;
	utf->utf_rip = tf->tf_rip;
	utf->utf_rflags = tf->tf_rflags;
	utf->utf_rsp = tf->tf_rsp;
	tf->tf_rip = (uintptr_t) curenv->env_pgfault_upcall;
	tf->tf_rsp = (uintptr_t) utf;
	env_run(curenv);
}

static void
page_fault_handler(struct Trapframe *tf)
{
	uintptr_t fault_va = rcr2();

	if ((tf->tf_cs & 3) == 0) {
		print_trapframe(tf);
		panic("page fault in the kernel at va %lx, ip %lx", fault_va, tf->tf_rip);
	}
	if (curenv->env_pgfault_upcall)
		page_fault_upcall(tf, fault_va);
	cprintf("[%08x] user fault va %lx ip %lx\n", curenv->env_id, fault_va, tf->tf_rip);
	env_destroy(curenv);
}

/*
 * int3 in user mode: a breakpoint, or the end of a user panic(). It
 * destroys that environment only, after printing its trap frame. A
 * kernel built for debugging user programs (make DEFS=-DJOS_USER_BREAK_MONITOR)
 * stops in the monitor instead, where 'continue' resumes the program;
 * meanwhile the whole machine waits.
 */
static void
user_breakpoint(struct Trapframe *tf)
{
	print_trapframe(tf);
#ifdef JOS_USER_BREAK_MONITOR
	monitor(tf);
#else
	cprintf("[%08x] user breakpoint at ip %lx\n", curenv->env_id, tf->tf_rip);
	env_destroy(curenv);
#endif
}

/*
 * Handle hardware interrupt irq (from a trap, or from a VM exit while a
 * guest ran). Returns true when the scheduler should run (the timer).
 */
bool
irq_dispatch(int irq)
{
	switch (irq) {
	case IRQ_TIMER:
		lapic_eoi();
		time_tick();
		guest_ipc_tick();	/* guests parked at a file server left waiting */
		cons_wake();
		return true;
	case IRQ_KBD:
		kbd_intr();
		cons_wake();
		break;
	case IRQ_SERIAL:
		serial_intr();
		cons_wake();
		break;
	case IRQ_SPURIOUS:
		/* The 8259 raises these on noise; no EOI for spurious IRQs. */
		return false;
	}
	lapic_eoi();
	return false;
}

static void
trap_dispatch(struct Trapframe *tf)
{
	struct PushRegs *r = &tf->tf_regs;

	switch (tf->tf_trapno) {
	case T_PGFLT:
		page_fault_handler(tf);
		return;
	case T_BRKPT:
		if ((tf->tf_cs & 3) == 3) {
			user_breakpoint(tf);
			return;
		}
		break;
	case T_SYSCALL:
		r->reg_rax = syscall(r->reg_rax, r->reg_rdx, r->reg_rcx, r->reg_rbx,
				     r->reg_rdi, r->reg_rsi);
		return;
	}
	if (tf->tf_trapno >= IRQ_OFFSET && tf->tf_trapno < IRQ_OFFSET + 16) {
		if (!irq_dispatch(tf->tf_trapno - IRQ_OFFSET))
			return;
		/* SVM takes a guest's interrupts here, in its exit handler. */
		if (curenv && curenv->env_type == ENV_TYPE_GUEST)
			guest_preempted(curenv);
		sched_yield();
	}
	if ((tf->tf_cs & 3) == 0) {
		print_trapframe(tf);
		panic("unhandled trap %ld (%s) in the kernel", tf->tf_trapno, trapname(tf->tf_trapno));
	}
	cprintf("[%08x] user trap %s (trap %ld) ip %lx\n", curenv->env_id,
		trapname(tf->tf_trapno), tf->tf_trapno, tf->tf_rip);
	env_destroy(curenv);
}

volatile uintptr_t trap_resume_rip;
volatile int trap_resumed_trapno = NO_TRAP;

/* A kernel trap that was expected: go on at trap_resume_rip. */
static void
resume_expected_trap(struct Trapframe *tf)
{
	trap_resumed_trapno = tf->tf_trapno;
	tf->tf_rip = trap_resume_rip;
	trap_resume_rip = 0;
	env_pop_tf(tf);
}

/*
 * An NMI (SVM holds one that arrived during a guest's run until the
 * hypervisor sets GIF again). Nothing here raises NMIs on purpose: go on
 * where it struck, in the kernel or in user mode, without the kernel
 * lock and without printing (another CPU may hold the console).
 */
static void
ignore_nmi(struct Trapframe *tf)
{
	env_pop_tf(tf);
}

void
trap(struct Trapframe *tf)
{
	asm volatile("cld" ::: "cc");
	if (panicking())
		for (;;)
			hlt();
	if (tf->tf_trapno == T_NMI)
		ignore_nmi(tf);
	/* A CPU woken from sched_halt's hlt takes the lock it gave up. */
	if (xchg(&thiscpu->cpu_status, CPU_STARTED) == CPU_HALTED) {
		lock_kernel();
		thiscpu->cpu_idle_ticks += read_tsc() - thiscpu->cpu_halt_tsc;
	}
	assert(!(read_rflags() & FL_IF));
	if ((tf->tf_cs & 3) == 0 && trap_resume_rip && tf->tf_trapno < IRQ_OFFSET)
		resume_expected_trap(tf);

	if ((tf->tf_cs & 3) == 3) {
		lock_kernel();
		assert(curenv);
		if (curenv->env_status == ENV_DYING) {
			env_free(curenv);
			curenv = NULL;
			sched_yield();
		}
		curenv->env_tf = *tf;
		tf = &curenv->env_tf;
	}
	last_tf = tf;
	trap_dispatch(tf);

	if (curenv && curenv->env_status == ENV_RUNNING)
		env_run(curenv);
	sched_yield();
}
