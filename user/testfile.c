/*
 * Test the file server, first by speaking its protocol directly
 * (inc/fs.h: the request number as the IPC value, the arguments in a
 * shared page) and then through the library's open/read/write/stat.
 * Each property checked prints one "... is good" line; anything wrong
 * panics, naming what it got.
 *
 * The direct requests use a page of our own, not the library's, and a
 * struct Fd received at FVA, an address the descriptor table never uses.
 */
#include <inc/lib.h>

#define FVA		((struct Fd *) 0xCCCCC000)
#define MAXTEXT		(4 * PGSIZE)	/* room for /newmotd */
#define LARGE_SIZE	(384 * BLKSIZE + 1234)	/* 1.5 MB: direct and indirect blocks, a partial last block */
#define LARGE_CHUNK	3000		/* writes straddle block boundaries */

static union Fsipc req __attribute__((aligned(PGSIZE)));
static char text[MAXTEXT], text2[MAXTEXT];
static char chunk[2 * PGSIZE];

static const char msg[] = "This is the NEW message of the day!\n\n";

/* Send request type to the file server; a reply page goes to dstva. */
static int
fsipc(unsigned type, void *dstva)
{
	static envid_t fsenv;
	envid_t from;
	int r;

	if (fsenv == 0 && (fsenv = ipc_find_env(ENV_TYPE_FS)) == 0)
		panic("testfile: no file server environment");
	ipc_send(fsenv, type, &req, PTE_P | PTE_W | PTE_U);
	r = ipc_recv(&from, dstva, NULL);
	if (from != fsenv)
		panic("testfile: reply from %08x, not the file server %08x", from, fsenv);
	return r;
}

static int
raw_open(const char *path, int mode)
{
	strcpy(req.open.req_path, path);
	req.open.req_omode = mode;
	return fsipc(FSREQ_OPEN, FVA);
}

static int
raw_stat(int fileid)
{
	req.stat.req_fileid = fileid;
	return fsipc(FSREQ_STAT, NULL);
}

static int
raw_read(int fileid, int64_t n)
{
	req.read.req_fileid = fileid;
	req.read.req_n = n;
	return fsipc(FSREQ_READ, NULL);
}

/* Read the file behind fileid to its end into buf; returns the size. */
static size_t
raw_read_all(int fileid, char *buf, size_t max)
{
	size_t tot = 0;
	int r;

	while ((r = raw_read(fileid, FSREQ_DATA_MAX)) > 0) {
		if (r > FSREQ_DATA_MAX)
			panic("serve_read returned %d bytes, asked for at most %d",
			      r, (int) FSREQ_DATA_MAX);
		if (tot + r > max)
			panic("serve_read: more than %ld bytes", (long) max);
		memmove(buf + tot, req.readRet.ret_buf, r);
		tot += r;
	}
	if (r < 0)
		panic("serve_read: %e", r);
	return tot;
}

/* The pattern of the large file: each aligned 4-byte word holds its offset. */
static uint8_t
pattern(size_t off)
{
	uint32_t word = off & ~3;

	return word >> (8 * (off & 3));
}

static void
fill_pattern(char *buf, size_t off, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		buf[i] = pattern(off + i);
}

static void
check_pattern(const char *buf, size_t off, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((uint8_t) buf[i] != pattern(off + i))
			panic("large file: byte %ld is %02x, expected %02x",
			      (long) (off + i), (uint8_t) buf[i], pattern(off + i));
}

/* Open, stat, read and close through the protocol. Returns /newmotd's size. */
static size_t
test_protocol(void)
{
	size_t n;
	int r, id;

	if ((r = raw_open("/not-found", O_RDONLY)) != -E_NOT_FOUND)
		panic("serve_open /not-found: got %e, expected %e", r, -E_NOT_FOUND);
	if ((r = raw_open("/newmotd", O_RDONLY)) < 0)
		panic("serve_open /newmotd: %e", r);
	if (FVA->fd_dev_id != devfile.dev_id || FVA->fd_offset != 0 ||
	    (FVA->fd_omode & O_ACCMODE) != O_RDONLY)
		panic("serve_open returned a bad Fd: dev %d offset %ld mode %x",
		      FVA->fd_dev_id, (long) FVA->fd_offset, FVA->fd_omode);
	cprintf("serve_open is good\n");

	id = FVA->fd_file.id;
	if ((r = raw_stat(id)) < 0)
		panic("serve_stat: %e", r);
	if (strcmp(req.statRet.ret_name, "newmotd") != 0 || req.statRet.ret_isdir)
		panic("serve_stat: name '%s' isdir %d, expected 'newmotd' 0",
		      req.statRet.ret_name, req.statRet.ret_isdir);
	n = req.statRet.ret_size;
	if (n == 0 || n > MAXTEXT)
		panic("serve_stat: size %ld", (long) n);
	cprintf("file_stat is good\n");

	if ((r = raw_read_all(id, text, MAXTEXT)) != n)
		panic("serve_read: got %d bytes, stat said %ld", r, (long) n);
	if (FVA->fd_offset != n)
		panic("serve_read left the offset at %ld, not %ld",
		      (long) FVA->fd_offset, (long) n);
	/* A request larger than a page must not overflow the reply. */
	FVA->fd_offset = 0;
	if ((r = raw_read(id, (int64_t) 1 << 40)) < 0 || r > PGSIZE ||
	    memcmp(req.readRet.ret_buf, text, MIN((size_t) r, n)) != 0)
		panic("serve_read of 2^40 bytes: got %d", r);
	cprintf("file_read is good\n");

	/* Opened read-only: the server itself refuses writes and truncation. */
	req.write.req_fileid = id;
	req.write.req_n = 1;
	if ((r = fsipc(FSREQ_WRITE, NULL)) != -E_INVAL)
		panic("serve_write to a read-only file: got %d (%e), expected %e",
		      r, r, -E_INVAL);
	req.set_size.req_fileid = id;
	req.set_size.req_size = 0;
	if ((r = fsipc(FSREQ_SET_SIZE, NULL)) != -E_INVAL)
		panic("serve_set_size of a read-only file: got %d (%e), expected %e",
		      r, r, -E_INVAL);
	cprintf("read-only file is good\n");

	req.flush.req_fileid = id;
	if ((r = fsipc(FSREQ_FLUSH, NULL)) < 0)
		panic("serve_flush: %e", r);
	if ((r = sys_page_unmap(0, FVA)) < 0)
		panic("sys_page_unmap: %e", r);
	cprintf("file_close is good\n");

	/* The id is stale now; ids never handed out are no better. */
	if ((r = raw_read(id, 1)) != -E_INVAL)
		panic("serve_read of closed file id %d: got %d (%e), expected %e",
		      id, r, r, -E_INVAL);
	if ((r = raw_stat(id)) != -E_INVAL)
		panic("serve_stat of closed file id %d: got %d (%e), expected %e",
		      id, r, r, -E_INVAL);
	if ((r = raw_stat(-1)) != -E_INVAL || (r = raw_stat(0x7fffff00)) != -E_INVAL)
		panic("serve_stat of a file id never opened: got %d (%e), expected %e",
		      r, r, -E_INVAL);
	cprintf("stale fileid is good\n");
	return n;
}

/* The same file through open/fstat/read must give the same answers. */
static void
test_library_open(size_t n)
{
	struct Stat st;
	struct Fd *fd;
	int f, r;

	if ((r = open("/not-found", O_RDONLY)) != -E_NOT_FOUND)
		panic("open /not-found: got %e, expected %e", r, -E_NOT_FOUND);
	if ((f = open("/newmotd", O_RDONLY)) < 0)
		panic("open /newmotd: %e", f);
	if ((r = fd_lookup(f, &fd)) < 0)
		panic("fd_lookup(%d) after open: %e", f, r);
	if (fd->fd_dev_id != devfile.dev_id || fd->fd_offset != 0 ||
	    (fd->fd_omode & O_ACCMODE) != O_RDONLY)
		panic("open returned a bad Fd: dev %d offset %ld mode %x",
		      fd->fd_dev_id, (long) fd->fd_offset, fd->fd_omode);
	if ((r = fstat(f, &st)) < 0)
		panic("fstat: %e", r);
	if (st.st_size != n || strcmp(st.st_name, "newmotd") != 0 || st.st_isdir)
		panic("fstat: size %ld name '%s' isdir %d, expected %ld 'newmotd' 0",
		      (long) st.st_size, st.st_name, st.st_isdir, (long) n);
	memset(&st, 0, sizeof(st));
	if ((r = stat("/newmotd", &st)) < 0 || st.st_size != n ||
	    strcmp(st.st_name, "newmotd") != 0)
		panic("stat /newmotd: %e, size %ld name '%s'",
		      r, (long) st.st_size, st.st_name);
	if ((r = readn(f, text2, sizeof(text2))) != n || memcmp(text, text2, n) != 0)
		panic("read of /newmotd: got %d bytes, differing from serve_read's %ld",
		      r, (long) n);
	if ((r = read(f, text2, 1)) != 0)
		panic("read at the end of /newmotd: got %d, expected 0", r);
	if ((r = close(f)) < 0)
		panic("close: %e", r);
	cprintf("open is good\n");
}

static void
test_write(void)
{
	struct Stat st;
	size_t n = strlen(msg);
	int f, r;

	if ((f = open("/new-file", O_RDWR | O_CREAT | O_TRUNC)) < 0)
		panic("open /new-file with O_CREAT: %e", f);
	if ((r = write(f, msg, n)) != n)
		panic("write /new-file: got %d (%e), expected %ld", r, r, (long) n);
	if ((r = fstat(f, &st)) < 0 || st.st_size != n)
		panic("fstat after write: %e, size %ld, expected %ld",
		      r, (long) st.st_size, (long) n);
	cprintf("file_write is good\n");

	if ((r = seek(f, 0)) < 0)
		panic("seek: %e", r);
	memset(text2, 0, sizeof(text2));
	if ((r = readn(f, text2, sizeof(text2))) != n || memcmp(text2, msg, n) != 0)
		panic("read after write: got %d bytes '%s'", r, text2);
	if ((r = close(f)) < 0)
		panic("close: %e", r);
	/* And once more from a fresh open. */
	if ((f = open("/new-file", O_RDONLY)) < 0)
		panic("open /new-file again: %e", f);
	memset(text2, 0, sizeof(text2));
	if ((r = readn(f, text2, sizeof(text2))) != n || memcmp(text2, msg, n) != 0)
		panic("read after reopen: got %d bytes '%s'", r, text2);
	close(f);
	cprintf("file_read after file_write is good\n");
}

/*
 * Write a file with direct and indirect blocks in odd-sized pieces,
 * then read it back in other sizes, checking every byte.
 */
static void
test_large_file(void)
{
	struct Stat st;
	size_t off, n;
	int f, r;

	if ((f = open("/big", O_WRONLY | O_CREAT | O_TRUNC)) < 0)
		panic("open /big: %e", f);
	for (off = 0; off < LARGE_SIZE; off += n) {
		n = MIN(LARGE_SIZE - off, (size_t) LARGE_CHUNK);
		fill_pattern(chunk, off, n);
		if ((r = write(f, chunk, n)) != n)
			panic("write /big at %ld: got %d (%e)", (long) off, r, r);
	}
	if ((r = close(f)) < 0)
		panic("close /big: %e", r);

	if ((f = open("/big", O_RDONLY)) < 0)
		panic("open /big for reading: %e", f);
	if ((r = fstat(f, &st)) < 0 || st.st_size != LARGE_SIZE)
		panic("fstat /big: %e, size %ld, expected %ld",
		      r, (long) st.st_size, (long) LARGE_SIZE);
	for (off = 0; off < LARGE_SIZE; off += n) {
		n = MIN(LARGE_SIZE - off, sizeof(chunk));
		if ((r = readn(f, chunk, n)) != n)
			panic("read /big at %ld: got %d (%e), expected %ld",
			      (long) off, r, r, (long) n);
		check_pattern(chunk, off, n);
	}
	if ((r = read(f, chunk, 1)) != 0)
		panic("read past the end of /big: got %d", r);
	/* A read in the middle of a block in the indirect range. */
	off = 57 * BLKSIZE + 13;
	if ((r = seek(f, off)) < 0 || (r = readn(f, chunk, 100)) != 100)
		panic("read /big at %ld after seek: got %d", (long) off, r);
	check_pattern(chunk, off, 100);
	close(f);
	cprintf("large file is good\n");
}

void
umain(int argc, char **argv)
{
	size_t n = test_protocol();

	test_library_open(n);
	test_write();
	test_large_file();
}
