/*
 * The sieve of Eratosthenes as a pipeline of environments.  The first
 * environment feeds 2, 3, ..., LIMIT and then 0 (the end) into the
 * pipeline.  Each filter takes the first number it gets as its prime,
 * prints it, forks the next filter and passes on only the numbers its
 * prime does not divide.  At the end every environment exits.
 *
 * A new filter does not call a function: it starts over at the top of
 * the same loop, so the stack does not grow with the pipeline.
 */
#include <inc/lib.h>

#define LIMIT	1000

/* The next number from LEFT, which must be the only sender. */
static uint32_t
receive(envid_t left)
{
	envid_t from;
	uint32_t n = ipc_recv(&from, NULL, NULL);

	if (from != left)
		panic("primes: got %d from %08x, expected %08x", n, from, left);
	return n;
}

static void
filter(envid_t left)
{
	envid_t right;
	uint32_t p, n;

become_filter:
	right = 0;
	p = receive(left);
	if (p == 0)
		return;			/* nothing was left for us */
	cprintf("prime %d\n", p);

	for (;;) {
		n = receive(left);
		if (n != 0 && n % p == 0)
			continue;
		if (n == 0 && right == 0)
			return;		/* the end, and nobody to tell */
		if (right == 0) {
			right = fork();
			if (right < 0)
				panic("primes: fork: %e", right);
			if (right == 0) {
				/* The child: the next filter, fed by its parent. */
				left = thisenv->env_parent_id;
				goto become_filter;
			}
		}
		ipc_send(right, n, NULL, 0);
		if (n == 0)
			return;
	}
}

void
umain(int argc, char **argv)
{
	envid_t first;
	uint32_t n;

	first = fork();
	if (first < 0)
		panic("primes: fork: %e", first);
	if (first == 0) {
		filter(thisenv->env_parent_id);
		return;
	}
	for (n = 2; n <= LIMIT; n++)
		ipc_send(first, n, NULL, 0);
	ipc_send(first, 0, NULL, 0);
}
