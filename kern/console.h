/* The kernel console: CGA text screen, COM1 serial port and PC keyboard. */
#ifndef JOS_KERN_CONSOLE_H
#define JOS_KERN_CONSOLE_H

#include <inc/types.h>

void cons_init(void);
int cons_getc(void);
void cons_wake(void);
void cons_drain(void);

void kbd_intr(void);		/* IRQ 1 */
void serial_intr(void);		/* IRQ 4 */

void poweroff(void) __attribute__((noreturn));

/* kern/guestcons.c: the console of a guest kernel */
void guestcons_putc(int c);
void guestcons_flush(void);
void guestcons_reset(void);
int guestcons_getc(void);

#endif /* !JOS_KERN_CONSOLE_H */
