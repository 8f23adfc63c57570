/*
 * fuzzsys: random system calls with hostile arguments, for make soak.
 *
 *   fuzzsys [CALLS [WORKERS [SEED]]]
 *
 * WORKERS children (default 4) make CALLS calls in all (default
 * 1,000,000): a random system call with arguments drawn from pools of
 * good, borderline and hostile values (bad environment ids, unaligned,
 * kernel and non-canonical addresses, huge lengths, stray permission
 * bits). A worker the kernel destroys (a bad pointer it had to read, its
 * own code unmapped) is replaced by a new one with another seed. Left
 * out, because they would end the run rather than test the kernel:
 * blocking in sys_ipc_recv, and destroying, stopping, or setting the
 * registers or fault handler of oneself (the same calls on others are
 * made). sys_halt is made, without its confirmation word. At the end
 * it prints the figures, and whether every page and environment slot
 * came back.
 */
#include <inc/lib.h>
#include <inc/vmx.h>

#define DEFAULT_CALLS	1000000
#define DEFAULT_WORKERS	4
#define MAX_WORKERS	16
#define SHARED_VA	0x30000000UL	/* the counters, shared with the workers */
#define SCRATCH_VA	0x40000000UL	/* where workers play with pages */
#define SCRATCH_PAGES	1024
#define KERNEL_VA	0xFFFFFFFF80100000UL
#define NONCANONICAL	0x8000000000000000UL
#define RARE		1000		/* one in RARE draws may hit the worker itself */

struct Counters {
	uint64_t calls;			/* made so far */
	uint64_t ok;			/* returned >= 0 */
	uint64_t err[MAXERROR];		/* returned -E_... */
	uint64_t killed;		/* workers the kernel destroyed */
	uint64_t target;		/* calls wanted */
};

static struct Counters *const counters = (struct Counters *) SHARED_VA;
static uint64_t rng_state;
static char buffer[PGSIZE] __attribute__((aligned(PGSIZE)));

static uint64_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static uint64_t
pick(const uint64_t *pool, size_t n)
{
	return pool[rng() % n];
}

/* An environment id: ours, our parent's, nobody's, or anything. */
static uint64_t
any_envid(void)
{
	const uint64_t pool[] = { thisenv->env_parent_id, 0x7FFFF000, 0xFFFFFFFF,
				  0x1000, ENVX(rng()), (uint32_t) rng() };

	if (rng() % RARE == 0)
		return 0;
	return pick(pool, ARRAY_SIZE(pool));
}

/* An address: a scratch page, or unaligned, out of range, the kernel's... */
static uint64_t
any_va(void)
{
	const uint64_t pool[] = {
		SCRATCH_VA + (rng() % SCRATCH_PAGES) * PGSIZE, SCRATCH_VA + rng() % PGSIZE,
		UTOP, UTOP - PGSIZE, UVPT, KERNEL_VA, NONCANONICAL, ~0UL, rng(),
		(uint64_t) buffer,
	};

	if (rng() % RARE == 0)
		return ROUNDDOWN(rng() % USTACKTOP, PGSIZE);	/* maybe our own code */
	return pick(pool, ARRAY_SIZE(pool));
}

static uint64_t
any_perm(void)
{
	const uint64_t pool[] = { PTE_P | PTE_U, PTE_P | PTE_U | PTE_W, 0, PTE_SYSCALL,
				  PTE_P | PTE_U | PTE_SHARE, ~0UL, rng(), PTE_P | PTE_W };

	return pick(pool, ARRAY_SIZE(pool));
}

static uint64_t
any_len(void)
{
	const uint64_t pool[] = { 0, 1, 7, PGSIZE, 1UL << 31, 1UL << 32, ~0UL, rng() };

	return pick(pool, ARRAY_SIZE(pool));
}

/*
 * Calls on ourselves that would end or stop the run: made harmless. So
 * is waiting for our parent, which waits for us (sys_env_wait would
 * rightly sleep until one of us ends: neither does).
 */
static bool
would_stop_us(uint64_t num, uint64_t a1, uint64_t a2)
{
	bool self = a1 == 0 || a1 == thisenv->env_id;

	return num == SYS_ipc_recv ||
	       (num == SYS_env_wait && (uint32_t) a1 == (uint32_t) thisenv->env_parent_id) ||
	       (self && (num == SYS_env_destroy || num == SYS_env_set_trapframe ||
			 num == SYS_env_set_pgfault_upcall)) ||
	       (num == SYS_env_set_status && self && a2 != ENV_RUNNABLE);
}

/* Console output of a few dots: a hostile pointer or length only rarely. */
static int64_t
fuzz_cputs(void)
{
	if (rng() % RARE == 0)
		return syscall_raw(SYS_cputs, any_va(), any_len(), 0, 0, 0);
	return syscall_raw(SYS_cputs, (uint64_t) ".", rng() % 2, 0, 0, 0);
}

static int64_t
one_call(void)
{
	uint64_t num = rng() % NSYSCALLS, a1, a2, a3, a4, a5;
	int64_t r;

	if (num == SYS_cputs)
		return fuzz_cputs();
	a1 = rng() % 2 ? any_envid() : any_va();
	a2 = rng() % 2 ? any_va() : (rng() % 3 ? any_perm() : any_len());
	a3 = rng() % 2 ? any_envid() : any_va();
	a4 = rng() % 2 ? any_va() : any_len();
	a5 = any_perm();
	if (would_stop_us(num, a1, a2))
		return 0;
	if (num == SYS_exofork) {
		/* Rarely: each child makes the kernel print three lines. */
		if (rng() % RARE != 0)
			return 0;
		if ((r = syscall_raw(num, 0, 0, 0, 0, 0)) == 0)
			exit();		/* we are a child that was set running */
		if (r > 0)
			syscall_raw(SYS_env_destroy, r, 0, 0, 0, 0);
		return r;
	}
	return syscall_raw(num, a1, a2, a3, a4, a5);
}

static void __attribute__((noreturn))
worker(uint64_t seed)
{
	int64_t r;

	rng_state = seed;
	while (__sync_fetch_and_add(&counters->calls, 1) < counters->target) {
		r = one_call();
		if (r >= 0)
			__sync_fetch_and_add(&counters->ok, 1);
		else if (-r < MAXERROR)
			__sync_fetch_and_add(&counters->err[-r], 1);
	}
	exit();
}

static envid_t
start_worker(uint64_t seed)
{
	envid_t id = fork();

	if (id == 0)
		worker(seed);
	if (id < 0)
		panic("fuzzsys: fork: %e", id);
	return id;
}

static bool
alive(envid_t id)
{
	return envs[ENVX(id)].env_id == id && envs[ENVX(id)].env_status != ENV_FREE;
}

static int
envs_in_use(void)
{
	int i, n = 0;

	for (i = 0; i < NENV; i++)
		n += envs[i].env_status != ENV_FREE;
	return n;
}

/* Keep nworkers workers going until the calls are made; replace the dead. */
static void
run_workers(int nworkers, uint64_t seed)
{
	envid_t ids[MAX_WORKERS];
	int i, running;

	for (i = 0; i < nworkers; i++)
		ids[i] = start_worker(seed + i);
	do {
		sys_yield();
		running = 0;
		for (i = 0; i < nworkers; i++) {
			if (alive(ids[i])) {
				running++;
			} else if (counters->calls < counters->target) {
				counters->killed++;
				ids[i] = start_worker(seed + nworkers + counters->killed);
				running++;
			}
		}
	} while (running > 0);
}

static void
report(int nworkers, size_t pages_before, int envs_before)
{
	int i;

	cprintf("\nfuzzsys: %lu calls by %d workers at a time, %lu workers destroyed by the "
		"kernel\n", counters->target, nworkers, counters->killed);
	cprintf("fuzzsys: %lu returned >= 0\n", counters->ok);
	for (i = 1; i < MAXERROR; i++)
		if (counters->err[i])
			cprintf("fuzzsys: %lu returned %e\n", counters->err[i], -i);
	cprintf("fuzzsys: free pages before %lu after %lu, environments before %d after %d\n",
		pages_before, free_pages(), envs_before, envs_in_use());
}

void
umain(int argc, char **argv)
{
	uint64_t calls = argc > 1 ? strtol(argv[1], 0, 10) : DEFAULT_CALLS;
	int nworkers = argc > 2 ? strtol(argv[2], 0, 10) : DEFAULT_WORKERS;
	uint64_t seed = argc > 3 ? strtol(argv[3], 0, 10) : 1;
	size_t pages_before;
	int envs_before;
	envid_t warmup;

	if (nworkers < 1 || nworkers > MAX_WORKERS || seed == 0)
		panic("usage: fuzzsys [CALLS [WORKERS (1-%d) [SEED (not 0)]]]", MAX_WORKERS);
	if (sys_page_alloc(0, counters, PTE_P | PTE_U | PTE_W | PTE_SHARE) < 0)
		panic("fuzzsys: no memory for the counters");
	counters->target = calls;
	/* A first fork sets up what every fork needs (the exception stack). */
	if ((warmup = fork()) == 0)
		exit();
	wait(warmup);
	pages_before = free_pages();
	envs_before = envs_in_use();
	cprintf("fuzzsys: %lu random system calls, %d workers, seed %lu\n", calls, nworkers,
		seed);
	run_workers(nworkers, seed * 7919);
	report(nworkers, pages_before, envs_before);
}
