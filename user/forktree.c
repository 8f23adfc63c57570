/*
 * A binary tree of environments, three levels below the root: every
 * environment prints its name (the path from the root, as a string of
 * '0' and '1') and forks its two children, named after it plus '0'
 * and plus '1'.
 */
#include <inc/lib.h>

#define TREE_DEPTH	3

static void grow(const char *name);

static void
fork_branch(const char *parent, char branch)
{
	char name[TREE_DEPTH + 1];
	envid_t child;
	size_t n = strlen(parent);

	if (n >= TREE_DEPTH)
		return;
	memmove(name, parent, n);
	name[n] = branch;
	name[n + 1] = '\0';
	child = fork();
	if (child < 0)
		panic("forktree: fork for '%s': %e", name, child);
	if (child == 0) {
		grow(name);
		exit();
	}
}

static void
grow(const char *name)
{
	cprintf("%04x: I am '%s'\n", sys_getenvid(), name);
	fork_branch(name, '0');
	fork_branch(name, '1');
}

void
umain(int argc, char **argv)
{
	grow("");
}
