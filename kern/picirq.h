/* The 8259A interrupt controllers (keyboard and serial IRQs). */
#ifndef JOS_KERN_PICIRQ_H
#define JOS_KERN_PICIRQ_H

#include <inc/types.h>

void pic_init(void);
void irq_setmask_8259A(uint16_t mask);

#endif /* !JOS_KERN_PICIRQ_H */
