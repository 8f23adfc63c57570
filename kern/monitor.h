/* The kernel monitor: a tiny command line for looking at the kernel. */
#ifndef JOS_KERN_MONITOR_H
#define JOS_KERN_MONITOR_H

struct Trapframe;

/* Run the monitor; tf is the trap that led here, or NULL. */
void monitor(struct Trapframe *tf);

int mon_help(int argc, char **argv, struct Trapframe *tf);
int mon_kerninfo(int argc, char **argv, struct Trapframe *tf);
int mon_backtrace(int argc, char **argv, struct Trapframe *tf);
int mon_poweroff(int argc, char **argv, struct Trapframe *tf);
int mon_continue(int argc, char **argv, struct Trapframe *tf);

#endif /* !JOS_KERN_MONITOR_H */
