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
 * chooses, at run time. Each trip to the host costs the guest an exit, so
 * a guest reads ahead, the blocks in use after the one it faulted on, and
 * holds up to HOST_PAGES_MAX written blocks back until the file server
 * answers a request that is not a plain write (bc_write_back).
 */
#include "fs.h"
#include <inc/vmx.h>

/* The block count, when the superblock is in the cache (reading it could fault). */
static bool
beyond_disk(uint32_t blockno)
{
	return super && va_is_mapped(super) && blockno >= super->s_nblocks;
}

/* The block number of the block page at addr in the disk map. */
uint32_t
blockof(void *addr)
{
	return ((uintptr_t) addr - DISKMAP) / BLKSIZE;
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

/* Is the block known to be free? (Reading the bitmap must not fault here.) */
static bool
known_free(uint32_t blockno)
{
	return bitmap && va_is_mapped(&bitmap[blockno / BITS_PER_WORD]) && block_is_free(blockno);
}

/*
 * The blocks a guest reads when it faults on blockno: it, and those
 * after it that are in use and not cached yet. Returns how many.
 */
static int
read_ahead(uint32_t blockno, uint64_t *blocknos)
{
	int n = 1;

	blocknos[0] = blockno;
	if (!super || !va_is_mapped(super))
		return 1;
	while (n < HOST_PAGES_MAX && blockno + n < super->s_nblocks &&
	       !va_is_mapped(diskaddr(blockno + n)) && !known_free(blockno + n)) {
		blocknos[n] = blockno + n;
		n++;
	}
	return n;
}

/* Clear the dirty bit of the block page at addr, if set, by remapping it. */
static void
clean(void *addr)
{
	int r;

	if (va_is_dirty(addr) &&
	    (r = sys_page_map(0, addr, 0, addr, uvpt[PGNUM(addr)] & PTE_SYSCALL)) < 0)
		panic("cleaning block page %lx: %e", (uintptr_t) addr, r);
}

/* A fault in the disk map: read the block in. Any other fault is a bug. */
static void
bc_pgfault(struct UTrapframe *utf)
{
	void *addr = (void *) utf->utf_fault_va;
	uint32_t blockno = blockof(addr);
	uint64_t blocknos[HOST_PAGES_MAX];
	int i, n = 1, r;

	if ((uintptr_t) addr < DISKMAP || (uintptr_t) addr >= DISKMAP + DISKSIZE)
		panic("page fault in FS: rip %lx, va %lx, err %04lx",
		      utf->utf_rip, (uintptr_t) addr, utf->utf_err);
	if (beyond_disk(blockno))
		panic("reading non-existent block %08x", blockno);

	addr = ROUNDDOWN(addr, PGSIZE);
	if (VMM_GUEST) {
		n = read_ahead(blockno, blocknos);
		if ((r = host_read(blocknos, n)) < 0)
			panic("in bc_pgfault, host_read of blocks %d+%d: %e", blockno, n, r);
	} else {
		if ((r = sys_page_alloc(0, addr, PTE_P | PTE_U | PTE_W)) < 0)
			panic("in bc_pgfault, sys_page_alloc: %e", r);
		if ((r = ide_read(blockno * BLKSECTS, addr, BLKSECTS)) < 0)
			panic("in bc_pgfault, ide_read: %e", r);
	}
	/* The host's ide_read wrote through the page and set its dirty bit. */
	for (i = 0; i < n; i++)
		clean((char *) addr + i * PGSIZE);
	if (bitmap && block_is_free(blockno))
		panic("reading free block %08x", blockno);
}

/* A guest's written blocks not yet sent to the host, in the order written. */
static uint64_t held[HOST_PAGES_MAX];
static int nheld;

/* Send the held blocks to the host; 0 or the error (the blocks are dropped). */
int
bc_write_back(void)
{
	int n = nheld;

	nheld = 0;
	return n ? host_write(held, n) : 0;
}

/* Block blockno was freed: a held write of it is void. */
void
bc_forget(uint32_t blockno)
{
	int i;

	for (i = 0; i < nheld; i++)
		if (held[i] == blockno)
			held[i] = held[--nheld];
}

/* A guest's write of blockno: held back, to go with others (once, if held already). */
static void
hold_write(uint32_t blockno)
{
	int i, r;

	for (i = 0; i < nheld; i++)
		if (held[i] == blockno)
			return;
	if (nheld == HOST_PAGES_MAX && (r = bc_write_back()) < 0)
		panic("writing blocks to the host: %e", r);
	held[nheld++] = blockno;
}

/* Write back the bitmap blocks that alloc_block changed. */
static void
flush_bitmap(void)
{
	uint32_t i;

	for (i = 0; i < bitmap_blocks(); i++)
		flush_block(diskaddr(BITMAP_BLOCKNO + i));
}

/*
 * Write the block containing addr back to disk if it is cached and
 * dirty; the bitmap first, if it has changed (see alloc_block).
 */
void
flush_block(void *addr)
{
	uint32_t blockno = blockof(addr);
	int r;

	if ((uintptr_t) addr < DISKMAP || (uintptr_t) addr >= DISKMAP + DISKSIZE)
		panic("flush_block of bad va %lx", (uintptr_t) addr);
	addr = ROUNDDOWN(addr, PGSIZE);
	if (!va_is_mapped(addr) || !va_is_dirty(addr))
		return;
	if (bitmap && (blockno < BITMAP_BLOCKNO || blockno >= BITMAP_BLOCKNO + bitmap_blocks()))
		flush_bitmap();
	if (VMM_GUEST)
		hold_write(blockno);
	else if ((r = ide_write(blockno * BLKSECTS, addr, BLKSECTS)) < 0)
		panic("in flush_block, writing block %d: %e", blockno, r);
	clean(addr);
}

/*
 * Write block blockno whole from src: into its cached copy and on to the
 * disk if it is cached, else straight to the disk, not cached. For the
 * host's file server (its disk is the IDE disk).
 */
int
bc_write_through(uint32_t blockno, const void *src)
{
	void *blk = diskaddr(blockno);

	if (!va_is_mapped(blk))
		return ide_write(blockno * BLKSECTS, src, BLKSECTS);
	memmove(blk, src, BLKSIZE);
	flush_block(blk);
	return 0;
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
