/* File descriptors: the user library's uniform handle on files, pipes and the console. */
#ifndef JOS_INC_FD_H
#define JOS_INC_FD_H

#include <inc/types.h>
#include <inc/fs.h>

#define MAXFD	32	/* descriptors per environment */

struct Fd;
struct Stat;

/* A device type: what read, write, close, stat and truncate mean for it. */
struct Dev {
	int dev_id;
	const char *dev_name;
	ssize_t (*dev_read)(struct Fd *fd, void *buf, size_t len);
	ssize_t (*dev_write)(struct Fd *fd, const void *buf, size_t len);
	int (*dev_close)(struct Fd *fd);
	int (*dev_stat)(struct Fd *fd, struct Stat *stat);
	int (*dev_trunc)(struct Fd *fd, off_t length);
};

struct FdFile {
	int id;				/* the file server's open-file id */
};

/*
 * Each open descriptor is one page at FDTABLE + fdnum * PGSIZE, mapped
 * PTE_SHARE so that fork and spawn share it (and its offset) with the
 * child. A page's reference count is how many environments hold it.
 */
struct Fd {
	int fd_dev_id;
	off_t fd_offset;
	int fd_omode;
	union {
		struct FdFile fd_file;
	};
};

struct Stat {
	char st_name[MAXNAMELEN];
	off_t st_size;
	int st_isdir;
	struct Dev *st_dev;
};

extern struct Dev devfile;
extern struct Dev devcons;
extern struct Dev devpipe;

char *fd2data(struct Fd *fd);
int fd2num(struct Fd *fd);
int fd_alloc(struct Fd **fd_store);
int fd_close(struct Fd *fd, bool must_exist);
int fd_lookup(int fdnum, struct Fd **fd_store);
int dev_lookup(int devid, struct Dev **dev_store);

#endif /* !JOS_INC_FD_H */
