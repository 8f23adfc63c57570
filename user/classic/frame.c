/* Classic style: walk our own stack frames from read_ebp(), and show read_esp(). */
#include <inc/x86.h>
#include <inc/lib.h>

void
umain(int argc, char **argv)
{
	uintptr_t *ebp = (uintptr_t *) read_ebp();
	uintptr_t esp = read_esp();

	cprintf("esp %08lx\n", esp);
	while (ebp) {
		cprintf("ebp %08lx eip %08lx\n", (uintptr_t) ebp, ebp[1]);
		ebp = (uintptr_t *) ebp[0];
	}
}
