// burn [MS]: compute, without a system call, until the kernel's clock
// (sys_time_msec) has gone MS milliseconds further (default 1000), then
// say how many rounds that took. A load that only preemption interrupts:
// in a guest, its clock and its end come from the virtual timer.
#include <inc/lib.h>

#define DEFAULT_MS	1000
#define MAX_MS		60000
#define ROUND		100000	/* loop iterations between looks at the clock */

void
umain(int argc, char **argv)
{
	long ms = argc > 1 ? strtol(argv[1], 0, 10) : DEFAULT_MS;
	volatile uint64_t sum = 0;
	uint64_t rounds = 0;
	unsigned end;
	long i;

	if (ms < 1 || ms > MAX_MS) {
		printf("usage: burn [MS], MS from 1 to %d\n", MAX_MS);
		return;
	}
	end = sys_time_msec() + ms;
	while ((int) (end - sys_time_msec()) > 0) {
		for (i = 0; i < ROUND; i++)
			sum += i;
		rounds++;
	}
	printf("burn: %lu rounds in %ld ms\n", rounds, ms);
}
