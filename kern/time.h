/* Kernel time, counted in timer ticks. */
#ifndef JOS_KERN_TIME_H
#define JOS_KERN_TIME_H

#include <inc/types.h>

void time_tick(void);
unsigned time_msec(void);
uint64_t busy_tsc(void);
void milestone(const char *name);
extern bool bench_mode;

#endif /* !JOS_KERN_TIME_H */
