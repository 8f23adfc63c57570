/* A guest kernel's system calls for its file server's hypercalls (kern/hostcall.c). */
#ifndef JOS_KERN_HOSTCALL_H
#define JOS_KERN_HOSTCALL_H

#include <inc/types.h>

int64_t sys_host_ipc(uint64_t call, uint32_t value, void *va, int perm, void *reply_va);
int64_t sys_host_call(uint32_t value, const uint64_t *tags, void *const *vas, size_t n);

#endif /* !JOS_KERN_HOSTCALL_H */
