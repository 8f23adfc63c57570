/*
 * A 4 MB array in .bss: the kernel must map it as zeroed, writable
 * memory.  Then write 4 KB past its end, which must page-fault.
 */
#include <inc/lib.h>

#define NWORDS	(1024 * 1024)

uint32_t words[NWORDS];

void
umain(int argc, char **argv)
{
	volatile uint32_t *wild;
	size_t i;

	cprintf("Making sure bss works right...\n");
	for (i = 0; i < NWORDS; i++)
		if (words[i] != 0)
			panic("words[%ld] is %x, not 0", (long) i, words[i]);
	for (i = 0; i < NWORDS; i++)
		words[i] = (uint32_t) (i * 2654435761U);
	for (i = 0; i < NWORDS; i++)
		if (words[i] != (uint32_t) (i * 2654435761U))
			panic("words[%ld] is %x after writing %x", (long) i,
			      words[i], (uint32_t) (i * 2654435761U));

	/* 4 KB past the end: the array is the last thing the program has (user/user.ld). */
	wild = &words[NWORDS + PGSIZE / sizeof(words[0])];
	cprintf("Yes, good.  Now doing a wild write off the end...\n");
	cprintf("testbss: writing to %lx\n", (uintptr_t) wild);
	*wild = 0;
	panic("testbss: the write to %lx did not fault", (uintptr_t) wild);
}
