/*
 * The sieve of Eratosthenes as a pipeline of environments joined by
 * pipes. The first environment writes 2, 3, ..., LIMIT - 1 into a pipe
 * and closes it. Each stage reads its first number, which is a prime,
 * prints it, forks the next stage behind a new pipe and passes on the
 * numbers its prime does not divide. End of file travels down the
 * pipeline as each stage exits and so closes its writing end.
 */
#include <inc/lib.h>

#define LIMIT	1000

/* The next number from fd; false at end of file. */
static bool
next_number(int fd, uint32_t *n)
{
	int r = readn(fd, n, sizeof(*n));

	if (r == 0)
		return false;
	if (r != sizeof(*n))
		panic("primespipe: read %d bytes of a number (%e)", r, r);
	return true;
}

static void
put_number(int fd, uint32_t n)
{
	int r = write(fd, &n, sizeof(n));

	if (r != sizeof(n))
		panic("primespipe: write %u: got %d (%e)", n, r, r);
}

/* Run as one stage after another, reading from in; never returns. */
static void
stage(int in)
{
	int p[2], r;
	uint32_t prime, n;
	envid_t next;

top:
	if (!next_number(in, &prime))
		exit();
	cprintf("prime %u\n", prime);
	if ((r = pipe(p)) < 0)
		panic("primespipe: pipe: %e", r);
	if ((next = fork()) < 0)
		panic("primespipe: fork: %e", next);
	if (next == 0) {
		/* The next stage: it reads from the new pipe only. */
		close(in);
		close(p[1]);
		in = p[0];
		goto top;
	}
	close(p[0]);
	while (next_number(in, &n))
		if (n % prime != 0)
			put_number(p[1], n);
	close(p[1]);
	wait(next);
	exit();
}

void
umain(int argc, char **argv)
{
	int p[2], r;
	envid_t first;
	uint32_t n;

	if ((r = pipe(p)) < 0)
		panic("primespipe: pipe: %e", r);
	if ((first = fork()) < 0)
		panic("primespipe: fork: %e", first);
	if (first == 0) {
		close(p[1]);
		stage(p[0]);
	}
	close(p[0]);
	for (n = 2; n < LIMIT; n++)
		put_number(p[1], n);
	close(p[1]);
	wait(first);
	cprintf("primespipe: done\n");
}
