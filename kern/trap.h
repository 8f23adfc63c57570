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

#endif /* !JOS_KERN_TRAP_H */
