/* The PC keyboard driver (kern/kbd.c): scan code set 1 to characters. */
#ifndef JOS_KERN_KBDMAP_H
#define JOS_KERN_KBDMAP_H

void kbd_init(void);
int kbd_proc_data(void);	/* next character, 0 for none yet, -1 when empty */

#endif /* !JOS_KERN_KBDMAP_H */
