/*
 * init: the first program on a system with a file system. It checks
 * that the loader set up its data and bss segments, prints its
 * arguments, makes the console its standard input and output
 * (fds 0 and 1), and then keeps a shell running: whenever /sh exits,
 * init starts another one.
 */
#include <inc/lib.h>

/*
 * Initialized data spanning three pages, nonzero only at page
 * boundaries, so a loader that drops or shifts a page gets the sum wrong.
 */
#define NDATA		3072
#define DATA_SUM	(1 + 1024 + 1025 + 2047 + 2048 + 3071)

static uint32_t data[NDATA] = {
	[0] = 1, [1023] = 1024, [1024] = 1025, [2047] = 2047, [2048] = 2048, [3071] = 3071,
};

/* Uninitialized data: must be all zero, over several pages. */
#define NBSS		6000

static uint32_t bss[NBSS];

static void
check_segments(void)
{
	uint32_t sum = 0;
	int i;

	for (i = 0; i < NDATA; i++)
		sum += data[i];
	if (sum == DATA_SUM)
		cprintf("init: data seems okay\n");
	else
		cprintf("init: data is not initialized: got sum %u wanted %u\n", sum, DATA_SUM);

	for (i = 0; i < NBSS; i++)
		if (bss[i] != 0) {
			cprintf("init: bss is not initialized: bss[%d] = %u\n", i, bss[i]);
			return;
		}
	cprintf("init: bss seems okay\n");
}

static void
print_args(int argc, char **argv)
{
	int i;

	cprintf("init: args:");
	for (i = 0; i < argc; i++)
		cprintf(" '%s'", argv[i]);
	cprintf("\n");
}

/* fd 0 and fd 1 become the console. */
static void
open_console(void)
{
	int r;

	close(0);
	if ((r = opencons()) < 0)
		panic("opencons: %e", r);
	if (r != 0)
		panic("first opencons used fd %d", r);
	if ((r = dup(0, 1)) < 0)
		panic("dup: %e", r);
}

/* Greet the user with /motd, as a login would. */
static void
print_motd(void)
{
	char buf[128];
	int fd, n;

	if ((fd = open("/motd", O_RDONLY)) < 0)
		return;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		write(1, buf, n);
	close(fd);
}

void
umain(int argc, char **argv)
{
	envid_t sh;

	cprintf("init: running\n");
	check_segments();
	print_args(argc, argv);
	cprintf("init: running sh\n");
	open_console();
	print_motd();

	for (;;) {
		cprintf("init: starting sh\n");
		if ((sh = spawnl("/sh", "sh", NULL)) < 0) {
			/* Retrying would only print this forever. */
			cprintf("init: spawn /sh: %e\n", sh);
			return;
		}
		wait(sh);
	}
}
