/*
 * The file server: an environment that owns the disk and answers file
 * requests over IPC (protocol in inc/fs.h). An open file is an OpenFile
 * slot holding the File and a struct Fd page that the server shares
 * with the client; the page's reference count tells whether any client
 * still holds it. A file id names the slot and its generation, so a
 * stale id (closed, or reused since) or one never issued is rejected.
 */
#include "fs.h"
#include <inc/x86.h>
#include <inc/vmx.h>

#define MAXOPEN		1024
#define FILEVA		0xD0000000UL	/* the Fd pages of open files */
#define REQVA		0x0FFFF000UL	/* where requests arrive */
#define IDE_STATUS_PORT	0x1F7

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

/* Open (or create) the file; the reply page is its Fd. */
static int
serve_open(envid_t envid, struct Fsreq_open *req, void **pg_store, int *perm_store)
{
	char path[MAXPATHLEN];
	struct OpenFile *o;
	struct File *f;
	int fileid, r;

	memmove(path, req->req_path, MAXPATHLEN);
	path[MAXPATHLEN - 1] = 0;
	if ((fileid = openfile_alloc(&o)) < 0)
		return fileid;
	if (req->req_omode & O_CREAT) {
		r = file_create(path, &f, (req->req_omode & O_MKDIR) ? FTYPE_DIR : FTYPE_REG);
		if (r == -E_FILE_EXISTS && !(req->req_omode & O_EXCL))
			r = file_open(path, &f);
	} else {
		r = file_open(path, &f);
	}
	if (r < 0)
		return r;
	if ((req->req_omode & O_TRUNC) && (r = file_set_size(f, 0)) < 0)
		return r;

	o->o_file = f;
	o->o_mode = req->req_omode;
	o->o_fd->fd_file.id = o->o_fileid;
	o->o_fd->fd_omode = req->req_omode & O_ACCMODE;
	o->o_fd->fd_dev_id = devfile.dev_id;
	*pg_store = o->o_fd;
	*perm_store = PTE_P | PTE_U | PTE_W | PTE_SHARE;
	return 0;
}

/* Like openfile_lookup, for a request that changes the file: it must be open for writing. */
static int
openfile_lookup_writable(uint32_t fileid, struct OpenFile **po)
{
	int r;

	if ((r = openfile_lookup(fileid, po)) < 0)
		return r;
	return ((*po)->o_mode & O_ACCMODE) == O_RDONLY ? -E_INVAL : 0;
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

/* Read at the descriptor's offset into the request page; advance the offset. */
static int
serve_read(envid_t envid, union Fsipc *ipc)
{
	struct Fsreq_read *req = &ipc->read;
	struct OpenFile *o;
	int r;

	if ((r = openfile_lookup(req->req_fileid, &o)) < 0)
		return r;
	r = file_read(o->o_file, ipc->readRet.ret_buf,
		      MIN((size_t) req->req_n, sizeof(ipc->readRet.ret_buf)), o->o_fd->fd_offset);
	if (r > 0)
		o->o_fd->fd_offset += r;
	return r;
}

static int
serve_write(envid_t envid, struct Fsreq_write *req)
{
	struct OpenFile *o;
	int r;

	if ((r = openfile_lookup_writable(req->req_fileid, &o)) < 0)
		return r;
	r = file_write(o->o_file, req->req_buf,
		       MIN((size_t) req->req_n, sizeof(req->req_buf)), o->o_fd->fd_offset);
	if (r > 0)
		o->o_fd->fd_offset += r;
	return r;
}

static int
serve_stat(envid_t envid, union Fsipc *ipc)
{
	struct OpenFile *o;
	int r;

	if ((r = openfile_lookup(ipc->stat.req_fileid, &o)) < 0)
		return r;
	strcpy(ipc->statRet.ret_name, o->o_file->f_name);
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

static int
serve_remove(envid_t envid, struct Fsreq_remove *req)
{
	char path[MAXPATHLEN];

	memmove(path, req->req_path, MAXPATHLEN);
	path[MAXPATHLEN - 1] = 0;
	return file_remove(path);
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
		cprintf("FS: invalid request %d from %08x\n", req, whom);
		return -E_INVAL;
	}
}

/*
 * Answer a client. A client that died meanwhile (or a guest destroyed)
 * must not take the file server down with it, nor one that never waits
 * for its answer: "not receiving yet" is waited for, but not forever.
 */
#define REPLY_PATIENCE	10000	/* yields */

static void
reply(envid_t whom, int r, void *pg, int perm)
{
	int err, tries = 0;

	while ((err = sys_ipc_try_send(whom, r, pg ? pg : (void *) UTOP, perm)) ==
	       -E_IPC_NOT_RECV && ++tries < REPLY_PATIENCE)
		sys_yield();
	if (err < 0 && err != -E_BAD_ENV)
		cprintf("FS: cannot answer %08x: %e\n", whom, err);
}

static void
serve(void)
{
	uint32_t req;
	envid_t whom;
	void *pg;
	int perm, r;

	for (;;) {
		perm = 0;
		req = ipc_recv(&whom, fsreq, &perm);
		pg = NULL;
		if (envs[ENVX(whom)].env_type == ENV_TYPE_GUEST) {
			r = serve_guest(whom, req, (perm & PTE_P) ? fsreq : NULL, &pg, &perm);
		} else if (!(perm & PTE_P)) {
			cprintf("FS: request %d from %08x without a request page\n", req, whom);
			continue;
		} else {
			r = dispatch(whom, req, &pg, &perm);
		}
		reply(whom, r, pg, perm);
		guest_reply_done(pg);
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
