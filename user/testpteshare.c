/*
 * A page mapped PTE_SHARE is shared with children, not copied: neither
 * fork nor spawn may give the child a private copy. A forked child and
 * then a spawned one (this program again, with an argument) each write
 * a message into the page; the parent must see it.
 */
#include <inc/lib.h>

#define SHARED	((char *) 0xA0000000)

static const char fork_msg[] = "hello from the forked child";
static const char spawn_msg[] = "hello from the spawned child";

static void
spawned_child(void)
{
	if (strcmp(SHARED, fork_msg) != 0)
		panic("testpteshare: spawned child sees '%s', not the forked child's message",
		      SHARED);
	strcpy(SHARED, spawn_msg);
}

void
umain(int argc, char **argv)
{
	envid_t kid;
	int r;

	if (argc > 1 && strcmp(argv[1], "child") == 0) {
		spawned_child();
		return;
	}
	if ((r = sys_page_alloc(0, SHARED, PTE_P | PTE_W | PTE_U | PTE_SHARE)) < 0)
		panic("testpteshare: sys_page_alloc: %e", r);
	strcpy(SHARED, "written by the parent");

	if ((kid = fork()) < 0)
		panic("testpteshare: fork: %e", kid);
	if (kid == 0) {
		strcpy(SHARED, fork_msg);
		exit();
	}
	wait(kid);
	if (strcmp(SHARED, fork_msg) != 0)
		panic("testpteshare: after fork the parent sees '%s'", SHARED);
	cprintf("fork handles PTE_SHARE right\n");

	if ((kid = spawnl("/testpteshare", "testpteshare", "child", NULL)) < 0)
		panic("testpteshare: spawn: %e", kid);
	wait(kid);
	if (strcmp(SHARED, spawn_msg) != 0)
		panic("testpteshare: after spawn the parent sees '%s'", SHARED);
	cprintf("spawn handles PTE_SHARE right\n");
}
