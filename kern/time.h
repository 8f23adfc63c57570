/* Kernel time, counted in timer ticks. */
#ifndef JOS_KERN_TIME_H
#define JOS_KERN_TIME_H

void time_tick(void);
unsigned time_msec(void);

#endif /* !JOS_KERN_TIME_H */
