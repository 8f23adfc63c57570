/* free: how much physical memory nobody holds (tests compare it before and after). */
#include <inc/lib.h>

void
umain(int argc, char **argv)
{
	size_t n = free_pages();

	cprintf("free: %lu pages (%lu KB)\n", n, n * PGSIZE / 1024);
}
