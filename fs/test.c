/*
 * The file server's self-checks, run at every start. They work on a
 * scratch file that is removed afterwards, so the disk is unchanged.
 */
#include "fs.h"

#define SCRATCH		"/.fs-selfcheck"

static const char msg[] = "This is the file server's self-check.\n";

static void
check_alloc_block(void)
{
	int r;

	assert((r = alloc_block()) > 0);
	assert(!block_is_free(r));
	free_block(r);
	assert(block_is_free(r));
	cprintf("alloc_block is good\n");
}

/* Open what fsformat put there, and fail on what it did not. */
static void
check_file_open(void)
{
	struct File *f;
	int r;

	if ((r = file_open("/not-found", &f)) != -E_NOT_FOUND)
		panic("file_open /not-found: %e", r);
	if ((r = file_open("/", &f)) < 0 || f != &super->s_root)
		panic("file_open /: %e", r);
	if ((r = file_create(SCRATCH, &f, FTYPE_REG)) < 0)
		panic("file_create %s: %e", SCRATCH, r);
	if ((r = file_open(SCRATCH, &f)) < 0)
		panic("file_open %s: %e", SCRATCH, r);
	cprintf("file_open is good\n");
}

static void
check_file_blocks(struct File *f)
{
	char *blk;
	int r;

	assert(file_write(f, msg, sizeof msg, 0) == sizeof msg);
	if ((r = file_get_block(f, 0, &blk)) < 0)
		panic("file_get_block: %e", r);
	assert(strcmp(blk, msg) == 0);
	assert(va_is_dirty(blk));
	cprintf("file_get_block is good\n");

	file_flush(f);
	assert(!va_is_dirty(blk));
	assert(!va_is_dirty(f));
	cprintf("file_flush is good\n");
}

/* Grow past the direct blocks, then truncate: every block comes back. */
static void
check_file_truncate(struct File *f)
{
	static char buf[BLKSIZE];
	size_t i;
	uint32_t free_before = 0, free_after = 0, b;

	for (b = 0; b < super->s_nblocks; b++)
		free_before += block_is_free(b);
	for (i = 0; i < NDIRECT + 2; i++)
		assert(file_write(f, buf, BLKSIZE, i * BLKSIZE) == BLKSIZE);
	assert(f->f_indirect != 0);
	assert(file_set_size(f, 0) == 0);
	assert(f->f_size == 0 && f->f_indirect == 0 && f->f_direct[0] == 0);
	for (b = 0; b < super->s_nblocks; b++)
		free_after += block_is_free(b);
	assert(free_after == free_before + 1);	/* the block of the first write too */
	cprintf("file_truncate is good\n");
}

/* A file of holes reads as zeros, and reading allocates nothing. */
static void
check_file_holes(struct File *f)
{
	static const off_t at[] = { BLKSIZE, (NDIRECT + 1) * BLKSIZE };	/* direct, indirect */
	char buf[16];
	size_t i, j;

	assert(file_set_size(f, (NDIRECT + 2) * BLKSIZE) == 0);
	for (i = 0; i < ARRAY_SIZE(at); i++) {
		memset(buf, 0xFF, sizeof buf);
		assert(file_read(f, buf, sizeof buf, at[i]) == sizeof buf);
		for (j = 0; j < sizeof buf; j++)
			assert(buf[j] == 0);
	}
	assert(f->f_direct[1] == 0 && f->f_indirect == 0);
	assert(file_set_size(f, 0) == 0);
	cprintf("file holes are good\n");
}

static void
check_file_rewrite(struct File *f)
{
	char buf[sizeof msg];

	assert(file_write(f, msg, sizeof msg, 0) == sizeof msg);
	file_flush(f);
	assert(file_read(f, buf, sizeof buf, 0) == sizeof msg);
	assert(memcmp(buf, msg, sizeof msg) == 0);
	assert(file_remove(f) == 0);
	assert(file_open(SCRATCH, &f) == -E_NOT_FOUND);
	cprintf("file rewrite is good\n");
}

void
fs_test(void)
{
	struct File *f;

	check_alloc_block();
	check_bc();
	check_file_open();
	assert(file_open(SCRATCH, &f) == 0);
	check_file_blocks(f);
	check_file_truncate(f);
	check_file_holes(f);
	check_file_rewrite(f);
}
