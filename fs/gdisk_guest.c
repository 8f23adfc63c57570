/*
 * The guest's half of the guest-disk protocol (GDISK, inc/fs.h); it runs
 * in a guest's file server (gdisk_host.c is the host's half). The disk
 * of a guest's file server: blocks of a disk image file in the host's
 * file system, moved by the host's file server straight into or out of
 * the guest file server's block-cache pages. Up to HOST_PAGES_MAX
 * consecutive blocks go in one round trip, and a round trip is one
 * hypercall (IPCCALL: send and wait in one exit), which the guest's
 * kernel makes for its file server (sys_host_call), naming the pages to
 * the host by their guest-physical addresses.
 */
#include "fs.h"
#include <inc/vmx.h>

/* Read blocks blockno .. blockno + n - 1 into fresh pages at va .. */
int
host_read(uint32_t blockno, void *va, int n)
{
	/* HANDOUT BEGIN host_read: return -E_NOT_SUPP; */
	int i, r;

	/* Zeroed pages: a hole in the disk leaves its page as it is. */
	for (i = 0; i < n; i++)
		if ((r = sys_page_alloc(0, (char *) va + i * PGSIZE, PTE_P | PTE_U | PTE_W)) < 0)
			return r;
	return sys_host_call(GDISK_VALUE(GDISK_READ, blockno), va, n);
	/* HANDOUT END */
}

/* Write blocks blockno .. blockno + n - 1 from the pages at va .. */
int
host_write(uint32_t blockno, void *va, int n)
{
	/* HANDOUT BEGIN host_write: return -E_NOT_SUPP; */
	return sys_host_call(GDISK_VALUE(GDISK_WRITE, blockno), va, n);
	/* HANDOUT END */
}
