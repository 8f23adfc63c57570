/*
 * Only the file server may use I/O ports. Spawn ourselves with the
 * argument "child"; the child reads the IDE status port, which must
 * raise a General Protection fault and end the child.
 */
#include <inc/lib.h>
#include <inc/x86.h>

#define IDE_STATUS_PORT	0x1F7

static void
child(void)
{
	uint8_t status;

	cprintf("spawnfaultio: child %08x reads port %x\n", thisenv->env_id,
		IDE_STATUS_PORT);
	status = inb(IDE_STATUS_PORT);
	outb(IDE_STATUS_PORT, 0);
	cprintf("spawnfaultio: child read status %02x: it has I/O privilege!\n", status);
}

void
umain(int argc, char **argv)
{
	envid_t kid;

	if (argc > 1 && strcmp(argv[1], "child") == 0) {
		child();
		return;
	}
	if ((kid = spawnl("/spawnfaultio", "spawnfaultio", "child", NULL)) < 0)
		panic("spawnfaultio: spawn: %e", kid);
	wait(kid);
	cprintf("spawnfaultio: child %08x is gone\n", kid);
}
