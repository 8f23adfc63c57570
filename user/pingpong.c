/*
 * Two environments bounce a counter back and forth with IPC, each one
 * adding 1, until it reaches 10.  The parent serves first.
 */
#include <inc/lib.h>

#define LAST	10

void
umain(int argc, char **argv)
{
	envid_t other, from;
	uint32_t n;

	other = fork();
	if (other < 0)
		panic("pingpong: fork: %e", other);
	if (other != 0) {
		cprintf("send 0 from %x to %x\n", sys_getenvid(), other);
		ipc_send(other, 0, NULL, 0);
	}
	for (;;) {
		n = ipc_recv(&from, NULL, NULL);
		cprintf("%x got %d from %x\n", sys_getenvid(), n, from);
		if (n >= LAST)
			return;
		ipc_send(from, n + 1, NULL, 0);
		if (n + 1 >= LAST)
			return;
	}
}
