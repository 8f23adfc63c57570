/*
 * The JOS file system: its on-disk format (shared by the file server and
 * the host tool fs/fsformat) and the IPC protocol between the file
 * server and its clients.
 *
 * Disk layout, in BLKSIZE blocks: block 0 holds the boot sector area
 * (unused), block 1 the superblock, blocks 2.. the free-block bitmap
 * (one bit per block, 1 = free), then data. A file's first NDIRECT
 * blocks are listed in its File; the rest in one indirect block of
 * block numbers. A directory is a file whose blocks hold Files.
 */
#ifndef JOS_INC_FS_H
#define JOS_INC_FS_H

#include <inc/types.h>
#include <inc/mmu.h>

#define BLKSIZE		PGSIZE
#define BLKBITSIZE	(BLKSIZE * 8)

#define MAXNAMELEN	128		/* bytes in a name, including the NUL */
#define MAXPATHLEN	1024		/* bytes in a path, including the NUL */

#define NDIRECT		10		/* direct block numbers in a File */
#define NINDIRECT	(BLKSIZE / 4)	/* block numbers in an indirect block */
#define MAXFILESIZE	((NDIRECT + NINDIRECT) * BLKSIZE)

/* A file or directory: 256 bytes on disk, BLKFILES to a directory block. */
struct File {
	char f_name[MAXNAMELEN];
	int32_t f_size;			/* bytes */
	uint32_t f_type;		/* FTYPE_REG or FTYPE_DIR */
	uint32_t f_direct[NDIRECT];	/* block numbers; 0 = none */
	uint32_t f_indirect;		/* block of further block numbers */
	uint8_t f_pad[256 - MAXNAMELEN - 8 - 4 * NDIRECT - 4];
};	/* naturally aligned: no packing needed for the 256-byte layout */

#define BLKFILES	(BLKSIZE / sizeof(struct File))

#define FTYPE_REG	0
#define FTYPE_DIR	1

#define FS_MAGIC	0x4A0530AE
#define SUPER_BLOCKNO	1
#define BITMAP_BLOCKNO	2

struct Super {
	uint32_t s_magic;		/* FS_MAGIC */
	uint32_t s_nblocks;		/* blocks on the disk */
	struct File s_root;		/* the root directory */
};

/* File server requests: the number travels as the IPC value, the arguments in a shared page. */
enum {
	FSREQ_OPEN = 1,
	FSREQ_SET_SIZE,
	FSREQ_READ,			/* reply: the bytes, in the same page */
	FSREQ_WRITE,
	FSREQ_STAT,
	FSREQ_FLUSH,
	FSREQ_REMOVE,
	FSREQ_SYNC,
	FSREQ_GUEST_DISK,		/* vmm: this file is that guest's disk */
};

/*
 * A guest's requests (IPC hypercalls from the guest's file server) are
 * block reads and writes on its own disk image, nothing else: the value
 * is GDISK_READ or GDISK_WRITE, and the page sent is the list of pages
 * (struct host_pages, inc/vmx.h) that its kernel wrote, each tagged with
 * its block number. For a read the host's file server fills every page:
 * it gives the guest the page it read the block into, or copies a block
 * it has cached, or gives a zeroed page for a hole. For a write it
 * writes each page to the disk. The reply value is 0 or -E_*.
 */
#define GDISK_READ		1
#define GDISK_WRITE		2

/* Bytes that fit in one read or write request. */
#define FSREQ_DATA_MAX	(PGSIZE - 2 * sizeof(int64_t))

union Fsipc {
	struct Fsreq_open {
		char req_path[MAXPATHLEN];
		int req_omode;
	} open;
	struct Fsreq_set_size {
		int req_fileid;
		int64_t req_size;
	} set_size;
	struct Fsreq_read {
		int req_fileid;
		int64_t req_n;
	} read;
	struct Fsret_read {
		char ret_buf[PGSIZE];
	} readRet;
	struct Fsreq_write {
		int req_fileid;
		int64_t req_n;
		char req_buf[FSREQ_DATA_MAX];
	} write;
	struct Fsreq_stat {
		int req_fileid;
	} stat;
	struct Fsret_stat {
		char ret_name[MAXNAMELEN];
		int64_t ret_size;
		int ret_isdir;
	} statRet;
	struct Fsreq_flush {
		int req_fileid;
	} flush;
	struct Fsreq_remove {
		char req_path[MAXPATHLEN];
	} remove;
	struct Fsreq_guest_disk {
		int32_t req_guest;		/* an envid_t */
		char req_path[MAXPATHLEN];	/* the disk */
		char req_template[MAXPATHLEN];	/* "" or: make path a fresh copy of this */
	} guest_disk;
	char _pad[PGSIZE];		/* one whole page */
};

#endif /* !JOS_INC_FS_H */
