/* Classic style (faultio): look at the I/O privilege level in eflags. */
#include <inc/x86.h>
#include <inc/lib.h>

void
umain(int argc, char **argv)
{
	uint32_t eflags = read_eflags();

	if ((eflags & FL_IOPL_MASK) == FL_IOPL_3)
		cprintf("eflags wrong: IOPL 3\n");
	write_eflags(eflags & ~FL_AC);
	cprintf("eflags %08x\n", read_eflags());
}
