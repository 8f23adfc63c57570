// fpukeep N: put a value of its own in the x87 and SSE registers (ST0,
// XMM0), then yield N times (0: for ever, saying so every
// PROGRESS_EVERY yields), checking after each yield that the value is
// still there. Whoever ran in between (another program, a guest, the
// host) must neither have changed it nor have left its own behind.
#include <inc/lib.h>

#define PROGRESS_EVERY	100000

/* ST0 and XMM0 hold v: the x87 stack holds it as an integer, XMM0 as bits. */
static void
fpu_put(uint64_t v)
{
	asm volatile("fninit; fildq %0; movq %0, %%xmm0" : : "m" (v));
}

/* Whether ST0 and XMM0 still hold v (ST0 is popped and pushed back). */
static bool
fpu_holds(uint64_t v)
{
	uint64_t st0, xmm0;

	asm volatile("fistpq %0; fildq %0" : "=m" (st0));
	asm volatile("movq %%xmm0, %0" : "=m" (xmm0));
	if (st0 == v && xmm0 == v)
		return true;
	cprintf("fpukeep: the registers hold %016lx and %016lx, not %016lx: CHANGED\n",
		st0, xmm0, v);
	return false;
}

void
umain(int argc, char **argv)
{
	uint64_t v = 0x0123456789ABCDEFULL ^ (sys_getenvid() * 0x9E3779B97F4A7C15ULL);
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 100, i;

	fpu_put(v);
	for (i = 1; n == 0 || i <= n; i++) {
		sys_yield();
		if (!fpu_holds(v))
			return;
		if (n == 0 && i % PROGRESS_EVERY == 0)
			cprintf("fpukeep: still holding its registers after %ld yields\n", i);
	}
	cprintf("fpukeep: kept its registers through %ld yields\n", n);
}
