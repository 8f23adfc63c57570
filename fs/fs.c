/*
 * The file system proper: the superblock and free-block bitmap, files
 * as lists of blocks, directories as files of struct File, and paths.
 * Everything is read and written through the block cache (bc.c): a
 * struct File is a pointer into the cached directory block holding it,
 * so changing it and flushing that block is how metadata reaches disk.
 */
#include "fs.h"
#include <inc/vmx.h>

struct Super *super;
uint32_t *bitmap;

static void
check_super(void)
{
	if (super->s_magic != FS_MAGIC)
		panic("bad file system magic number %08x", super->s_magic);
	if (super->s_nblocks > DISKSIZE / BLKSIZE)
		panic("file system is too large");
	cprintf("superblock is good\n");
}

/* Bit b of the bitmap is 1 when block b is free. */
bool
block_is_free(uint32_t blockno)
{
	if (super == 0 || blockno >= super->s_nblocks)
		return false;
	return (bitmap[blockno / BITS_PER_WORD] & (1U << (blockno % BITS_PER_WORD))) != 0;
}

void
free_block(uint32_t blockno)
{
	if (blockno == 0)
		panic("attempt to free zero block");
	bitmap[blockno / BITS_PER_WORD] |= 1U << (blockno % BITS_PER_WORD);
	flush_block(&bitmap[blockno / BITS_PER_WORD]);
	/* Its cached copy is worth nothing now: give the memory back. */
	bc_forget(blockno);
	sys_page_unmap(0, diskaddr(blockno));
}

/* The bitmap's blocks. */
uint32_t
bitmap_blocks(void)
{
	return (super->s_nblocks + BLKBITSIZE - 1) / BLKBITSIZE;
}

/* The first free block of word w of the bitmap, or 0 (never free). */
static uint32_t
free_in_word(uint32_t w)
{
	uint32_t b;

	if (bitmap[w] == 0)
		return 0;
	for (b = w * BITS_PER_WORD; b < (w + 1) * BITS_PER_WORD; b++)
		if (block_is_free(b))
			return b;
	return 0;
}

/*
 * Find a free block and mark it used. The search starts where the last
 * one ended and skips whole words of used blocks. The bitmap block is
 * not written now: flush_block writes the bitmap before any other block,
 * so nothing on disk can name a block that the disk's bitmap calls free.
 * Returns the block number or -E_NO_DISK.
 */
static int
claim_block(void)
{
	static uint32_t next;	/* a word of the bitmap */
	uint32_t i, w, b, nwords = (super->s_nblocks + BITS_PER_WORD - 1) / BITS_PER_WORD;

	for (i = 0; i < nwords; i++) {
		w = (next + i) % nwords;
		if ((b = free_in_word(w)) == 0)
			continue;
		bitmap[w] &= ~(1U << (b % BITS_PER_WORD));
		next = w;
		return b;
	}
	return -E_NO_DISK;
}

/*
 * A free block, marked used and cached. What it held is garbage: unless
 * cached already (read ahead), it is cached as a zeroed page, not read
 * from the disk (for a guest, that read would be an exit).
 * Returns the block number, -E_NO_DISK or -E_NO_MEM.
 */
int
alloc_block(void)
{
	int b = claim_block(), r;

	if (b < 0 || va_is_mapped(diskaddr(b)))
		return b;
	if ((r = sys_page_alloc(0, diskaddr(b), PTE_P | PTE_U | PTE_W)) < 0) {
		bitmap[b / BITS_PER_WORD] |= 1U << (b % BITS_PER_WORD);
		return r;
	}
	return b;
}

/* The blocks before the data (boot, super, bitmap) must be in use. */
static void
check_bitmap(void)
{
	uint32_t i, nbitmap = bitmap_blocks();

	for (i = 0; i * BLKBITSIZE < super->s_nblocks; i++)
		assert(!block_is_free(BITMAP_BLOCKNO + i));
	assert(!block_is_free(0));
	assert(!block_is_free(SUPER_BLOCKNO));
	assert(nbitmap == i);
	cprintf("bitmap is good\n");
}

void
fs_init(void)
{
	static_assert(sizeof(struct File) == 256);

	/* On a PC: disk 1 (the file system image) if there is one, else disk 0. */
	if (!VMM_GUEST)
		ide_set_disk(ide_probe_disk1() ? 1 : 0);
	bc_init();
	super = diskaddr(SUPER_BLOCKNO);
	check_super();
	bitmap = diskaddr(BITMAP_BLOCKNO);
	check_bitmap();
}

/*
 * Where file f keeps the number of its filebno'th block: in f_direct or
 * in the indirect block (allocated if asked). *ppdiskbno points at it.
 */
static int
file_block_walk(struct File *f, uint32_t filebno, uint32_t **ppdiskbno, bool alloc)
{
	int r;

	if (filebno < NDIRECT) {
		*ppdiskbno = &f->f_direct[filebno];
		return 0;
	}
	if (filebno >= NDIRECT + NINDIRECT)
		return -E_INVAL;
	if (!f->f_indirect) {
		if (!alloc)
			return -E_NOT_FOUND;
		if ((r = alloc_block()) < 0)
			return r;
		f->f_indirect = r;
		memset(diskaddr(r), 0, BLKSIZE);
		flush_block(diskaddr(r));
	}
	*ppdiskbno = (uint32_t *) diskaddr(f->f_indirect) + (filebno - NDIRECT);
	return 0;
}

/*
 * The cached address of file f's filebno'th block, allocating it if
 * needed: zeroed, and dirty, so that file_flush writes it before the
 * File and indirect block that name it.
 */
int
file_get_block(struct File *f, uint32_t filebno, char **blk)
{
	uint32_t *pdiskbno;
	int r;

	if ((r = file_block_walk(f, filebno, &pdiskbno, true)) < 0)
		return r;
	if (!*pdiskbno) {
		if ((r = alloc_block()) < 0)
			return r;
		*pdiskbno = r;
		memset(diskaddr(r), 0, BLKSIZE);
	}
	*blk = diskaddr(*pdiskbno);
	return 0;
}

/*
 * Write file f's filebno'th block whole from src, through to the disk
 * (bc_write_through: a guest's write, gdisk_host.c). A block it has to
 * allocate is not cached, and is freed again if it cannot be written:
 * the file never names a block that still holds another file's bytes.
 */
int
file_write_block(struct File *f, uint32_t filebno, const void *src)
{
	uint32_t *pdiskbno;
	bool fresh;
	int r;

	if ((r = file_block_walk(f, filebno, &pdiskbno, true)) < 0)
		return r;
	if ((fresh = !*pdiskbno)) {
		if ((r = claim_block()) < 0)
			return r;
		*pdiskbno = r;
	}
	if ((r = bc_write_through(*pdiskbno, src)) < 0 && fresh) {
		free_block(*pdiskbno);
		*pdiskbno = 0;
	}
	return r;
}

/*
 * The cached address of file f's filebno'th block, or NULL in *blk for
 * a hole or a block past the end: reading never allocates.
 */
int
file_peek_block(struct File *f, uint32_t filebno, char **blk)
{
	uint32_t *pdiskbno;
	int r;

	*blk = NULL;
	if (filebno >= (f->f_size + BLKSIZE - 1) / BLKSIZE)
		return 0;
	if ((r = file_block_walk(f, filebno, &pdiskbno, false)) < 0)
		return r == -E_NOT_FOUND ? 0 : r;
	if (*pdiskbno)
		*blk = diskaddr(*pdiskbno);
	return 0;
}

/*
 * A directory's blocks, in *nblock. Directories grow a whole block at a
 * time; one that is not whole blocks is damaged, and is not searched.
 */
static int
dir_nblocks(struct File *dir, uint32_t *nblock)
{
	if (dir->f_type != FTYPE_DIR || dir->f_size % BLKSIZE)
		return -E_INVAL;
	*nblock = dir->f_size / BLKSIZE;
	return 0;
}

/* The file called name in directory dir. */
static int
dir_lookup(struct File *dir, const char *name, struct File **file)
{
	uint32_t i, j, nblock;
	struct File *f;
	char *blk;
	int r;

	if ((r = dir_nblocks(dir, &nblock)) < 0)
		return r;
	for (i = 0; i < nblock; i++) {
		if ((r = file_peek_block(dir, i, &blk)) < 0)
			return r;
		for (f = (struct File *) blk, j = 0; blk && j < BLKFILES; j++)
			if (strcmp(f[j].f_name, name) == 0) {
				*file = &f[j];
				return 0;
			}
	}
	return -E_NOT_FOUND;
}

/* Has directory dir no entries? */
static bool
dir_is_empty(struct File *dir)
{
	uint32_t i, j, nblock;
	char *blk;

	if (dir_nblocks(dir, &nblock) < 0)
		return false;
	for (i = 0; i < nblock; i++) {
		if (file_peek_block(dir, i, &blk) < 0)
			return false;
		for (j = 0; blk && j < BLKFILES; j++)
			if (((struct File *) blk)[j].f_name[0] != '\0')
				return false;
	}
	return true;
}

/* A free File slot in dir, growing dir by a block if none is left. */
static int
dir_alloc_file(struct File *dir, struct File **file)
{
	uint32_t i, j, nblock;
	struct File *f;
	char *blk;
	int r;

	if ((r = dir_nblocks(dir, &nblock)) < 0)
		return r;
	for (i = 0; i < nblock; i++) {
		if ((r = file_get_block(dir, i, &blk)) < 0)
			return r;
		f = (struct File *) blk;
		for (j = 0; j < BLKFILES; j++)
			if (f[j].f_name[0] == '\0') {
				*file = &f[j];
				return 0;
			}
	}
	if (dir->f_size > MAXFILESIZE - BLKSIZE)
		return -E_NO_DISK;	/* the directory is as large as a file can be */
	dir->f_size += BLKSIZE;
	if ((r = file_get_block(dir, i, &blk)) < 0) {
		file_set_size(dir, dir->f_size - BLKSIZE);	/* and free what it got */
		return r;
	}
	*file = (struct File *) blk;
	return 0;
}

static const char *
skip_slash(const char *p)
{
	while (*p == '/')
		p++;
	return p;
}

/*
 * Walk path from the root. On success *pf is the file and *pdir its
 * directory. If only the last element is missing, *pdir is the directory
 * it would go in and lastelem receives its name (for file_create).
 */
static int
walk_path(const char *path, struct File **pdir, struct File **pf, char *lastelem)
{
	struct File *dir = NULL, *f = &super->s_root;
	char name[MAXNAMELEN];
	const char *p;
	int r;

	path = skip_slash(path);
	name[0] = 0;
	*pdir = NULL;
	*pf = NULL;
	while (*path != '\0') {
		dir = f;
		for (p = path; *path != '/' && *path != '\0'; path++)
			;
		if (path - p >= MAXNAMELEN)
			return -E_BAD_PATH;
		memmove(name, p, path - p);
		name[path - p] = '\0';
		path = skip_slash(path);
		if (dir->f_type != FTYPE_DIR)
			return -E_NOT_FOUND;
		if ((r = dir_lookup(dir, name, &f)) < 0) {
			if (r == -E_NOT_FOUND && *path == '\0') {
				if (lastelem)
					strcpy(lastelem, name);
				*pdir = dir;
			}
			return r;
		}
	}
	*pdir = dir;
	*pf = f;
	return 0;
}

/* Create path as an empty file of the given type; -E_FILE_EXISTS if it exists. */
int
file_create(const char *path, struct File **pf, uint32_t type)
{
	char name[MAXNAMELEN];
	struct File *dir, *f;
	int r;

	if ((r = walk_path(path, &dir, &f, name)) == 0)
		return -E_FILE_EXISTS;
	if (r != -E_NOT_FOUND || dir == 0)
		return r;
	if ((r = dir_alloc_file(dir, &f)) < 0)
		return r;
	memset(f, 0, sizeof(*f));
	strcpy(f->f_name, name);
	f->f_type = type;
	*pf = f;
	file_flush(dir);
	flush_block(f);
	return 0;
}

int
file_open(const char *path, struct File **pf)
{
	struct File *dir;

	return walk_path(path, &dir, pf, 0);
}

/*
 * Read up to count bytes at offset; returns the number read (0 at the
 * end). Holes read as zeros, and stay holes.
 */
ssize_t
file_read(struct File *f, void *buf, size_t count, off_t offset)
{
	size_t done = 0, n;
	char *blk;
	int r;

	if (offset < 0)
		return -E_INVAL;
	if (offset >= f->f_size)
		return 0;
	count = MIN(count, (size_t) (f->f_size - offset));
	while (done < count) {
		if ((r = file_peek_block(f, (offset + done) / BLKSIZE, &blk)) < 0)
			return r;
		n = MIN(BLKSIZE - (offset + done) % BLKSIZE, count - done);
		if (blk)
			memmove((char *) buf + done, blk + (offset + done) % BLKSIZE, n);
		else
			memset((char *) buf + done, 0, n);	/* a hole */
		done += n;
	}
	return count;
}

/* Write count bytes at offset, growing the file if needed. */
ssize_t
file_write(struct File *f, const void *buf, size_t count, off_t offset)
{
	size_t done = 0, n;
	char *blk;
	int r;

	if (offset < 0 || offset > MAXFILESIZE || count > (size_t) (MAXFILESIZE - offset))
		return -E_INVAL;
	/* The new size reaches the disk with the data: file_flush writes the File last. */
	if (offset + (off_t) count > f->f_size)
		f->f_size = offset + count;
	while (done < count) {
		if ((r = file_get_block(f, (offset + done) / BLKSIZE, &blk)) < 0)
			return r;
		n = MIN(BLKSIZE - (offset + done) % BLKSIZE, count - done);
		memmove(blk + (offset + done) % BLKSIZE, (const char *) buf + done, n);
		done += n;
	}
	return count;
}

/* Free file f's filebno'th block, if it has one. */
static int
file_free_block(struct File *f, uint32_t filebno)
{
	uint32_t *ptr;
	int r;

	if ((r = file_block_walk(f, filebno, &ptr, false)) < 0)
		return r == -E_NOT_FOUND ? 0 : r;
	if (*ptr) {
		free_block(*ptr);
		*ptr = 0;
	}
	return 0;
}

/* Free the blocks beyond newsize, and the indirect block if no longer needed. */
static void
file_truncate_blocks(struct File *f, off_t newsize)
{
	uint32_t bno, old_nblocks = (f->f_size + BLKSIZE - 1) / BLKSIZE;
	uint32_t new_nblocks = (newsize + BLKSIZE - 1) / BLKSIZE;
	int r;

	for (bno = new_nblocks; bno < old_nblocks; bno++)
		if ((r = file_free_block(f, bno)) < 0)
			cprintf("warning: file_free_block: %e\n", r);
	if (new_nblocks <= NDIRECT && f->f_indirect) {
		free_block(f->f_indirect);
		f->f_indirect = 0;
	}
}

int
file_set_size(struct File *f, off_t newsize)
{
	if (newsize < 0 || newsize > MAXFILESIZE)
		return -E_INVAL;
	if (f->f_size > newsize)
		file_truncate_blocks(f, newsize);
	f->f_size = newsize;
	flush_block(f);
	return 0;
}

/* Write f's data blocks, its indirect block and its File to disk. */
void
file_flush(struct File *f)
{
	uint32_t bno, *pdiskbno;

	for (bno = 0; bno < (f->f_size + BLKSIZE - 1) / BLKSIZE; bno++) {
		if (file_block_walk(f, bno, &pdiskbno, false) < 0 || !pdiskbno || !*pdiskbno)
			continue;
		flush_block(diskaddr(*pdiskbno));
	}
	flush_block(f);
	if (f->f_indirect)
		flush_block(diskaddr(f->f_indirect));
}

/*
 * Remove file f from its directory, freeing its blocks. Not the root,
 * and not a directory that still has entries: their Files would live on
 * in a freed block.
 */
int
file_remove(struct File *f)
{
	if (f == &super->s_root || (f->f_type == FTYPE_DIR && !dir_is_empty(f)))
		return -E_INVAL;
	file_truncate_blocks(f, 0);
	f->f_name[0] = '\0';
	f->f_size = 0;
	flush_block(f);
	return 0;
}

/* Write every dirty cached block to disk. */
void
fs_sync(void)
{
	uint32_t i;

	for (i = 1; i < super->s_nblocks; i++)
		flush_block(diskaddr(i));
}
