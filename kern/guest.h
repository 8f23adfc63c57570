/*
 * Is this kernel running as a guest of JOS-VMM? The same kernel image
 * runs on the hardware and in a VM; as a guest it leaves alone the
 * hardware it does not own (CGA, keyboard, PIC, local APIC, other CPUs).
 * VMM_GUEST is the original lab's name for the question.
 */
#ifndef JOS_KERN_GUEST_H
#define JOS_KERN_GUEST_H

#include <inc/types.h>

bool vmm_guest(void);
#define VMM_GUEST	(vmm_guest())

#endif /* !JOS_KERN_GUEST_H */
