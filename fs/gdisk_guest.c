/*
 * The guest's half of the guest-disk protocol (GDISK, inc/fs.h); it runs
 * in a guest's file server (gdisk_host.c is the host's half). The disk
 * of a guest's file server: blocks of a disk image file in the host's
 * file system, moved by IPC hypercalls to the host's file server
 * (protocol in inc/fs.h), one whole block per round trip, and a round
 * trip is one hypercall (IPCCALL: send and wait in one exit), which the
 * guest's kernel makes for its file server (sys_host_ipc). A read's reply
 * page replaces, in guest-physical memory, the page mapped at va: the
 * block arrives without a copy in the guest.
 */
#include "fs.h"
#include <inc/vmx.h>

int
host_read(uint32_t blockno, void *va)
{
	/* HANDOUT BEGIN host_read: return -E_NOT_SUPP; */
	int r;

	/* The page must exist to have a guest-physical address to replace. */
	if ((r = sys_page_alloc(0, va, PTE_P | PTE_U | PTE_W)) < 0)
		return r;
	return ipc_host_call(GDISK_VALUE(GDISK_READ, blockno), NULL, 0, va);
	/* HANDOUT END */
}

int
host_write(uint32_t blockno, void *va)
{
	/* HANDOUT BEGIN host_write: return -E_NOT_SUPP; */
	return ipc_host_call(GDISK_VALUE(GDISK_WRITE, blockno), va, PTE_P | PTE_U, NULL);
	/* HANDOUT END */
}
