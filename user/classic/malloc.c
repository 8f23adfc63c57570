/* Classic style (lab 6 testmalloc): malloc and free with their classic types. */
#include <inc/lib.h>
#include "signature.h"

static_assert(HAS_TYPE(malloc, void *(size_t)));
static_assert(HAS_TYPE(free, void (void *)));

void
umain(int argc, char **argv)
{
	char *buf;

	if ((buf = malloc(64)) == 0)
		panic("malloc failed");
	strcpy(buf, "hello from the heap");
	cprintf("%s at %p\n", buf, buf);
	free(buf);
}
