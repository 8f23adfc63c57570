/* The local APIC: per-CPU interrupt controller, timer and inter-processor interrupts. */
#ifndef JOS_KERN_LAPIC_H
#define JOS_KERN_LAPIC_H

#include <inc/types.h>

void lapic_init(void);
void lapic_eoi(void);
void lapic_startap(uint8_t apicid, uint32_t addr);
int lapic_id(void);

#endif /* !JOS_KERN_LAPIC_H */
