/*
 * malloc and free: first fit over a heap of its own, [MHEAP, MHEAPTOP),
 * which grows by whole pages (sys_page_alloc) when no free block is big
 * enough. Every block starts with a header holding its size; free blocks
 * are on a list in address order, and a freed block merges with free
 * neighbours. The heap is ordinary memory: fork copies it, and sfork
 * shares it, after which only one side at a time may call malloc or free.
 */
#include <inc/lib.h>

#define MHEAP		0x08000000UL	/* the heap's first byte */
#define MHEAPTOP	0x0C000000UL	/* its limit: 64 MB further */
#define MALIGN		16		/* blocks and their sizes are multiples of this */

struct mblock {
	size_t size;			/* bytes, this header included */
	struct mblock *next;		/* free: next free block; in use: IN_USE */
};

#define IN_USE		((struct mblock *) 1)	/* never a block's address */
#define MIN_BLOCK	(sizeof(struct mblock) + MALIGN)

static struct mblock *freelist;		/* free blocks by address */
static uintptr_t heap_end = MHEAP;	/* pages are mapped in [MHEAP, heap_end) */

static bool
adjacent(const struct mblock *a, const struct mblock *b)
{
	return (const char *) a + a->size == (const char *) b;
}

/* Put b on the free list in address order, merged with free neighbours. */
static void
insert_free(struct mblock *b)
{
	struct mblock *prev = NULL, *next = freelist;

	while (next && next < b) {
		prev = next;
		next = next->next;
	}
	b->next = next;
	if (prev)
		prev->next = b;
	else
		freelist = b;
	if (next && adjacent(b, next)) {
		b->size += next->size;
		b->next = next->next;
	}
	if (prev && adjacent(prev, b)) {
		prev->size += b->size;
		prev->next = b->next;
	}
}

/* Map at least need more bytes at the heap's end; they become a free block. */
static int
grow(size_t need)
{
	size_t n = ROUNDUP(need, PGSIZE);
	uintptr_t va;
	struct mblock *b;
	int r = 0;

	if (n > MHEAPTOP - heap_end)
		return -E_NO_MEM;
	for (va = heap_end; va < heap_end + n; va += PGSIZE)
		if ((r = sys_page_alloc(0, (void *) va, PTE_P | PTE_U | PTE_W)) < 0)
			break;
	if (va > heap_end) {
		b = (struct mblock *) heap_end;
		b->size = va - heap_end;
		heap_end = va;
		insert_free(b);
	}
	return r;
}

/* Take need bytes from the free block *pp, leaving the rest free if it is worth a block. */
static void *
take(struct mblock **pp, size_t need)
{
	struct mblock *b = *pp, *rest;

	if (b->size - need >= MIN_BLOCK) {
		rest = (struct mblock *) ((char *) b + need);
		rest->size = b->size - need;
		rest->next = b->next;
		*pp = rest;
		b->size = need;
	} else {
		*pp = b->next;
	}
	b->next = IN_USE;
	return b + 1;
}

/* n bytes, aligned to 16; NULL if n is 0 or there is no room. */
void *
malloc(size_t n)
{
	struct mblock **pp;
	size_t need;

	if (n == 0 || n > MHEAPTOP - MHEAP)
		return NULL;
	need = ROUNDUP(n, MALIGN) + sizeof(struct mblock);
	for (;;) {
		for (pp = &freelist; *pp; pp = &(*pp)->next)
			if ((*pp)->size >= need)
				return take(pp, need);
		if (grow(need) < 0)
			return NULL;
	}
}

void
free(void *p)
{
	struct mblock *b;

	if (p == NULL)
		return;
	b = (struct mblock *) p - 1;
	if ((uintptr_t) p < MHEAP || (uintptr_t) p >= heap_end || b->next != IN_USE)
		panic("free(%p): not a block from malloc, or freed already", p);
	insert_free(b);
}
