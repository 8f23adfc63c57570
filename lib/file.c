/*
 * Files: descriptors whose operations are requests to the file server
 * (fs/serv.c). A request goes in the shared page fsipcbuf; the reply
 * value is the result, and a read's bytes come back in the same page.
 */
#include <inc/lib.h>

union Fsipc fsipcbuf __attribute__((aligned(PGSIZE)));

static ssize_t devfile_read(struct Fd *fd, void *buf, size_t n);
static ssize_t devfile_write(struct Fd *fd, const void *buf, size_t n);
static int devfile_flush(struct Fd *fd);
static int devfile_stat(struct Fd *fd, struct Stat *stat);
static int devfile_trunc(struct Fd *fd, off_t newsize);

struct Dev devfile = {
	.dev_id = 'f',
	.dev_name = "file",
	.dev_read = devfile_read,
	.dev_close = devfile_flush,
	.dev_stat = devfile_stat,
	.dev_write = devfile_write,
	.dev_trunc = devfile_trunc,
};

/*
 * Send request type with fsipcbuf to the file server and return its
 * answer. A reply page, if any, is mapped at dstva.
 */
static int
fsipc(unsigned type, void *dstva)
{
	static envid_t fsenv;

	if (fsenv == 0)
		fsenv = ipc_find_env(ENV_TYPE_FS);
	if (fsenv == 0)
		return -E_NOT_SUPP;	/* no file server in this system */
	ipc_send(fsenv, type, &fsipcbuf, PTE_P | PTE_W | PTE_U);
	return ipc_recv(NULL, dstva, NULL);
}

/* Open path with mode (O_* flags); returns the new descriptor number. */
int
open(const char *path, int mode)
{
	struct Fd *fd;
	int r;

	if (strlen(path) >= MAXPATHLEN)
		return -E_BAD_PATH;
	if ((r = fd_alloc(&fd)) < 0)
		return r;
	strcpy(fsipcbuf.open.req_path, path);
	fsipcbuf.open.req_omode = mode;
	if ((r = fsipc(FSREQ_OPEN, fd)) < 0) {
		fd_close(fd, 0);
		return r;
	}
	return fd2num(fd);
}

/* Closing a file writes its dirty blocks to disk. */
static int
devfile_flush(struct Fd *fd)
{
	fsipcbuf.flush.req_fileid = fd->fd_file.id;
	return fsipc(FSREQ_FLUSH, NULL);
}

/* Read up to n bytes (at most FSREQ_DATA_MAX per call). */
static ssize_t
devfile_read(struct Fd *fd, void *buf, size_t n)
{
	int r;

	n = MIN(n, (size_t) FSREQ_DATA_MAX);
	fsipcbuf.read.req_fileid = fd->fd_file.id;
	fsipcbuf.read.req_n = n;
	if ((r = fsipc(FSREQ_READ, NULL)) < 0)
		return r;
	/* The reply overwrote the request: the bytes fill the page. */
	assert((size_t) r <= n);
	memmove(buf, fsipcbuf.readRet.ret_buf, r);
	return r;
}

/* Write all n bytes, FSREQ_DATA_MAX at a time. */
static ssize_t
devfile_write(struct Fd *fd, const void *buf, size_t n)
{
	size_t done = 0, chunk;
	int r;

	while (done < n) {
		chunk = MIN(n - done, (size_t) FSREQ_DATA_MAX);
		fsipcbuf.write.req_fileid = fd->fd_file.id;
		fsipcbuf.write.req_n = chunk;
		memmove(fsipcbuf.write.req_buf, (const char *) buf + done, chunk);
		if ((r = fsipc(FSREQ_WRITE, NULL)) <= 0)
			return done ? (ssize_t) done : r;	/* 0: the server wrote nothing */
		done += r;
	}
	return done;
}

static int
devfile_stat(struct Fd *fd, struct Stat *st)
{
	int r;

	fsipcbuf.stat.req_fileid = fd->fd_file.id;
	if ((r = fsipc(FSREQ_STAT, NULL)) < 0)
		return r;
	strcpy(st->st_name, fsipcbuf.statRet.ret_name);
	st->st_size = fsipcbuf.statRet.ret_size;
	st->st_isdir = fsipcbuf.statRet.ret_isdir;
	return 0;
}

static int
devfile_trunc(struct Fd *fd, off_t newsize)
{
	fsipcbuf.set_size.req_fileid = fd->fd_file.id;
	fsipcbuf.set_size.req_size = newsize;
	return fsipc(FSREQ_SET_SIZE, NULL);
}

int
remove(const char *path)
{
	if (strlen(path) >= MAXPATHLEN)
		return -E_BAD_PATH;
	strcpy(fsipcbuf.remove.req_path, path);
	return fsipc(FSREQ_REMOVE, NULL);
}

/* Write every dirty block of every file to disk. */
int
sync(void)
{
	return fsipc(FSREQ_SYNC, NULL);
}

/*
 * Tell the file server that path is guest's disk: the only file the
 * guest may reach. Only the guest's creator may do this. With a
 * template, path is created as a fresh copy of it - copy-on-write, so
 * making it costs nothing until the guest writes.
 */
int
fs_guest_disk(envid_t guest, const char *path, const char *template)
{
	if (strlen(path) >= MAXPATHLEN || (template && strlen(template) >= MAXPATHLEN))
		return -E_BAD_PATH;
	fsipcbuf.guest_disk.req_guest = guest;
	strcpy(fsipcbuf.guest_disk.req_path, path);
	strcpy(fsipcbuf.guest_disk.req_template, template ? template : "");
	return fsipc(FSREQ_GUEST_DISK, NULL);
}
