/*
 * The console for user programs: a device type for descriptors (so the
 * shell can redirect and pipe it like a file), plus cputchar/getchar.
 * Output goes out through sys_cputs; input is polled with sys_cgetc,
 * yielding the CPU while nothing has been typed.
 */
#include <inc/lib.h>

#define CONS_WRITE_CHUNK	128

static ssize_t devcons_read(struct Fd *fd, void *buf, size_t n);
static ssize_t devcons_write(struct Fd *fd, const void *buf, size_t n);
static int devcons_close(struct Fd *fd);
static int devcons_stat(struct Fd *fd, struct Stat *stat);

struct Dev devcons = {
	.dev_id = 'c',
	.dev_name = "cons",
	.dev_read = devcons_read,
	.dev_write = devcons_write,
	.dev_close = devcons_close,
	.dev_stat = devcons_stat,
};

void
cputchar(int ch)
{
	char c = ch;

	sys_cputs(&c, 1);
}

/* One character from fd 0 (whatever it is), or an error or -E_EOF. */
int
getchar(void)
{
	unsigned char c;
	int r = read(0, &c, 1);

	if (r < 0)
		return r;
	if (r < 1)
		return -E_EOF;
	return c;
}

int
iscons(int fdnum)
{
	struct Fd *fd;
	int r;

	if ((r = fd_lookup(fdnum, &fd)) < 0)
		return r;
	return fd->fd_dev_id == devcons.dev_id;
}

int
opencons(void)
{
	struct Fd *fd;
	int r;

	if ((r = fd_alloc(&fd)) < 0)
		return r;
	if ((r = sys_page_alloc(0, fd, PTE_P | PTE_U | PTE_W | PTE_SHARE)) < 0)
		return r;
	fd->fd_dev_id = devcons.dev_id;
	fd->fd_omode = O_RDWR;
	return fd2num(fd);
}

/* Wait for at least one character; Ctrl-D is end of file. */
static ssize_t
devcons_read(struct Fd *fd, void *vbuf, size_t n)
{
	int c;

	if (n == 0)
		return 0;
	while ((c = sys_cgetc()) == 0)
		sys_yield();
	if (c < 0)
		return c;
	if (c == 0x04)
		return 0;
	*(char *) vbuf = c == '\r' ? '\n' : c;
	return 1;
}

static ssize_t
devcons_write(struct Fd *fd, const void *vbuf, size_t n)
{
	size_t tot, m;

	for (tot = 0; tot < n; tot += m) {
		m = MIN(n - tot, (size_t) CONS_WRITE_CHUNK);
		sys_cputs((const char *) vbuf + tot, m);
	}
	return tot;
}

static int
devcons_close(struct Fd *fd)
{
	return 0;
}

static int
devcons_stat(struct Fd *fd, struct Stat *stat)
{
	strcpy(stat->st_name, "<cons>");
	return 0;
}
