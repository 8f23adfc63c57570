/* Trap handling: the IDT and the dispatcher. */
#ifndef JOS_KERN_TRAP_H
#define JOS_KERN_TRAP_H

#include <inc/trap.h>
#include <inc/mmu.h>

void trap_init(void);
void trap_init_percpu(void);
void print_trapframe(struct Trapframe *tf);
void trap(struct Trapframe *tf) __attribute__((noreturn));
bool irq_dispatch(int irq);

/*
 * A kernel instruction allowed to fault (kern/guestattack.c): a trap in
 * the kernel while trap_resume_rip is set resumes there, with the trap's
 * number in trap_resumed_trapno, instead of panicking.
 */
#define NO_TRAP		(-1)
extern volatile uintptr_t trap_resume_rip;
extern volatile int trap_resumed_trapno;

#endif /* !JOS_KERN_TRAP_H */
