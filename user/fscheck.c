/*
 * fscheck: check the file system as a client sees it, through the file
 * server. It walks the tree from /, reading each directory as the array
 * of struct File it is, and checks what a client can check:
 *   - every name is terminated within MAXNAMELEN and holds no '/';
 *   - every type is FTYPE_REG or FTYPE_DIR, every size is within
 *     [0, MAXFILESIZE], and a directory's size is whole blocks;
 *   - no file names a direct block past its size, nor an indirect block
 *     when its direct blocks suffice;
 *   - no block is named twice (direct and indirect blocks, all files);
 *   - the first bytes of every regular file read back.
 * It ends with "fscheck: N files, N directories, N blocks: consistent",
 * or with one "fscheck: BAD ..." line per problem and a count. fsabuse
 * and fsfuzz run it after their attacks; it also runs from the shell.
 */
#include <inc/lib.h>

#define MAXDEPTH	16		/* directories deep */
#define MAXBLOCKNO	(1 << 20)	/* beyond any disk the server handles */
#define PROBE		512		/* bytes read from each file */
#define FIRST_DATA_BLOCK (BITMAP_BLOCKNO + 1)	/* no file may name a block below */

static uint8_t seen[MAXBLOCKNO / 8];	/* blocks named so far */
static char path[MAXPATHLEN];
static char probe[PROBE];
static int nfiles, ndirs, nblocks, nproblems;

static void
problem(const char *what, uint32_t n)
{
	cprintf("fscheck: BAD %s: %s (%u)\n", path[0] ? path : "/", what, n);
	nproblems++;
}

/* Count block b as named once more; complain if it was named before. */
static void
claim_block(uint32_t b)
{
	if (b < FIRST_DATA_BLOCK || b >= MAXBLOCKNO) {
		problem("block number out of range", b);
		return;
	}
	if (seen[b / 8] & (1 << (b % 8)))
		problem("block named twice", b);
	seen[b / 8] |= 1 << (b % 8);
	nblocks++;
}

static void
check_blocks(const struct File *f)
{
	uint32_t i, used = (f->f_size + BLKSIZE - 1) / BLKSIZE;

	for (i = 0; i < NDIRECT; i++) {
		if (f->f_direct[i] && i >= used)
			problem("direct block past the end", f->f_direct[i]);
		else if (f->f_direct[i])
			claim_block(f->f_direct[i]);
	}
	if (f->f_indirect && used <= NDIRECT)
		problem("indirect block of a small file", f->f_indirect);
	else if (f->f_indirect)
		claim_block(f->f_indirect);
}

/* The File's own fields; false if it is too broken to look further. */
static bool
check_fields(const struct File *f)
{
	if (strnlen(f->f_name, MAXNAMELEN) == MAXNAMELEN) {
		problem("unterminated name", MAXNAMELEN);
		return false;
	}
	if (strchr(f->f_name, '/'))
		problem("'/' in a name", 0);
	if (f->f_type != FTYPE_REG && f->f_type != FTYPE_DIR) {
		problem("unknown type", f->f_type);
		return false;
	}
	if (f->f_size < 0 || f->f_size > MAXFILESIZE) {
		problem("size out of range", f->f_size);
		return false;
	}
	if (f->f_type == FTYPE_DIR && f->f_size % BLKSIZE)
		problem("directory size is not whole blocks", f->f_size);
	return true;
}

/* The first bytes of the regular file at path must read back. */
static void
check_readable(const struct File *f)
{
	size_t want = MIN((size_t) f->f_size, sizeof probe);
	int fd, r;

	if ((fd = open(path, O_RDONLY)) < 0) {
		problem("cannot open", -fd);
		return;
	}
	if ((r = readn(fd, probe, want)) != (int) want)
		problem("short read", r < 0 ? -r : r);
	close(fd);
}

static void check_dir(int depth);

/* The entry f of the directory at path; path is extended by its name meanwhile. */
static void
check_entry(const struct File *f, int depth)
{
	size_t len = strlen(path);

	if (len + 1 + strnlen(f->f_name, MAXNAMELEN) >= MAXPATHLEN) {
		problem("path too long", len);
		return;
	}
	snprintf(path + len, MAXPATHLEN - len, "/%s", f->f_name);
	if (check_fields(f)) {
		check_blocks(f);
		if (f->f_type == FTYPE_DIR) {
			ndirs++;
			check_dir(depth + 1);
		} else {
			nfiles++;
			check_readable(f);
		}
	}
	path[len] = '\0';
}

static void
check_dir(int depth)
{
	static struct File f[MAXDEPTH];		/* one entry per level: the stack is small */
	int fd, r;

	if (depth >= MAXDEPTH) {
		problem("directories too deep", depth);
		return;
	}
	if ((fd = open(path[0] ? path : "/", O_RDONLY)) < 0) {
		problem("cannot open directory", -fd);
		return;
	}
	while ((r = readn(fd, &f[depth], sizeof f[depth])) == sizeof f[depth])
		if (f[depth].f_name[0] != '\0')
			check_entry(&f[depth], depth);
	if (r != 0)
		problem("directory read ends badly", r < 0 ? -r : r);
	close(fd);
}

void
umain(int argc, char **argv)
{
	struct Stat st;
	int r;

	binaryname = "fscheck";
	if ((r = stat("/", &st)) < 0 || !st.st_isdir || st.st_size % BLKSIZE)
		problem("the root is not a directory of whole blocks", r < 0 ? -r : st.st_size);
	path[0] = '\0';
	check_dir(0);
	if (nproblems == 0)
		cprintf("fscheck: %d files, %d directories, %d blocks: consistent\n",
			nfiles, ndirs, nblocks);
	else
		cprintf("fscheck: %d problems\n", nproblems);
}
