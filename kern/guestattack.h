/* A hostile guest kernel's attacks on its hypervisor (kern/guestattack.c). */
#ifndef JOS_KERN_GUESTATTACK_H
#define JOS_KERN_GUESTATTACK_H

/* The boot command lines that ask for them (boot/gstub.S passes them). */
#define GUEST_ATTACK_CMDLINE	"hostile"
#define GUEST_FUZZ_CMDLINE	"fuzz"
#define GUEST_COW_CMDLINE	"cow"

void guest_attack(void);
void guest_cow_attack(void);
void guest_fuzz(void) __attribute__((noreturn));

#endif /* !JOS_KERN_GUESTATTACK_H */
