/*
 * Pipes: a ring buffer in a page shared by both ends' descriptors (the
 * data page of each end's Fd). Readers and writers spin with sys_yield
 * while the buffer is empty or full. The other end is gone when the
 * buffer page has no more references than this end's Fd page: every
 * holder of either end maps the buffer, only holders of this end map
 * this Fd.
 */
#include <inc/lib.h>

#define PIPEBUFSIZ	(PGSIZE - 2 * sizeof(off_t))

struct Pipe {
	off_t p_rpos;		/* read position */
	off_t p_wpos;		/* write position */
	uint8_t p_buf[PIPEBUFSIZ];
};

static ssize_t devpipe_read(struct Fd *fd, void *buf, size_t n);
static ssize_t devpipe_write(struct Fd *fd, const void *buf, size_t n);
static int devpipe_stat(struct Fd *fd, struct Stat *stat);
static int devpipe_close(struct Fd *fd);

struct Dev devpipe = {
	.dev_id = 'p',
	.dev_name = "pipe",
	.dev_read = devpipe_read,
	.dev_write = devpipe_write,
	.dev_close = devpipe_close,
	.dev_stat = devpipe_stat,
};

int
pipe(int pfd[2])
{
	struct Fd *fd0, *fd1;
	void *va;
	int r;

	if ((r = fd_alloc(&fd0)) < 0 ||
	    (r = sys_page_alloc(0, fd0, PTE_P | PTE_W | PTE_U | PTE_SHARE)) < 0)
		goto err;
	if ((r = fd_alloc(&fd1)) < 0 ||
	    (r = sys_page_alloc(0, fd1, PTE_P | PTE_W | PTE_U | PTE_SHARE)) < 0)
		goto err1;
	va = fd2data(fd0);
	if ((r = sys_page_alloc(0, va, PTE_P | PTE_W | PTE_U | PTE_SHARE)) < 0)
		goto err2;
	if ((r = sys_page_map(0, va, 0, fd2data(fd1), PTE_P | PTE_W | PTE_U | PTE_SHARE)) < 0)
		goto err3;

	fd0->fd_dev_id = devpipe.dev_id;
	fd0->fd_omode = O_RDONLY;
	fd1->fd_dev_id = devpipe.dev_id;
	fd1->fd_omode = O_WRONLY;
	pfd[0] = fd2num(fd0);
	pfd[1] = fd2num(fd1);
	return 0;

err3:
	sys_page_unmap(0, va);
err2:
	sys_page_unmap(0, fd1);
err1:
	sys_page_unmap(0, fd0);
err:
	return r;
}

/*
 * Is the other end closed? The two page counts can change between the
 * reads if we are preempted; retry until a run of our env is seen whole.
 */
static int
_pipeisclosed(struct Fd *fd, struct Pipe *p)
{
	int n, nn, ret;

	for (;;) {
		n = thisenv->env_runs;
		ret = pageref(fd) == pageref(p);
		nn = thisenv->env_runs;
		if (n == nn)
			return ret;
	}
}

int
pipeisclosed(int fdnum)
{
	struct Fd *fd;
	int r;

	if ((r = fd_lookup(fdnum, &fd)) < 0)
		return r;
	return _pipeisclosed(fd, (struct Pipe *) fd2data(fd));
}

/* Return what is there (at least one byte), waiting if the pipe is empty. */
static ssize_t
devpipe_read(struct Fd *fd, void *vbuf, size_t n)
{
	struct Pipe *p = (struct Pipe *) fd2data(fd);
	uint8_t *buf = vbuf;
	size_t i;

	for (i = 0; i < n; i++) {
		while (p->p_rpos == p->p_wpos) {
			if (i > 0)
				return i;
			if (_pipeisclosed(fd, p))
				return 0;
			sys_yield();
		}
		buf[i] = p->p_buf[p->p_rpos % PIPEBUFSIZ];
		p->p_rpos++;
	}
	return i;
}

/* Write everything, waiting while the pipe is full; 0 if the reader is gone. */
static ssize_t
devpipe_write(struct Fd *fd, const void *vbuf, size_t n)
{
	struct Pipe *p = (struct Pipe *) fd2data(fd);
	const uint8_t *buf = vbuf;
	size_t i;

	for (i = 0; i < n; i++) {
		while (p->p_wpos >= p->p_rpos + (off_t) PIPEBUFSIZ) {
			if (_pipeisclosed(fd, p))
				return 0;
			sys_yield();
		}
		p->p_buf[p->p_wpos % PIPEBUFSIZ] = buf[i];
		p->p_wpos++;
	}
	return i;
}

static int
devpipe_stat(struct Fd *fd, struct Stat *stat)
{
	struct Pipe *p = (struct Pipe *) fd2data(fd);

	strcpy(stat->st_name, "<pipe>");
	stat->st_size = p->p_wpos - p->p_rpos;
	stat->st_isdir = 0;
	stat->st_dev = &devpipe;
	return 0;
}

/* The Fd page goes first (in fd_close): unmap the buffer here, before it. */
static int
devpipe_close(struct Fd *fd)
{
	sys_page_unmap(0, fd);
	return sys_page_unmap(0, fd2data(fd));
}
