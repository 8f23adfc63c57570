/*
 * debugport.h: the debug port (GUEST_DEBUG_PORT, 0xE9, as in Bochs and
 * QEMU): each byte the guest writes there is printed by the VMM.
 */
#ifndef DEVICES_DEBUGPORT_H
#define DEVICES_DEBUGPORT_H

#include <devices/dev.h>

enum dev_status debugport_register(struct bus *b);

#endif /* !DEVICES_DEBUGPORT_H */
