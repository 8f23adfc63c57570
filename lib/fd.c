/*
 * File descriptors. Descriptor i is the page at FDTABLE + i*PGSIZE
 * (struct Fd); its data area (a pipe's buffer, for instance) is the
 * page-table-sized region at FILEDATA + i*PTSIZE. Both are mapped
 * PTE_SHARE so children share them. The generic calls here find the
 * descriptor's device and dispatch to it.
 */
#include <inc/lib.h>

#define FDTABLE		0xD0000000UL	/* user address of descriptor 0 */
#define FILEDATA	(FDTABLE + MAXFD * PGSIZE)
#define INDEX2FD(i)	((struct Fd *) (FDTABLE + (uintptr_t) (i) * PGSIZE))
#define INDEX2DATA(i)	((char *) (FILEDATA + (uintptr_t) (i) * PTSIZE))

static struct Dev *devtab[] = { &devfile, &devpipe, &devcons, 0 };

int
fd2num(struct Fd *fd)
{
	return ((uintptr_t) fd - FDTABLE) / PGSIZE;
}

char *
fd2data(struct Fd *fd)
{
	return INDEX2DATA(fd2num(fd));
}

/*
 * Find the lowest unused descriptor; *fd_store gets its address (the
 * caller maps the page). -E_MAX_OPEN if all are in use.
 */
int
fd_alloc(struct Fd **fd_store)
{
	int i;

	for (i = 0; i < MAXFD; i++) {
		if (!va_mapped((uintptr_t) INDEX2FD(i))) {
			*fd_store = INDEX2FD(i);
			return 0;
		}
	}
	*fd_store = 0;
	return -E_MAX_OPEN;
}

int
fd_lookup(int fdnum, struct Fd **fd_store)
{
	if (fdnum < 0 || fdnum >= MAXFD || !va_mapped((uintptr_t) INDEX2FD(fdnum)))
		return -E_INVAL;
	*fd_store = INDEX2FD(fdnum);
	return 0;
}

int
dev_lookup(int dev_id, struct Dev **dev)
{
	int i;

	for (i = 0; devtab[i]; i++)
		if (devtab[i]->dev_id == dev_id) {
			*dev = devtab[i];
			return 0;
		}
	cprintf("[%08x] unknown device type %d\n", thisenv->env_id, dev_id);
	*dev = 0;
	return -E_INVAL;
}

/*
 * Close fd: run the device's close, then unmap the page. If must_exist
 * and fd is not an open descriptor, fail with -E_INVAL.
 */
int
fd_close(struct Fd *fd, bool must_exist)
{
	struct Fd *fd2;
	struct Dev *dev;
	int r;

	if ((r = fd_lookup(fd2num(fd), &fd2)) < 0 || fd != fd2)
		return must_exist ? r : 0;
	if ((r = dev_lookup(fd->fd_dev_id, &dev)) >= 0)
		r = dev->dev_close ? dev->dev_close(fd) : 0;
	sys_page_unmap(0, fd);
	return r;
}

int
close(int fdnum)
{
	struct Fd *fd;
	int r;

	if ((r = fd_lookup(fdnum, &fd)) < 0)
		return r;
	return fd_close(fd, 1);
}

void
close_all(void)
{
	int i;

	for (i = 0; i < MAXFD; i++)
		close(i);
}

/* Make newfdnum a duplicate of oldfdnum, sharing its page and offset. */
int
dup(int oldfdnum, int newfdnum)
{
	struct Fd *oldfd, *newfd;
	char *ova, *nva;
	uintptr_t off;
	int r;

	if ((r = fd_lookup(oldfdnum, &oldfd)) < 0)
		return r;
	if (newfdnum < 0 || newfdnum >= MAXFD)
		return -E_INVAL;
	close(newfdnum);
	newfd = INDEX2FD(newfdnum);
	ova = fd2data(oldfd);
	nva = fd2data(newfd);
	/* The data area first: a pipe's refcount test depends on the order. */
	for (off = 0; off < PTSIZE; off += PGSIZE)
		if (va_mapped((uintptr_t) ova + off) &&
		    (r = sys_page_map(0, ova + off, 0, nva + off,
				      uvpt[PGNUM(ova + off)] & PTE_SYSCALL)) < 0)
			goto err;
	if ((r = sys_page_map(0, oldfd, 0, newfd, uvpt[PGNUM(oldfd)] & PTE_SYSCALL)) < 0)
		goto err;
	return newfdnum;
err:
	sys_page_unmap(0, newfd);
	for (off = 0; off < PTSIZE; off += PGSIZE)
		sys_page_unmap(0, nva + off);
	return r;
}

/* The descriptor and its device, for the calls below. */
static int
fd_dev(int fdnum, struct Fd **fd, struct Dev **dev)
{
	int r;

	if ((r = fd_lookup(fdnum, fd)) < 0 || (r = dev_lookup((*fd)->fd_dev_id, dev)) < 0)
		return r;
	return 0;
}

ssize_t
read(int fdnum, void *buf, size_t n)
{
	struct Dev *dev;
	struct Fd *fd;
	int r;

	if ((r = fd_dev(fdnum, &fd, &dev)) < 0)
		return r;
	if ((fd->fd_omode & O_ACCMODE) == O_WRONLY) {
		cprintf("[%08x] read %d -- bad mode\n", thisenv->env_id, fdnum);
		return -E_INVAL;
	}
	if (!dev->dev_read)
		return -E_NOT_SUPP;
	return dev->dev_read(fd, buf, n);
}

/* Read exactly n bytes unless end of file comes first. */
ssize_t
readn(int fdnum, void *buf, size_t n)
{
	size_t tot;
	ssize_t m;

	for (tot = 0; tot < n; tot += m) {
		m = read(fdnum, (char *) buf + tot, n - tot);
		if (m < 0)
			return m;
		if (m == 0)
			break;
	}
	return tot;
}

ssize_t
write(int fdnum, const void *buf, size_t n)
{
	struct Dev *dev;
	struct Fd *fd;
	int r;

	if ((r = fd_dev(fdnum, &fd, &dev)) < 0)
		return r;
	if ((fd->fd_omode & O_ACCMODE) == O_RDONLY) {
		cprintf("[%08x] write %d -- bad mode\n", thisenv->env_id, fdnum);
		return -E_INVAL;
	}
	if (!dev->dev_write)
		return -E_NOT_SUPP;
	return dev->dev_write(fd, buf, n);
}

int
seek(int fdnum, off_t offset)
{
	struct Fd *fd;
	int r;

	if ((r = fd_lookup(fdnum, &fd)) < 0)
		return r;
	fd->fd_offset = offset;
	return 0;
}

int
ftruncate(int fdnum, off_t newsize)
{
	struct Dev *dev;
	struct Fd *fd;
	int r;

	if ((r = fd_dev(fdnum, &fd, &dev)) < 0)
		return r;
	if ((fd->fd_omode & O_ACCMODE) == O_RDONLY)
		return -E_INVAL;
	if (!dev->dev_trunc)
		return -E_NOT_SUPP;
	return dev->dev_trunc(fd, newsize);
}

int
fstat(int fdnum, struct Stat *stat)
{
	struct Dev *dev;
	struct Fd *fd;
	int r;

	if ((r = fd_dev(fdnum, &fd, &dev)) < 0)
		return r;
	if (!dev->dev_stat)
		return -E_NOT_SUPP;
	stat->st_name[0] = 0;
	stat->st_size = 0;
	stat->st_isdir = 0;
	stat->st_dev = dev;
	return dev->dev_stat(fd, stat);
}

int
stat(const char *path, struct Stat *stat)
{
	int fd, r;

	if ((fd = open(path, O_RDONLY)) < 0)
		return fd;
	r = fstat(fd, stat);
	close(fd);
	return r;
}
