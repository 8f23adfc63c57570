/*
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
static bool
live_guest(envid_t envid)
{
	const volatile struct Env *e = &envs[ENVX(envid)];

	return e->env_id == envid && e->env_status != ENV_FREE && e->env_type == ENV_TYPE_GUEST;
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
open_disk(char *path, struct File **f)
{
	int r;

	path[MAXPATHLEN - 1] = 0;
	if ((r = file_open(path, f)) < 0)
		return r;
	if ((*f)->f_type != FTYPE_REG || (*f)->f_size < BLKSIZE || (*f)->f_size % BLKSIZE)
		return -E_INVAL;
	return 0;
}

/* The copy-on-write copy of base: a new file of holes, as big as base. */
static int
make_fresh_disk(char *path, struct File *base, struct File **f)
{
	int r;

	path[MAXPATHLEN - 1] = 0;
	if ((r = file_create(path, f, FTYPE_REG)) < 0)
		return r;
	return file_set_size(*f, base->f_size);
}

/* FSREQ_GUEST_DISK from whom: only a guest's parent names its disk, once. */
int
serve_guest_disk(envid_t whom, struct Fsreq_guest_disk *req)
{
	struct File *f, *base = NULL;
	int i, r;

	if (!live_guest(req->req_guest) || envs[ENVX(req->req_guest)].env_parent_id != whom ||
	    guest_disk(req->req_guest))
		return -E_INVAL;
	if (req->req_template[0]) {
		if ((r = open_disk(req->req_template, &base)) < 0 ||
		    (r = make_fresh_disk(req->req_path, base, &f)) < 0)
			return r;
	} else if ((r = open_disk(req->req_path, &f)) < 0) {
		return r;
	}
	for (i = 0; i < MAXGUESTS; i++)
		if (!live_guest(guest_disks[i].guest)) {
			guest_disks[i].guest = req->req_guest;
			guest_disks[i].file = f;
			guest_disks[i].base = base;
			return 0;
		}
	return -E_MAX_OPEN;
}

/* A block of the guest's disk, copied into a fresh reply page. */
static int
guest_read(struct GuestDisk *d, uint32_t blockno, void **pg, int *perm)
{
	struct File *f = (d->base && !file_has_block(d->file, blockno)) ? d->base : d->file;
	char *blk;
	int r;

	if ((r = file_get_block(f, blockno, &blk)) < 0)
		return r;
	if ((r = sys_page_alloc(0, (void *) REPLYVA, PTE_P | PTE_U | PTE_W)) < 0)
		return r;
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
