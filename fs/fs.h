/* The file server's internals: the disk driver, the block cache and the file system. */
#ifndef JOS_FS_FS_H
#define JOS_FS_FS_H

#include <inc/fs.h>
#include <inc/lib.h>

#define SECTSIZE	512			/* bytes per disk sector */
#define BLKSECTS	(BLKSIZE / SECTSIZE)	/* sectors per block */

/* The whole disk is mapped here, a page per block, read in on first touch. */
#define DISKMAP		0x10000000UL
#define DISKSIZE	0xC0000000UL		/* the largest disk the server handles */

extern struct Super *super;
extern uint32_t *bitmap;			/* the free-block bitmap, in the cache */
#define BITS_PER_WORD	32			/* blocks per uint32_t of the bitmap */

/* ide.c */
bool ide_probe_disk1(void);
void ide_set_disk(int diskno);
int ide_read(uint32_t secno, void *dst, size_t nsecs);
int ide_write(uint32_t secno, const void *src, size_t nsecs);

/* gdisk_guest.c: a guest file server's disk, which is on the host */
int host_read(const uint64_t *blocknos, int n);
int host_write(const uint64_t *blocknos, int n);

/* bc.c */
void *diskaddr(uint32_t blockno);
uint32_t blockof(void *addr);
bool va_is_mapped(void *va);
bool va_is_dirty(void *va);
void flush_block(void *addr);
int bc_write_through(uint32_t blockno, const void *src);
int bc_write_back(void);
void bc_forget(uint32_t blockno);
void bc_init(void);
void check_bc(void);

/* fs.c */
void fs_init(void);
int file_get_block(struct File *f, uint32_t file_blockno, char **pblk);
int file_peek_block(struct File *f, uint32_t filebno, char **pblk);
int file_write_block(struct File *f, uint32_t filebno, const void *src);
int file_create(const char *path, struct File **f, uint32_t type);
int file_open(const char *path, struct File **f);
ssize_t file_read(struct File *f, void *buf, size_t count, off_t offset);
ssize_t file_write(struct File *f, const void *buf, size_t count, off_t offset);
int file_set_size(struct File *f, off_t newsize);
void file_flush(struct File *f);
int file_remove(struct File *f);
void fs_sync(void);
bool block_is_free(uint32_t blockno);
int alloc_block(void);
uint32_t bitmap_blocks(void);
void free_block(uint32_t blockno);

/* serv.c */
bool env_alive(envid_t envid);
int path_copy(char *dst, const char *src);

/* gdisk_host.c: the host file server's side of guests' disks */
bool live_guest(envid_t envid);
void guest_forget_file(struct File *f);
int serve_guest_disk(envid_t whom, struct Fsreq_guest_disk *req);
struct host_pages;
int serve_guest(envid_t whom, uint32_t value, const struct host_pages *req);

/* test.c */
void fs_test(void);

#endif /* !JOS_FS_FS_H */
