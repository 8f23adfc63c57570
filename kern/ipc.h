/* Delivering IPC messages, between environments and to and from guests. */
#ifndef JOS_KERN_IPC_H
#define JOS_KERN_IPC_H

#include <inc/types.h>

struct Env;
struct PageInfo;

int ipc_deliver(struct Env *from, struct Env *to, uint32_t value, struct PageInfo *pp, int perm);

#endif /* !JOS_KERN_IPC_H */
