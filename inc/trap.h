/* Trap numbers and the trap frame that the kernel saves on every entry. */
#ifndef JOS_INC_TRAP_H
#define JOS_INC_TRAP_H

/* Processor-defined exceptions */
#define T_DIVIDE	0	/* divide error */
#define T_DEBUG		1	/* debug exception */
#define T_NMI		2	/* non-maskable interrupt */
#define T_BRKPT		3	/* breakpoint */
#define T_OFLOW		4	/* overflow */
#define T_BOUND		5	/* bounds check */
#define T_ILLOP		6	/* illegal opcode */
#define T_DEVICE	7	/* device not available */
#define T_DBLFLT	8	/* double fault */
#define T_TSS		10	/* invalid task switch segment */
#define T_SEGNP		11	/* segment not present */
#define T_STACK		12	/* stack exception */
#define T_GPFLT		13	/* general protection fault */
#define T_PGFLT		14	/* page fault */
#define T_FPERR		16	/* floating point error */
#define T_ALIGN		17	/* alignment check */
#define T_MCHK		18	/* machine check */
#define T_SIMDERR	19	/* SIMD floating point error */
#define T_VIRT		20	/* virtualization exception */
#define T_NEXCEPTIONS	32

#define T_SYSCALL	48	/* system call */
#define T_DEFAULT	500	/* catchall */

#define IRQ_OFFSET	32	/* IRQ 0 is vector IRQ_OFFSET */
#define IRQ_TIMER	0
#define IRQ_KBD		1
#define IRQ_SERIAL	4
#define IRQ_SPURIOUS	7
#define IRQ_IDE		14
#define IRQ_ERROR	19

#ifndef __ASSEMBLER__
#include <inc/types.h>

/* General registers in the order kern/trapentry.S pushes them. */
struct PushRegs {
	uint64_t reg_r15;
	uint64_t reg_r14;
	uint64_t reg_r13;
	uint64_t reg_r12;
	uint64_t reg_r11;
	uint64_t reg_r10;
	uint64_t reg_r9;
	uint64_t reg_r8;
	uint64_t reg_rsi;
	uint64_t reg_rdi;
	uint64_t reg_rbp;
	uint64_t reg_rdx;
	uint64_t reg_rcx;
	uint64_t reg_rbx;
	uint64_t reg_rax;
} __attribute__((packed));

struct Trapframe {
	struct PushRegs tf_regs;
	uint64_t tf_trapno;
	/* below here defined by x86 hardware */
	uint64_t tf_err;
	uintptr_t tf_rip;
	uint64_t tf_cs;
	uint64_t tf_rflags;
	uintptr_t tf_rsp;
	uint64_t tf_ss;
} __attribute__((packed));

/* What the kernel pushes on the user exception stack for a page fault upcall. */
struct UTrapframe {
	uint64_t utf_fault_va;
	uint64_t utf_err;
	struct PushRegs utf_regs;
	uintptr_t utf_rip;
	uint64_t utf_rflags;
	uintptr_t utf_rsp;
} __attribute__((packed));

#endif /* !__ASSEMBLER__ */
#endif /* !JOS_INC_TRAP_H */
