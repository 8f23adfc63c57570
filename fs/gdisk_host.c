/*
 * The host's half of the guest-disk protocol (GDISK, inc/fs.h); it runs
 * in the host's file server (gdisk_guest.c is the guest's half).
 * The host file server's guests. vmm names each guest's disk image
 * (FSREQ_GUEST_DISK); from then on that guest's requests - which reach
 * the server through the IPCSEND hypercall - are block reads and writes
 * of that one file. A guest can name nothing else: no path, no file id.
 * This is where the confinement of guests to their own disk lives.
 *
 * A fresh disk (the default for each vmm run) is a copy-on-write copy
 * of a template: an empty file of the template's size whose blocks are
 * holes until the guest writes them; reading a hole reads the template.
 */
#include "fs.h"

#define MAXGUESTS	16
#define REPLYVA		0x0FFFE000UL	/* a read's reply page, built here */

struct GuestDisk {
	envid_t guest;
	struct File *file;	/* the disk: written blocks, or all of them */
	struct File *base;	/* the template behind its holes, or NULL */
};

static struct GuestDisk guest_disks[MAXGUESTS];

/* Is envid a live guest? (A slot whose guest has died can be reused.) */
bool
live_guest(envid_t envid)
{
	return env_alive(envid) && envs[ENVX(envid)].env_type == ENV_TYPE_GUEST;
}

static struct GuestDisk *
guest_disk(envid_t guest)
{
	int i;

	for (i = 0; i < MAXGUESTS; i++)
		if (guest_disks[i].guest == guest && live_guest(guest))
			return &guest_disks[i];
	return NULL;
}

/* Open an existing disk image (a regular file of whole blocks). */
static int
open_disk(const char *path, struct File **f)
{
	int r;

	if ((r = file_open(path, f)) < 0)
		return r;
	if ((*f)->f_type != FTYPE_REG || (*f)->f_size < BLKSIZE || (*f)->f_size % BLKSIZE)
		return -E_INVAL;
	return 0;
}

/* The copy-on-write copy of base: a new file of holes, as big as base. */
static int
make_fresh_disk(const char *path, struct File *base, struct File **f)
{
	int r;

	if ((r = file_create(path, f, FTYPE_REG)) < 0)
		return r;
	return file_set_size(*f, base->f_size);
}

/* The disk: path itself, or a fresh copy of template if there is one. */
static int
find_disk(const char *path, const char *template, struct File **f, struct File **base)
{
	int r;

	*base = NULL;
	if (!template[0])
		return open_disk(path, f);
	if ((r = open_disk(template, base)) < 0)
		return r;
	return make_fresh_disk(path, *base, f);
}

/*
 * FSREQ_GUEST_DISK from whom: only a guest's parent names its disk, once.
 * Everything is copied out of the request first: the client can change
 * its page while the server looks at it.
 */
int
serve_guest_disk(envid_t whom, struct Fsreq_guest_disk *req)
{
	static char path[MAXPATHLEN], template[MAXPATHLEN];
	envid_t guest = req->req_guest;
	struct File *f, *base;
	int i, r;

	if (!live_guest(guest) || envs[ENVX(guest)].env_parent_id != whom || guest_disk(guest))
		return -E_INVAL;
	if ((r = path_copy(path, req->req_path)) < 0 ||
	    (r = path_copy(template, req->req_template)) < 0 ||
	    (r = find_disk(path, template, &f, &base)) < 0)
		return r;
	for (i = 0; i < MAXGUESTS; i++)
		if (!live_guest(guest_disks[i].guest)) {
			guest_disks[i].guest = guest;
			guest_disks[i].file = f;
			guest_disks[i].base = base;
			return 0;
		}
	return -E_MAX_OPEN;
}

/* File f was removed: a guest whose disk (or template) it was has no disk now. */
void
guest_forget_file(struct File *f)
{
	int i;

	for (i = 0; i < MAXGUESTS; i++)
		if (guest_disks[i].file == f || guest_disks[i].base == f)
			memset(&guest_disks[i], 0, sizeof guest_disks[i]);
}

/*
 * A block of the guest's disk, copied into a fresh reply page: the
 * disk's own block, else the template's, else (a hole) zeros.
 */
static int
guest_read(struct GuestDisk *d, uint32_t blockno, void **pg, int *perm)
{
	char *blk;
	int r;

	if ((r = file_peek_block(d->file, blockno, &blk)) < 0 ||
	    (!blk && d->base && (r = file_peek_block(d->base, blockno, &blk)) < 0))
		return r;
	if ((r = sys_page_alloc(0, (void *) REPLYVA, PTE_P | PTE_U | PTE_W)) < 0)
		return r;
	if (blk)
		memmove((void *) REPLYVA, blk, BLKSIZE);
	*pg = (void *) REPLYVA;
	*perm = PTE_P | PTE_U | PTE_W;
	return 0;
}

/* The page the guest sent becomes the block, written through to the disk. */
static int
guest_write(struct File *f, uint32_t blockno, const void *data)
{
	char *blk;
	int r;

	if ((r = file_get_block(f, blockno, &blk)) < 0)
		return r;
	memmove(blk, data, BLKSIZE);
	flush_block(blk);
	return 0;
}

/*
 * A request from guest whom: value (GDISK_VALUE), and data, the page it
 * sent, if any. A reply page, if any, goes in *pg with *perm.
 */
int
serve_guest(envid_t whom, uint32_t value, const void *data, void **pg, int *perm)
{
	struct GuestDisk *d = guest_disk(whom);
	uint32_t blockno = GDISK_BLOCKNO(value);

	if (!d || blockno >= d->file->f_size / BLKSIZE)
		return -E_INVAL;
	switch (GDISK_OP(value)) {
	case GDISK_READ:
		/* A read carries no page: one that does is some other request. */
		return data ? -E_INVAL : guest_read(d, blockno, pg, perm);
	case GDISK_WRITE:
		return data ? guest_write(d->file, blockno, data) : -E_INVAL;
	default:
		return -E_INVAL;
	}
}

/* After the reply went out: drop our copy of a read's page. */
void
guest_reply_done(void *pg)
{
	if (pg == (void *) REPLYVA)
		sys_page_unmap(0, pg);
}
