/*
 * The disk of a guest's file server: blocks of a disk image file in the
 * host's file system, moved by IPC hypercalls to the host's file server
 * (protocol in inc/fs.h), one whole block per round trip. A read's reply
 * page replaces, in guest-physical memory, the page mapped at va: the
 * block arrives without a copy in the guest.
 */
#include "fs.h"
#include <inc/vmx.h>

int
host_read(uint32_t blockno, void *va)
{
	int r;

	/* The page must exist to have a guest-physical address to replace. */
	if ((r = sys_page_alloc(0, va, PTE_P | PTE_U | PTE_W)) < 0)
		return r;
	ipc_host_send(GDISK_VALUE(GDISK_READ, blockno), NULL, 0);
	return ipc_host_recv(va);
}

int
host_write(uint32_t blockno, void *va)
{
	ipc_host_send(GDISK_VALUE(GDISK_WRITE, blockno), va, PTE_P | PTE_U);
	return ipc_host_recv(NULL);
}
