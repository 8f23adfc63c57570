/* What a guest sees at I/O ports (vmm/guestio.c), for both backends. */
#ifndef JOS_VMM_GUESTIO_H
#define JOS_VMM_GUESTIO_H

#include <inc/types.h>
#include <vmm/vmm.h>

struct Env;

#define GUEST_EBDA	0x9FC00		/* end of the guest's base memory */

enum vmexit_action guest_port_io(struct Env *e, uint16_t port, int size, bool in);

#endif /* !JOS_VMM_GUESTIO_H */
