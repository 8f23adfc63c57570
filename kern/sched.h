/* The scheduler. */
#ifndef JOS_KERN_SCHED_H
#define JOS_KERN_SCHED_H

void sched_yield(void) __attribute__((noreturn));

#endif /* !JOS_KERN_SCHED_H */
