/*
 * The file server: an environment that owns the disk and answers file
 * requests over IPC (protocol in inc/fs.h). An open file is an OpenFile
 * slot holding the File and a struct Fd page that the server shares
 * with the client; the page's reference count tells whether any client
 * still holds it. A file id names the slot and its generation, so a
 * stale id (closed, removed, or reused since) or one never issued is
 * rejected.
 *
 * Clients are not trusted. Every request is checked and refused with an
 * error code, never by a panic: ids, modes, counts, sizes, offsets, and
 * paths (which must end within MAXPATHLEN). The request page and the Fd
 * page stay writable by the client while the server works, so what the
 * server relies on is read from them once. Directories are written by
 * the server alone: a client opens them for reading only.
 */
#include "fs.h"
#include <inc/x86.h>
#include <inc/vmx.h>

#define MAXOPEN		1024
#define FILEVA		0xD0000000UL	/* the Fd pages of open files */
#define REQVA		0x0FFFF000UL	/* where requests arrive */
#define IDE_STATUS_PORT	0x1F7
#define OPEN_FLAGS	(O_ACCMODE | O_CREAT | O_TRUNC | O_EXCL | O_MKDIR)	/* all a client may ask */

struct OpenFile {
	uint32_t o_fileid;	/* slot + generation * MAXOPEN */
	struct File *o_file;
	int o_mode;
	struct Fd *o_fd;	/* shared with the client */
};

static struct OpenFile opentab[MAXOPEN];
static union Fsipc *fsreq = (union Fsipc *) REQVA;

static void
serve_init(void)
{
	int i;

	for (i = 0; i < MAXOPEN; i++) {
		opentab[i].o_fileid = i;
		opentab[i].o_fd = (struct Fd *) (FILEVA + (uintptr_t) i * PGSIZE);
	}
}

/* A free slot: its Fd page is unmapped or held by the server alone. */
static int
openfile_alloc(struct OpenFile **o)
{
	int i, r;

	for (i = 0; i < MAXOPEN; i++) {
		switch (pageref(opentab[i].o_fd)) {
		case 0:
			if ((r = sys_page_alloc(0, opentab[i].o_fd, PTE_P | PTE_U | PTE_W)) < 0)
				return r;
			/* fall through */
		case 1:
			opentab[i].o_fileid += MAXOPEN;
			*o = &opentab[i];
			memset(opentab[i].o_fd, 0, PGSIZE);
			return opentab[i].o_fileid;
		}
	}
	return -E_MAX_OPEN;
}

/* The open file with this id, if some client still holds it. */
static int
openfile_lookup(uint32_t fileid, struct OpenFile **po)
{
	struct OpenFile *o = &opentab[fileid % MAXOPEN];

	if (pageref(o->o_fd) <= 1 || o->o_fileid != fileid)
		return -E_INVAL;
	*po = o;
	return 0;
}

/*
 * A path from a request: it must end within MAXPATHLEN bytes. It is
 * copied out first, as the client may change its page meanwhile.
 */
int
path_copy(char *dst, const char *src)
{
	size_t n = strnlen(src, MAXPATHLEN);

	if (n == MAXPATHLEN)
		return -E_BAD_PATH;
	memmove(dst, src, n + 1);
	return 0;
}

/*
 * Is omode one a client may ask for? A known access mode and known
 * flags; O_TRUNC only with write access; O_MKDIR only to create, and
 * for reading, since directories are the server's to write.
 */
static bool
valid_omode(int omode)
{
	int access = omode & O_ACCMODE;

	if ((omode & ~OPEN_FLAGS) || access == O_ACCMODE)
		return false;
	if ((omode & O_TRUNC) && access == O_RDONLY)
		return false;
	return !(omode & O_MKDIR) || ((omode & O_CREAT) && access == O_RDONLY);
}

/* The file to open, created if asked (and allowed). */
static int
open_or_create(const char *path, int omode, struct File **f)
{
	int r;

	if (!(omode & O_CREAT))
		return file_open(path, f);
	r = file_create(path, f, (omode & O_MKDIR) ? FTYPE_DIR : FTYPE_REG);
	if (r == -E_FILE_EXISTS && !(omode & O_EXCL))
		r = file_open(path, f);
	return r;
}

/*
 * Open (or create) the file; the reply page is its Fd. A directory
 * opens for reading only: its contents are Files, which only the
 * server may write.
 */
static int
serve_open(envid_t envid, struct Fsreq_open *req, void **pg_store, int *perm_store)
{
	static char path[MAXPATHLEN];
	int omode = req->req_omode;
	struct OpenFile *o;
	struct File *f;
	int fileid, r;

	if ((r = path_copy(path, req->req_path)) < 0)
		return r;
	if (!valid_omode(omode))
		return -E_INVAL;
	if ((fileid = openfile_alloc(&o)) < 0)
		return fileid;
	if ((r = open_or_create(path, omode, &f)) < 0)
		return r;
	if (f->f_type == FTYPE_DIR && (omode & O_ACCMODE) != O_RDONLY)
		return -E_INVAL;
	if ((omode & O_TRUNC) && (r = file_set_size(f, 0)) < 0)
		return r;

	o->o_file = f;
	o->o_mode = omode;
	o->o_fd->fd_file.id = o->o_fileid;
	o->o_fd->fd_omode = omode & O_ACCMODE;
	o->o_fd->fd_dev_id = devfile.dev_id;
	*pg_store = o->o_fd;
	*perm_store = PTE_P | PTE_U | PTE_W | PTE_SHARE;
	return 0;
}

/*
 * Like openfile_lookup, for a request that changes the file: it must be
 * open for writing, and a regular file (directories never are, but say so).
 */
static int
openfile_lookup_writable(uint32_t fileid, struct OpenFile **po)
{
	int r;

	if ((r = openfile_lookup(fileid, po)) < 0)
		return r;
	if (((*po)->o_mode & O_ACCMODE) == O_RDONLY || (*po)->o_file->f_type != FTYPE_REG)
		return -E_INVAL;
	return 0;
}

/* A removed file's ids go stale: its File slot may hold another file soon. */
static void
openfile_forget(struct File *f)
{
	int i;

	for (i = 0; i < MAXOPEN; i++)
		if (opentab[i].o_file == f)
			opentab[i].o_fileid += MAXOPEN;
}

static int
serve_set_size(envid_t envid, struct Fsreq_set_size *req)
{
	struct OpenFile *o;
	int r;

	if ((r = openfile_lookup_writable(req->req_fileid, &o)) < 0)
		return r;
	return file_set_size(o->o_file, req->req_size);
}

/*
 * Read at the descriptor's offset into the request page; advance the
 * offset. The offset lives in the Fd page, which the client can write:
 * file_read checks it. A count larger than the page is cut to the page.
 */
static int
serve_read(envid_t envid, union Fsipc *ipc)
{
	struct Fsreq_read *req = &ipc->read;
	int64_t n = req->req_n;
	struct OpenFile *o;
	int r;

	if ((r = openfile_lookup(req->req_fileid, &o)) < 0)
		return r;
	if (n < 0)
		return -E_INVAL;
	r = file_read(o->o_file, ipc->readRet.ret_buf,
		      MIN((size_t) n, sizeof(ipc->readRet.ret_buf)), o->o_fd->fd_offset);
	if (r > 0)
		o->o_fd->fd_offset += r;
	return r;
}

/* Write at the descriptor's offset; a count larger than the request holds is cut. */
static int
serve_write(envid_t envid, struct Fsreq_write *req)
{
	int64_t n = req->req_n;
	struct OpenFile *o;
	int r;

	if ((r = openfile_lookup_writable(req->req_fileid, &o)) < 0)
		return r;
	if (n < 0)
		return -E_INVAL;
	r = file_write(o->o_file, req->req_buf,
		       MIN((size_t) n, sizeof(req->req_buf)), o->o_fd->fd_offset);
	if (r > 0)
		o->o_fd->fd_offset += r;
	return r;
}

/* The name is copied by its bound: a damaged File need not hold a NUL. */
static int
serve_stat(envid_t envid, union Fsipc *ipc)
{
	struct OpenFile *o;
	size_t n;
	int r;

	if ((r = openfile_lookup(ipc->stat.req_fileid, &o)) < 0)
		return r;
	n = strnlen(o->o_file->f_name, MAXNAMELEN - 1);
	memmove(ipc->statRet.ret_name, o->o_file->f_name, n);
	ipc->statRet.ret_name[n] = '\0';
	ipc->statRet.ret_size = o->o_file->f_size;
	ipc->statRet.ret_isdir = (o->o_file->f_type == FTYPE_DIR);
	return 0;
}

static int
serve_flush(envid_t envid, struct Fsreq_flush *req)
{
	struct OpenFile *o;
	int r;

	if ((r = openfile_lookup(req->req_fileid, &o)) < 0)
		return r;
	file_flush(o->o_file);
	return 0;
}

/* Remove a file; whoever still has it open, or as a guest's disk, loses it. */
static int
serve_remove(envid_t envid, struct Fsreq_remove *req)
{
	static char path[MAXPATHLEN];
	struct File *f;
	int r;

	if ((r = path_copy(path, req->req_path)) < 0 || (r = file_open(path, &f)) < 0 ||
	    (r = file_remove(f)) < 0)
		return r;
	openfile_forget(f);
	guest_forget_file(f);
	return 0;
}

static int
serve_sync(envid_t envid, union Fsipc *req)
{
	fs_sync();
	return 0;
}

/* Handle one request; a reply page, if any, goes in *pg with *perm. */
static int
dispatch(envid_t whom, uint32_t req, void **pg, int *perm)
{
	switch (req) {
	case FSREQ_OPEN:
		return serve_open(whom, &fsreq->open, pg, perm);
	case FSREQ_SET_SIZE:
		return serve_set_size(whom, &fsreq->set_size);
	case FSREQ_READ:
		return serve_read(whom, fsreq);
	case FSREQ_WRITE:
		return serve_write(whom, &fsreq->write);
	case FSREQ_STAT:
		return serve_stat(whom, fsreq);
	case FSREQ_FLUSH:
		return serve_flush(whom, &fsreq->flush);
	case FSREQ_REMOVE:
		return serve_remove(whom, &fsreq->remove);
	case FSREQ_SYNC:
		return serve_sync(whom, fsreq);
	case FSREQ_GUEST_DISK:
		return serve_guest_disk(whom, &fsreq->guest_disk);
	default:
		return -E_INVAL;
	}
}

/*
 * Is envid the environment it names? Its slot of envs[] may have been
 * freed, or reused by another environment, since it sent.
 */
bool
env_alive(envid_t envid)
{
	const volatile struct Env *e = &envs[ENVX(envid)];
	unsigned status = e->env_status;

	return e->env_id == envid && status != ENV_FREE && status != ENV_DYING;
}

/*
 * Answering. Only a client blocked in ipc_recv can take an answer. One
 * that has sent but is not receiving yet - preempted, or running on
 * another CPU, perhaps waiting for the kernel lock - should get there
 * in a moment; one that is gone, or blocked otherwise, never will; one
 * that has been scheduled REPLY_RUNS times and still is not receiving
 * has had a whole time slice and does not want the answer.
 *
 * So a client that never waits costs the server at most REPLY_RUNS of
 * its time slices: on one CPU, that many yields. A yield hands the CPU
 * to the client if it is runnable; a client running on another CPU is
 * watched in envs[] with no system call, since the server's system
 * calls would take the kernel lock the client needs to start receiving.
 * (A count of yields alone is not enough on several CPUs: the server's
 * yields come faster than the client gets the lock, and 10,000 of them
 * made each unanswered request expensive.)
 */
#define REPLY_RUNS	2

enum { RECEIVING, NOT_YET, NEVER };

/* Where whom is on its way to ipc_recv; runs: its env_runs when we began. */
static int
receiver_state(const volatile struct Env *e, envid_t whom, uint32_t runs)
{
	unsigned status = e->env_status;	/* first: recv marks the env receiving, then blocks it */

	if (e->env_id != whom)
		return NEVER;
	if (e->env_ipc_recving && status == ENV_NOT_RUNNABLE)
		return RECEIVING;
	if ((status != ENV_RUNNABLE && status != ENV_RUNNING) || e->env_runs - runs >= REPLY_RUNS)
		return NEVER;
	return NOT_YET;
}

/* Wait until whom is receiving (true) or never will be (false). */
static bool
await_receiver(envid_t whom, uint32_t runs)
{
	const volatile struct Env *e = &envs[ENVX(whom)];
	int state;

	while ((state = receiver_state(e, whom, runs)) == NOT_YET) {
		if (e->env_status == ENV_RUNNABLE)
			sys_yield();
		else
			asm volatile("pause");	/* it runs elsewhere: leave the kernel lock alone */
	}
	return state == RECEIVING;
}

static void
reply(envid_t whom, int r, void *pg, int perm)
{
	uint32_t runs = envs[ENVX(whom)].env_runs;
	int err;

	while ((err = sys_ipc_try_send(whom, r, pg ? pg : (void *) UTOP, perm)) ==
	       -E_IPC_NOT_RECV && await_receiver(whom, runs))
		;
	if (err < 0 && err != -E_IPC_NOT_RECV && err != -E_BAD_ENV)
		cprintf("FS: cannot answer %08x: %e\n", whom, err);
}

/*
 * One request from whom, with the page it sent (if any) at fsreq. A
 * guest's goes to gdisk_host.c. A client's must come with a page the server
 * may write: the answer to a read or stat goes in it.
 */
static int
handle(envid_t whom, uint32_t req, int reqperm, void **pg, int *perm)
{
	if (live_guest(whom))
		return serve_guest(whom, req, (reqperm & PTE_P) ? (void *) fsreq : NULL);
	if (!(reqperm & PTE_P) || !(reqperm & PTE_W))
		return -E_INVAL;
	return dispatch(whom, req, pg, perm);
}

/*
 * A guest's held blocks go to the host's disk before the answer to any
 * request but a plain write (a close, a sync, ...); if they cannot, the
 * answer is the error.
 */
static int
written_back(int r)
{
	int e = bc_write_back();

	return (e < 0 && r >= 0) ? e : r;
}

static void
serve(void)
{
	int reqperm, perm, r;
	uint32_t req;
	envid_t whom;
	void *pg;

	for (;;) {
		reqperm = 0;
		req = ipc_recv(&whom, fsreq, &reqperm);
		pg = NULL;
		perm = 0;
		/* A sender that is gone already gets nothing done, and no answer. */
		if (env_alive(whom)) {
			r = handle(whom, req, reqperm, &pg, &perm);
			if (VMM_GUEST && req != FSREQ_WRITE)
				r = written_back(r);
			reply(whom, r, pg, perm);
		}
		sys_page_unmap(0, fsreq);
	}
}

void
umain(int argc, char **argv)
{
	binaryname = "fs";
	cprintf("FS is running\n");
	/* I/O privilege: the kernel grants it to ENV_TYPE_FS (else this would trap). */
	if (!VMM_GUEST) {
		(void) inb(IDE_STATUS_PORT);
		cprintf("FS can do I/O\n");
	}

	serve_init();
	fs_init();
	/* The checks prove the code, not the disk: once, on the host, is enough. */
	if (!VMM_GUEST)
		fs_test();
	serve();
}
