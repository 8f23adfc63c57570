/*
 * fsformat: build a JOS file system image on the host.
 *
 *   fsformat IMAGE NBLOCKS [-d DIR | FILE | DEST=FILE]...
 *
 * makes IMAGE, NBLOCKS blocks of BLKSIZE bytes in the format of
 * inc/fs.h, and processes the remaining arguments in order:
 *
 *   -d DIR      create directory /DIR (and any missing parents);
 *               an existing directory is fine
 *   FILE        copy host file FILE to the root under its base name
 *   DEST=FILE   copy host file FILE to /DEST; DEST's directory
 *               (e.g. "vmm" in vmm/kernel=obj/kern/kernel) must exist
 *
 * For example: fsformat fs.img 1024 -d vmm obj/user/sh vmm/kernel=kernel
 *
 * The image is built in memory and written only when every argument
 * has been processed, so an error (missing host file, full image, name
 * too long, file too big) leaves no image behind. Blocks are handed out
 * in order after the boot block, the superblock and the bitmap; each
 * one used is marked in the bitmap (bit set = free), so the file
 * server's consistency checks hold.
 *
 * This is a host program. The only host headers it uses agree with
 * inc/types.h (same underlying types for the fixed-width integers,
 * size_t, ssize_t and off_t; no <stdbool.h>, <stddef.h> or
 * <sys/param.h>, whose bool/offsetof/MIN would clash), and they come
 * first so that inc/types.h's NULL guard keeps the host's NULL.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <inc/fs.h>

_Static_assert(sizeof(struct File) == 256, "struct File must be 256 bytes");
_Static_assert(sizeof(struct Super) <= BLKSIZE, "superblock too big");

/* Bigger images would need too much host memory to build this way. */
#define MAXBLOCKS	(1u << 19)		/* 2 GB */

static const char *imgpath;
static uint8_t *disk;			/* the whole image */
static uint32_t nblocks;
static uint32_t nextblock;		/* next block to hand out */
static struct Super *super;

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fsformat: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(1);
}

static void *
blockaddr(uint32_t blockno)
{
	return disk + (size_t) blockno * BLKSIZE;
}

static uint32_t
bitmap_blocks(uint32_t n)
{
	return (n + BLKBITSIZE - 1) / BLKBITSIZE;
}

static void
mark_free(uint32_t blockno)
{
	uint32_t *bitmap = blockaddr(BITMAP_BLOCKNO);

	bitmap[blockno / 32] |= 1u << (blockno % 32);
}

static void
mark_used(uint32_t blockno)
{
	uint32_t *bitmap = blockaddr(BITMAP_BLOCKNO);

	bitmap[blockno / 32] &= ~(1u << (blockno % 32));
}

/* A zeroed block, marked in use. */
static uint32_t
alloc_block(void)
{
	uint32_t b;

	if (nextblock >= nblocks)
		die("%s: image full (%u blocks)", imgpath, nblocks);
	b = nextblock++;
	mark_used(b);
	return b;
}

/* Every block starts free; then boot block, superblock and bitmap are taken. */
static void
disk_init(void)
{
	uint32_t b, nbitblocks = bitmap_blocks(nblocks);

	if (nblocks < BITMAP_BLOCKNO + nbitblocks + 1 || nblocks > MAXBLOCKS)
		die("NBLOCKS must be between %u and %u", BITMAP_BLOCKNO + nbitblocks + 1,
		    MAXBLOCKS);
	if ((disk = calloc(nblocks, BLKSIZE)) == NULL)
		die("out of memory for %u blocks", nblocks);
	for (b = 0; b < nblocks; b++)
		mark_free(b);
	for (b = 0; b < BITMAP_BLOCKNO + nbitblocks; b++)
		mark_used(b);
	nextblock = BITMAP_BLOCKNO + nbitblocks;

	super = blockaddr(SUPER_BLOCKNO);
	super->s_magic = FS_MAGIC;
	super->s_nblocks = nblocks;
	strcpy(super->s_root.f_name, "/");
	super->s_root.f_type = FTYPE_DIR;
}

/* The number of f's block i (which must exist). */
static uint32_t
file_block(struct File *f, uint32_t i)
{
	if (i < NDIRECT)
		return f->f_direct[i];
	return ((uint32_t *) blockaddr(f->f_indirect))[i - NDIRECT];
}

/* Give f a fresh block i (the next one), allocating the indirect block if needed. */
static uint32_t
file_append_block(struct File *f, uint32_t i, const char *what)
{
	uint32_t b;

	if (i >= NDIRECT + NINDIRECT)
		die("%s: too big (the limit is %u bytes)", what, (unsigned) MAXFILESIZE);
	if (i >= NDIRECT && f->f_indirect == 0)
		f->f_indirect = alloc_block();
	b = alloc_block();
	if (i < NDIRECT)
		f->f_direct[i] = b;
	else
		((uint32_t *) blockaddr(f->f_indirect))[i - NDIRECT] = b;
	return b;
}

/* A fresh entry in directory dir, growing it by a block if all entries are taken. */
static struct File *
dir_alloc_entry(struct File *dir, const char *what)
{
	uint32_t i, j, nblk = dir->f_size / BLKSIZE;
	struct File *ents;

	for (i = 0; i < nblk; i++) {
		ents = blockaddr(file_block(dir, i));
		for (j = 0; j < BLKFILES; j++)
			if (ents[j].f_name[0] == '\0')
				return &ents[j];
	}
	ents = blockaddr(file_append_block(dir, nblk, what));
	dir->f_size += BLKSIZE;
	return ents;
}

static struct File *
dir_lookup(struct File *dir, const char *name)
{
	uint32_t i, j, nblk = dir->f_size / BLKSIZE;
	struct File *ents;

	for (i = 0; i < nblk; i++) {
		ents = blockaddr(file_block(dir, i));
		for (j = 0; j < BLKFILES; j++)
			if (strcmp(ents[j].f_name, name) == 0)
				return &ents[j];
	}
	return NULL;
}

/* A new, empty entry called name in dir; path is for messages. */
static struct File *
create_entry(struct File *dir, const char *name, uint32_t type, const char *path)
{
	struct File *f;

	if (name[0] == '\0')
		die("%s: empty name", path);
	if (strlen(name) >= MAXNAMELEN)
		die("%s: name too long (at most %d bytes)", path, MAXNAMELEN - 1);
	if (dir_lookup(dir, name) != NULL)
		die("%s: already exists", path);
	f = dir_alloc_entry(dir, path);
	memset(f, 0, sizeof(*f));
	strcpy(f->f_name, name);
	f->f_type = type;
	return f;
}

/*
 * Walk the directories of path from the root, one component at a time.
 * With mkdirs, missing directories are created; otherwise a missing one
 * is an error (what names the argument in messages). Returns the last
 * directory reached.
 */
static struct File *
walk_dirs(const char *path, int mkdirs, const char *what)
{
	char buf[MAXPATHLEN], *name, *save;
	struct File *dir = &super->s_root, *f;

	if (strlen(path) >= sizeof(buf))
		die("%s: path too long", what);
	strcpy(buf, path);
	for (name = strtok_r(buf, "/", &save); name; name = strtok_r(NULL, "/", &save)) {
		if ((f = dir_lookup(dir, name)) != NULL && f->f_type != FTYPE_DIR)
			die("%s: %s is not a directory", what, name);
		if (f == NULL && !mkdirs)
			die("%s: no directory %s in the image (make it with -d)", what, name);
		if (f == NULL)
			f = create_entry(dir, name, FTYPE_DIR, what);
		dir = f;
	}
	return dir;
}

/* Fill f with the contents of the open host file fp. */
static void
copy_data(struct File *f, FILE *fp, const char *hostpath)
{
	static uint8_t buf[BLKSIZE];
	uint32_t i;
	size_t n;

	for (i = 0; (n = fread(buf, 1, BLKSIZE, fp)) > 0; i++) {
		if ((uint64_t) f->f_size + n > MAXFILESIZE)
			die("%s: too big (the limit is %u bytes)", hostpath,
			    (unsigned) MAXFILESIZE);
		memcpy(blockaddr(file_append_block(f, i, hostpath)), buf, n);
		f->f_size += n;
	}
	if (ferror(fp))
		die("%s: %s", hostpath, strerror(errno));
}

/* "DEST=FILE" or "FILE": put host file FILE at /DEST or /basename(FILE). */
static void
add_file(const char *arg)
{
	char dest[MAXPATHLEN], *slash, *name;
	const char *hostpath, *eq = strchr(arg, '=');
	struct File *dir, *f;
	FILE *fp;

	hostpath = eq ? eq + 1 : arg;
	if (eq && (size_t) (eq - arg) >= sizeof(dest))
		die("%s: path too long", arg);
	if (eq)
		snprintf(dest, sizeof(dest), "%.*s", (int) (eq - arg), arg);
	else
		snprintf(dest, sizeof(dest), "%s", (slash = strrchr(arg, '/')) ? slash + 1 : arg);

	if ((slash = strrchr(dest, '/')) != NULL) {
		*slash = '\0';
		dir = walk_dirs(dest, 0, arg);
		*slash = '/';
		name = slash + 1;
	} else {
		dir = &super->s_root;
		name = dest;
	}
	if ((fp = fopen(hostpath, "rb")) == NULL)
		die("%s: %s", hostpath, strerror(errno));
	f = create_entry(dir, name, FTYPE_REG, dest);
	copy_data(f, fp, hostpath);
	fclose(fp);
}

static void
write_image(void)
{
	FILE *fp = fopen(imgpath, "wb");

	if (fp == NULL)
		die("%s: %s", imgpath, strerror(errno));
	if (fwrite(disk, BLKSIZE, nblocks, fp) != nblocks || fclose(fp) != 0) {
		unlink(imgpath);
		die("%s: write failed: %s", imgpath, strerror(errno));
	}
}

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: fsformat IMAGE NBLOCKS [-d DIR | FILE | DEST=FILE]...\n");
	exit(1);
}

int
main(int argc, char **argv)
{
	char *end;
	unsigned long n;
	int i;

	if (argc < 3)
		usage();
	imgpath = argv[1];
	n = strtoul(argv[2], &end, 0);
	if (*argv[2] == '\0' || *end != '\0' || n > MAXBLOCKS)
		die("bad NBLOCKS '%s' (at most %u)", argv[2], MAXBLOCKS);
	nblocks = n;
	/* A failed run must not leave an old image looking up to date. */
	unlink(imgpath);
	disk_init();

	for (i = 3; i < argc; i++) {
		if (strcmp(argv[i], "-d") == 0) {
			if (++i >= argc)
				usage();
			walk_dirs(argv[i], 1, argv[i]);
		} else {
			add_file(argv[i]);
		}
	}
	write_image();
	return 0;
}
