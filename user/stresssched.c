/*
 * Many environments yielding and being preempted on several CPUs.
 * Each of 20 children does 10 rounds of: yield, then busy work on a
 * counter in its own (copy-on-write) memory, while checking that
 * thisenv still describes it, that it is marked running on a sane CPU,
 * and that its private memory was not touched by anybody else.  At the
 * end it prints the CPU it is on; the parent waits for all of them.
 */
#include <inc/lib.h>

#define NCHILDREN	20
#define ROUNDS		10
#define WORK		20000

volatile uint64_t counter;
volatile envid_t me;

static void
child(void)
{
	envid_t id = sys_getenvid();
	uint64_t expect = 0;
	int round, j;

	me = id;
	for (round = 0; round < ROUNDS; round++) {
		sys_yield();
		if (thisenv->env_id != id)
			panic("stresssched: thisenv->env_id is %08x, not %08x",
			      thisenv->env_id, id);
		if (thisenv->env_status != ENV_RUNNING)
			panic("stresssched: running, but env_status is %d",
			      thisenv->env_status);
		if (thisenv->env_cpunum < 0 || thisenv->env_cpunum >= 64)
			panic("stresssched: env_cpunum is %d", thisenv->env_cpunum);
		for (j = 0; j < WORK; j++)
			counter++;
		expect += WORK;
		if (counter != expect || me != id)
			panic("stresssched: counter %ld (expected %ld), me %08x: "
			      "someone else wrote my memory", (long) counter,
			      (long) expect, me);
	}
	cprintf("[%08x] stresssched on CPU %d\n", id, thisenv->env_cpunum);
}

void
umain(int argc, char **argv)
{
	envid_t kids[NCHILDREN];
	int i, alive;

	for (i = 0; i < NCHILDREN; i++) {
		kids[i] = fork();
		if (kids[i] < 0)
			panic("stresssched: fork: %e", kids[i]);
		if (kids[i] == 0) {
			child();
			return;
		}
	}

	/* Wait until every child's slot is free (or reused by someone else). */
	do {
		sys_yield();
		alive = 0;
		for (i = 0; i < NCHILDREN; i++) {
			const volatile struct Env *e = &envs[ENVX(kids[i])];
			if (e->env_id == kids[i] && e->env_status != ENV_FREE)
				alive++;
		}
	} while (alive > 0);
	cprintf("stresssched: all %d children are done\n", NCHILDREN);
}
