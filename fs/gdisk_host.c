/*
 * The host's half of the guest-disk protocol (GDISK, inc/fs.h); it runs
 * in the host's file server (gdisk_guest.c is the guest's half).
 * vmm names each guest's disk image (FSREQ_GUEST_DISK); from then on
 * that guest's requests - which reach the server through the IPCCALL
 * hypercall - are block reads and writes of that one file, between the
 * disk and the pages the guest listed, which the kernel lets this
 * server give, fill or map (guest_read, guest_write). A guest can name
 * nothing else: no path, no file id, no other guest's memory. This is
 * where the confinement of guests to their own disk lives.
 *
 * A fresh disk (the default for each vmm run) is a copy-on-write copy
 * of a template: an empty file of the template's size whose blocks are
 * holes until the guest writes them; reading a hole reads the template.
 */
#include "fs.h"
#include <inc/vmx.h>

#define MAXGUESTS	16
#define GIVEVA		0x0FFFE000UL	/* a block on its way to a guest (below serv.c's REQVA) */
#define WRITEVA		(GIVEVA - HOST_PAGES_MAX * PGSIZE)	/* a guest's pages on their way to the disk */

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

/* Block blockno of the guest's disk: its own, else the template's, else (a hole) NULL. */
static int
disk_block(struct GuestDisk *d, uint32_t blockno, char **blk)
{
	int r;

	if ((r = file_peek_block(d->file, blockno, blk)) < 0)
		return r;
	if (!*blk && d->base)
		return file_peek_block(d->base, blockno, blk);
	return 0;
}

/*
 * The disk block at blk (NULL: a hole) into the guest's page at gpa. A
 * block in our cache is copied from there (it may be newer than the
 * disk); any other is read from the disk into a fresh page that goes to
 * the guest whole, and a hole is a fresh zeroed page. So a block the
 * guest only reads costs no copy, and is not cached twice.
 */
static int
give_block(envid_t guest, uint64_t gpa, char *blk)
{
	void *pg = (void *) GIVEVA;
	int r;

	if (blk && va_is_mapped(blk))
		return sys_guest_page_write(guest, gpa, blk);
	if ((r = sys_page_alloc(0, pg, PTE_P | PTE_U | PTE_W)) < 0)
		return r;
	if ((blk && (r = ide_read(blockof(blk) * BLKSECTS, pg, BLKSECTS)) < 0) ||
	    (r = sys_guest_page_give(guest, gpa, pg)) < 0)
		sys_page_unmap(0, pg);
	return r;
}

/* Each block into its guest page, holes as zeroes. */
static int
guest_read(envid_t guest, struct GuestDisk *d, const struct host_pages *pages)
{
	uint64_t i;
	char *blk;
	int r;

	for (i = 0; i < pages->n; i++)
		if ((r = disk_block(d, pages->page[i].tag, &blk)) < 0 ||
		    (r = give_block(guest, pages->page[i].gpa, blk)) < 0)
			return r;
	return 0;
}

/*
 * Each guest page into its block of the disk f: the kernel maps the
 * guest's pages here read-only for the while (checking each), and they
 * go straight to the disk. No copy, and a block the guest only writes
 * is not cached twice.
 */
static int
guest_write(envid_t guest, struct File *f, const struct host_pages *pages)
{
	uint64_t i;
	int r;

	if ((r = sys_guest_request_map(guest, (void *) WRITEVA, true)) < 0)
		return r;
	if ((uint64_t) r != pages->n)
		r = -E_INVAL;		/* a guest that changed its list since we copied it */
	for (i = 0; i < pages->n && r >= 0; i++)
		r = file_write_block(f, pages->page[i].tag, (char *) WRITEVA + i * PGSIZE);
	sys_guest_request_map(guest, (void *) WRITEVA, false);
	return r < 0 ? r : 0;
}

/* Does every page of the list name a block of the disk? */
static bool
blocks_on_disk(const struct host_pages *pages, struct File *disk)
{
	uint64_t i;

	if (pages->n == 0 || pages->n > HOST_PAGES_MAX)
		return false;
	for (i = 0; i < pages->n; i++)
		if (pages->page[i].tag >= disk->f_size / BLKSIZE)
			return false;
	return true;
}

/*
 * A request from guest whom: value (GDISK_READ or _WRITE), and req, the
 * list of its pages that its kernel sent (NULL if none). The list is
 * copied first: the guest's memory is not ours to trust twice.
 */
int
serve_guest(envid_t whom, uint32_t value, const struct host_pages *req)
{
	static struct host_pages pages;
	struct GuestDisk *d = guest_disk(whom);

	if (!d || !req)
		return -E_INVAL;
	memmove(&pages, req, sizeof pages);
	if (!blocks_on_disk(&pages, d->file))
		return -E_INVAL;
	switch (value) {
	case GDISK_READ:
		return guest_read(whom, d, &pages);
	case GDISK_WRITE:
		return guest_write(whom, d->file, &pages);
	default:
		return -E_INVAL;
	}
}
