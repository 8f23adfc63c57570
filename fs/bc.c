/*
 * The block cache. The disk appears at DISKMAP, one page per block;
 * nothing is read until it is touched. The first touch of a block page
 * faults into bc_pgfault, which reads the block from the disk into a
 * fresh page. Writing a block sets the page's dirty bit (PTE_D, visible
 * through uvpt); flush_block writes a dirty block back and clears the bit
 * by remapping the page onto itself.
 *
 * The same code serves a host's file server, whose disk is the IDE disk,
 * and a guest's, whose disk is a file on the host (gdisk_guest.c): VMM_GUEST
 * chooses, at run time.
 */
#include "fs.h"
#include <inc/vmx.h>

/* The block count, when the superblock is in the cache (reading it could fault). */
static bool
beyond_disk(uint32_t blockno)
{
	return super && va_is_mapped(super) && blockno >= super->s_nblocks;
}

void *
diskaddr(uint32_t blockno)
{
	if (blockno == 0 || beyond_disk(blockno))
		panic("bad block number %08x in diskaddr", blockno);
	return (char *) (DISKMAP + (uintptr_t) blockno * BLKSIZE);
}

/* The classic name of the library's va_mapped (lib/pageref.c). */
bool
va_is_mapped(void *va)
{
	return va_mapped((uintptr_t) va);
}

bool
va_is_dirty(void *va)
{
	return (uvpt[PGNUM(va)] & PTE_D) != 0;
}

/* A fault in the disk map: read the block in. Any other fault is a bug. */
static void
bc_pgfault(struct UTrapframe *utf)
{
	void *addr = (void *) utf->utf_fault_va;
	uint32_t blockno = ((uintptr_t) addr - DISKMAP) / BLKSIZE;
	int r;

	if ((uintptr_t) addr < DISKMAP || (uintptr_t) addr >= DISKMAP + DISKSIZE)
		panic("page fault in FS: rip %lx, va %lx, err %04lx",
		      utf->utf_rip, (uintptr_t) addr, utf->utf_err);
	if (beyond_disk(blockno))
		panic("reading non-existent block %08x", blockno);

	addr = ROUNDDOWN(addr, PGSIZE);
	if (VMM_GUEST) {
		if ((r = host_read(blockno, addr)) < 0)
			panic("in bc_pgfault, host_read of block %d: %e", blockno, r);
	} else {
		if ((r = sys_page_alloc(0, addr, PTE_P | PTE_U | PTE_W)) < 0)
			panic("in bc_pgfault, sys_page_alloc: %e", r);
		if ((r = ide_read(blockno * BLKSECTS, addr, BLKSECTS)) < 0)
			panic("in bc_pgfault, ide_read: %e", r);
	}
	/* The read set the dirty bit; clear it. */
	if ((r = sys_page_map(0, addr, 0, addr, uvpt[PGNUM(addr)] & PTE_SYSCALL)) < 0)
		panic("in bc_pgfault, sys_page_map: %e", r);
	if (bitmap && block_is_free(blockno))
		panic("reading free block %08x", blockno);
}

/* Write the block containing addr back to disk if it is cached and dirty. */
void
flush_block(void *addr)
{
	uint32_t blockno = ((uintptr_t) addr - DISKMAP) / BLKSIZE;
	int r;

	if ((uintptr_t) addr < DISKMAP || (uintptr_t) addr >= DISKMAP + DISKSIZE)
		panic("flush_block of bad va %lx", (uintptr_t) addr);
	addr = ROUNDDOWN(addr, PGSIZE);
	if (!va_is_mapped(addr) || !va_is_dirty(addr))
		return;
	if (VMM_GUEST)
		r = host_write(blockno, addr);
	else
		r = ide_write(blockno * BLKSECTS, addr, BLKSECTS);
	if (r < 0)
		panic("in flush_block, writing block %d: %e", blockno, r);
	if ((r = sys_page_map(0, addr, 0, addr, uvpt[PGNUM(addr)] & PTE_SYSCALL)) < 0)
		panic("in flush_block, sys_page_map: %e", r);
}

/* Change the superblock through the cache, evict it, and see the change come back. */
void
check_bc(void)
{
	struct Super backup;

	memmove(&backup, diskaddr(SUPER_BLOCKNO), sizeof backup);
	strcpy(diskaddr(SUPER_BLOCKNO), "OOPS!\n");
	flush_block(diskaddr(SUPER_BLOCKNO));
	assert(va_is_mapped(diskaddr(SUPER_BLOCKNO)));
	assert(!va_is_dirty(diskaddr(SUPER_BLOCKNO)));

	sys_page_unmap(0, diskaddr(SUPER_BLOCKNO));
	assert(!va_is_mapped(diskaddr(SUPER_BLOCKNO)));
	assert(strcmp(diskaddr(SUPER_BLOCKNO), "OOPS!\n") == 0);

	memmove(diskaddr(SUPER_BLOCKNO), &backup, sizeof backup);
	flush_block(diskaddr(SUPER_BLOCKNO));
	cprintf("block cache is good\n");
}

void
bc_init(void)
{
	struct Super s;

	set_pgfault_handler(bc_pgfault);
	/* Read the superblock in now: bc_pgfault consults it once super is set. */
	memmove(&s, diskaddr(SUPER_BLOCKNO), sizeof s);
}
