// truncheld: a file grows past its direct blocks (its indirect block is
// allocated and written), is truncated to nothing before it is ever
// closed, and is written again. In a guest, whose file server holds
// written blocks back (fs/bc.c), the truncation frees a block whose write
// is still held: the file server must drop that write, not fail. Prints
// the size it reads back.
#include <inc/lib.h>

#define PATH		"/held-file"
#define BIG		(12 * BLKSIZE)	/* past the 10 direct blocks */
#define SMALL		(2 * BLKSIZE)

static char buf[BLKSIZE];

static void
write_bytes(int fd, int n)
{
	int off, r;

	for (off = 0; off < n; off += BLKSIZE)
		if ((r = write(fd, buf, BLKSIZE)) != BLKSIZE)
			panic("truncheld: write at %d: %e", off, r);
}

void
umain(int argc, char **argv)
{
	struct Stat st;
	int fd, r;

	memset(buf, 'h', sizeof buf);
	if ((fd = open(PATH, O_RDWR | O_CREAT | O_TRUNC)) < 0)
		panic("truncheld: open: %e", fd);
	write_bytes(fd, BIG);
	if ((r = ftruncate(fd, 0)) < 0)
		panic("truncheld: ftruncate: %e", r);
	seek(fd, 0);
	write_bytes(fd, SMALL);
	close(fd);
	if ((r = stat(PATH, &st)) < 0)
		panic("truncheld: stat: %e", r);
	cprintf("truncheld: %s is %d bytes\n", PATH, (int) st.st_size);
	remove(PATH);
}
