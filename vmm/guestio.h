/* What a guest sees at I/O ports, and its memory pages (vmm/guestio.c). */
#ifndef JOS_VMM_GUESTIO_H
#define JOS_VMM_GUESTIO_H

#include <inc/types.h>

struct Env;

#define GUEST_EBDA	0x9FC00		/* end of the guest's base memory */

enum guest_out_result {
	GUEST_OUT_DONE,
	GUEST_POWER_OFF,		/* the guest wrote an emulator exit port */
};

uint32_t guest_port_in(struct Env *e, uint16_t port);
enum guest_out_result guest_port_out(struct Env *e, uint16_t port, uint32_t value);
int guest_page_fill(struct Env *e, uint64_t gpa);
int guest_console_getc(struct Env *e);

#endif /* !JOS_VMM_GUESTIO_H */
