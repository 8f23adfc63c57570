/* A hostile guest kernel's attacks on its hypervisor (kern/guestattack.c). */
#ifndef JOS_KERN_GUESTATTACK_H
#define JOS_KERN_GUESTATTACK_H

#define GUEST_ATTACK_CMDLINE	"hostile"	/* the boot command line that asks for them */

void guest_attack(void);

#endif /* !JOS_KERN_GUESTATTACK_H */
