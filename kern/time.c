/* Kernel time: the boot CPU's timer interrupts, TICK_MS apart. */
#include <kern/time.h>
#include <kern/cpu.h>

#define TICK_MS	10

static unsigned ticks;

void
time_tick(void)
{
	if (cpunum() == 0)
		ticks++;
}

unsigned
time_msec(void)
{
	return ticks * TICK_MS;
}
