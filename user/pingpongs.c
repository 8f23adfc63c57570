/*
 * pingpong over sfork: parent and child share all their memory but the
 * stack. They bounce a counter with IPC up to 10; before each send the
 * sender also leaves the value in a global, which the receiver must see.
 * Each side prints thisenv's id (ipc_recv reads thisenv too), and at the
 * end a stack variable, which each side set to its own id.
 */
#include <inc/lib.h>

#define LAST	10

static volatile uint32_t shared;	/* the value last sent */

/* Receive, show what came and what is in memory; pass it on plus one. */
static void
bounce(void)
{
	envid_t from;
	uint32_t n;

	for (;;) {
		n = ipc_recv(&from, NULL, NULL);
		cprintf("%x got %d from %x, shared %d, thisenv %x\n",
			sys_getenvid(), n, from, shared, thisenv->env_id);
		if (n >= LAST)
			return;
		shared = n + 1;
		ipc_send(from, n + 1, NULL, 0);
		if (n + 1 >= LAST)
			return;
	}
}

void
umain(int argc, char **argv)
{
	volatile envid_t mine = sys_getenvid();
	envid_t child;

	if ((child = sfork()) < 0)
		panic("pingpongs: sfork: %e", child);
	if (child == 0)
		mine = sys_getenvid();
	else {
		shared = 0;
		cprintf("send 0 from %x to %x\n", sys_getenvid(), child);
		ipc_send(child, 0, NULL, 0);
	}
	bounce();
	cprintf("%x: my stack says %x\n", sys_getenvid(), mine);
}
