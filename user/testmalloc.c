/*
 * malloc and free (lib/malloc.c): blocks are aligned and keep their
 * contents, freed memory is used again, free neighbours merge, big
 * blocks span pages, and a request too big for the heap gets NULL.
 * Each check prints one line; a failure panics.
 */
#include <inc/lib.h>

#define NBLOCKS		200
#define ALIGNMENT	16

static char *blocks[NBLOCKS];

static size_t
size_of(int i)
{
	return (i * 37) % 1000 + 1;
}

static void
fill(int i)
{
	if (!(blocks[i] = malloc(size_of(i))))
		panic("testmalloc: malloc(%ld) failed", (long) size_of(i));
	if ((uintptr_t) blocks[i] % ALIGNMENT)
		panic("testmalloc: block %p is not %d-aligned", blocks[i], ALIGNMENT);
	memset(blocks[i], i, size_of(i));
}

/* Every live block still holds its own byte: no two overlap. */
static void
check_all(const char *when)
{
	size_t j;
	int i;

	for (i = 0; i < NBLOCKS; i++)
		for (j = 0; blocks[i] && j < size_of(i); j++)
			if (blocks[i][j] != (char) i)
				panic("testmalloc: %s, block %d byte %ld was overwritten",
				      when, i, (long) j);
}

/* First, on the empty heap: two freed neighbours make one block. */
static void
check_merge(void)
{
	char *a = malloc(1000), *b = malloc(1000), *c = malloc(1000), *d;

	if (!a || !b || !c || !(a < b && b < c))
		panic("testmalloc: three blocks not in address order");
	free(a);
	free(b);
	if ((d = malloc(2000)) != a)
		panic("testmalloc: malloc(2000) gave %p, not the merged block at %p", d, a);
	free(d);
	free(c);
	cprintf("testmalloc: freed neighbours merge\n");
}

static void
check_many(void)
{
	int i;

	for (i = 0; i < NBLOCKS; i++)
		fill(i);
	check_all("after filling");
	for (i = 0; i < NBLOCKS; i += 2) {
		free(blocks[i]);
		blocks[i] = NULL;
	}
	check_all("after freeing half");
	for (i = 0; i < NBLOCKS; i += 2)
		fill(i);
	check_all("after filling again");
	cprintf("testmalloc: %d blocks aligned and intact\n", NBLOCKS);
}

static void
check_reuse(void)
{
	char *p = malloc(100), *q;

	free(p);
	if ((q = malloc(100)) != p)
		panic("testmalloc: freed %p, then malloc gave %p", p, q);
	free(q);
	cprintf("testmalloc: freed memory is used again\n");
}

static void
check_big(void)
{
	size_t n = 3 * PGSIZE + 5, i;
	char *p = malloc(n);

	if (!p)
		panic("testmalloc: malloc(%ld) failed", (long) n);
	for (i = 0; i < n; i++)
		p[i] = i % 251;
	for (i = 0; i < n; i++)
		if (p[i] != (char) (i % 251))
			panic("testmalloc: big block byte %ld changed", (long) i);
	free(p);
	if (malloc((size_t) 1 << 30) != NULL)
		panic("testmalloc: malloc of 1 GB did not fail");
	cprintf("testmalloc: a block over pages works, 1 GB gets NULL\n");
}

void
umain(int argc, char **argv)
{
	check_merge();
	check_many();
	check_reuse();
	check_big();
}
