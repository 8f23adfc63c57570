/*
 * The guest's half of the guest-disk protocol (GDISK, inc/fs.h); it runs
 * in a guest's file server (gdisk_host.c is the host's half). The disk
 * of a guest's file server: blocks of a disk image file in the host's
 * file system, moved by the host's file server straight into or out of
 * the guest file server's block-cache pages. Up to HOST_PAGES_MAX blocks
 * go in one round trip, and a round trip is one hypercall (IPCCALL: send
 * and wait in one exit), which the guest's kernel makes for its file
 * server (sys_host_call), naming the pages to the host by their
 * guest-physical addresses.
 */
#include "fs.h"
#include <inc/vmx.h>

/*
 * Read the n blocks blocknos[] into the cache. Their pages need not
 * exist: the kernel gives the host fresh ones to fill (often by
 * replacing them whole), and maps them once the host has.
 */
int
host_read(const uint64_t *blocknos, int n)
{
	/* HANDOUT BEGIN host_read: return -E_NOT_SUPP; */
	void *pages[HOST_PAGES_MAX];
	int i;

	if (n < 1 || n > HOST_PAGES_MAX)
		return -E_INVAL;
	for (i = 0; i < n; i++)
		pages[i] = diskaddr(blocknos[i]);
	return sys_host_call(GDISK_READ, blocknos, pages, n);
	/* HANDOUT END */
}

/* Write the n blocks blocknos[] from their pages in the cache. */
int
host_write(const uint64_t *blocknos, int n)
{
	/* HANDOUT BEGIN host_write: return -E_NOT_SUPP; */
	void *pages[HOST_PAGES_MAX];
	int i;

	if (n < 1 || n > HOST_PAGES_MAX)
		return -E_INVAL;
	for (i = 0; i < n; i++)
		pages[i] = diskaddr(blocknos[i]);
	return sys_host_call(GDISK_WRITE, blocknos, pages, n);
	/* HANDOUT END */
}
