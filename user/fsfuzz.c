/*
 * fsfuzz [count [seed]]: send count random requests with hostile
 * arguments to the file server (default DEFAULT_COUNT, seed 1), print
 * how each kind of request was answered, then check that the file
 * system is intact. The same seed sends the same requests.
 *
 * The requests are built by hand in the request page, as fsabuse's are:
 * random kinds (the nine of inc/fs.h, unknown numbers, requests without
 * a page or with a read-only one, requests whose answer is never waited
 * for), random file ids (held, closed, stale, made up), sizes, counts
 * and offsets drawn from the edges (0, -1, 2^63-1, MAXFILESIZE+1, ...)
 * and from the range, open modes with any flags, and paths: names under
 * /fuzz, which it may create, write and remove; /, /guest, /motd and
 * /newmotd, which it opens with any mode if they are directories and
 * read-only otherwise (their contents must survive); and hostile ones
 * (unterminated, names too long, names under a file).
 *
 * It prints "fsfuzz: BREACH ..." when an answer is impossible for a
 * sound server (a write mode granted on a directory, a read longer than
 * asked, an answer from someone else, ...). Afterwards it removes
 * /fuzz, checks /motd and the names in / are as they were, and runs
 * fscheck. "make soak" runs it with 10,000 requests.
 */
#include <inc/lib.h>

#define DEFAULT_COUNT	300
#define DEFAULT_SEED	1
#define PROGRESS	2000		/* print a line every so many requests */
#define NSLOT		8		/* open files held at once */
#define SLOTVA(i)	((struct Fd *) (0xCDD00000UL + (uintptr_t) (i) * PGSIZE))
#define NSTALE		16		/* ids remembered after their file was closed */
#define MAXERR		32		/* error codes counted one by one; beyond, together */
#define NOISE		16		/* random bytes in the data of a write */
#define REQ_PERM	(PTE_P | PTE_U | PTE_W)
#define RO_PERM		(PTE_P | PTE_U)
#define OFF_MAX		((int64_t) 0x7fffffffffffffffLL)
#define OFF_MIN		(-OFF_MAX - 1)
#define MAXTEXT		(4 * PGSIZE)
#define MAXNAMES	(32 * 1024)	/* bytes of the names in / */

enum Kind {
	K_OPEN, K_SET_SIZE, K_READ, K_WRITE, K_STAT, K_FLUSH, K_REMOVE, K_SYNC,
	K_GUEST_DISK, K_UNKNOWN, K_NO_PAGE, K_RO_PAGE, K_NO_WAIT, NKIND
};

static const char *kind_name[NKIND] = {
	"open", "set_size", "read", "write", "stat", "flush", "remove", "sync",
	"guest_disk", "unknown", "no page", "read-only", "no wait",
};

/* How often each kind is drawn, in parts of the sum. */
static const int kind_weight[NKIND] = { 20, 8, 15, 15, 6, 4, 8, 2, 3, 3, 4, 4, 4 };

/* Where a path came from, which decides what may be done with it. */
enum { P_FUZZ, P_DIR, P_FILE, P_HOSTILE };

/* Created by the fuzzer; removed at the end from the last to the first. */
static const char *fuzz_paths[] = {
	"/fuzz", "/fuzz/a", "/fuzz/b", "/fuzz/d", "/fuzz/d/a", "/fuzz/d/e",
	"/fuzz/d/e/x", "/fuzz/a/x",
};
static const char *real_dirs[] = { "/", "/guest", "", "//guest//" };
static const char *real_files[] = { "/motd", "/newmotd", "/guest/fs.img" };
static const char *missing[] = { "/motd/x", "/fuzz/../motd", "/no/such/dir" };

static union Fsipc req __attribute__((aligned(PGSIZE)));
/* The page of requests whose answers we never take: the server may still write it. */
static union Fsipc nowait_req __attribute__((aligned(PGSIZE)));
static envid_t fsenv;
static uint64_t rng;
static int held[NSLOT];			/* the id each slot's Fd holds, or 0 */
static int stale[NSTALE], nstale;
static int counts[NKIND][MAXERR + 1];	/* [kind][0]: answered >= 0; [kind][e]: -e */
static int breaches;
static char motd[MAXTEXT], motd_after[MAXTEXT];
static char names[MAXNAMES], names_after[MAXNAMES];

/* ---------------------------------------------------------------- chance */

static uint64_t
rand64(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint32_t
pick(uint32_t n)
{
	return rand64() % n;
}

static int64_t
pick_edge_or_below(const int64_t *edge, int nedge, uint64_t below)
{
	return pick(4) == 0 ? edge[pick(nedge)] : (int64_t) (rand64() % below);
}

/* A size for set_size. */
static int64_t
pick_size(void)
{
	static const int64_t edge[] = {
		0, 1, -1, BLKSIZE, NDIRECT * BLKSIZE, MAXFILESIZE - 1, MAXFILESIZE,
		MAXFILESIZE + 1, (int64_t) 1 << 32, -BLKSIZE, OFF_MAX, OFF_MIN,
	};

	return pick_edge_or_below(edge, ARRAY_SIZE(edge), MAXFILESIZE + 1);
}

/* A byte count for read or write. */
static int64_t
pick_count(void)
{
	static const int64_t edge[] = {
		0, 1, -1, FSREQ_DATA_MAX, FSREQ_DATA_MAX + 1, PGSIZE, (int64_t) 1 << 32,
		OFF_MAX, OFF_MIN,
	};

	return pick_edge_or_below(edge, ARRAY_SIZE(edge), PGSIZE + 1);
}

/* A file offset, to be written into a held Fd page. */
static int64_t
pick_offset(void)
{
	static const int64_t edge[] = {
		0, -1, MAXFILESIZE - 10, MAXFILESIZE - 1, MAXFILESIZE, NDIRECT * BLKSIZE,
		OFF_MAX, OFF_MIN,
	};

	return pick_edge_or_below(edge, ARRAY_SIZE(edge), MAXFILESIZE);
}

/* An open mode: half the time one a program would use, else any flags, or garbage. */
static int
pick_mode(void)
{
	static const int sane[] = {
		O_RDONLY, O_RDWR, O_WRONLY | O_CREAT | O_TRUNC, O_RDWR | O_CREAT,
		O_RDWR | O_CREAT, O_RDONLY | O_CREAT | O_MKDIR,
	};
	static const int access[] = { O_RDONLY, O_WRONLY, O_RDWR, O_ACCMODE };
	static const int flags[] = { O_CREAT, O_TRUNC, O_EXCL, O_MKDIR };
	int i, mode;

	if (pick(2))
		return sane[pick(ARRAY_SIZE(sane))];
	if (pick(8) == 0)
		return (int) rand64();
	mode = access[pick(ARRAY_SIZE(access))];
	for (i = 0; i < ARRAY_SIZE(flags); i++)
		if (pick(3) == 0)
			mode |= flags[i];
	return mode;
}

/* A path in dst (MAXPATHLEN bytes); returns where it came from. */
static int
pick_path(char *dst)
{
	memset(dst, 0, MAXPATHLEN);
	switch (pick(16)) {
	case 0:
	case 1:
		strcpy(dst, real_dirs[pick(ARRAY_SIZE(real_dirs))]);
		return P_DIR;
	case 2:
		strcpy(dst, real_files[pick(ARRAY_SIZE(real_files))]);
		return P_FILE;
	case 3:		/* unterminated: the page holds no NUL for it */
		memset(dst, '/', MAXPATHLEN);
		memmove(dst, "/fuzz/a", 7);
		return P_HOSTILE;
	case 4:		/* a name longer than MAXNAMELEN */
		strcpy(dst, "/fuzz/");
		memset(dst + 6, 'z', MAXNAMELEN + pick(MAXNAMELEN));
		return P_HOSTILE;
	case 5:
		strcpy(dst, missing[pick(ARRAY_SIZE(missing))]);
		return P_HOSTILE;
	default:
		strcpy(dst, fuzz_paths[pick(ARRAY_SIZE(fuzz_paths))]);
		return P_FUZZ;
	}
}

/* A file id: mostly one we hold (*slot, if asked, says which), else closed or made up. */
static int
pick_id(int *slot)
{
	static const int edge[] = { -1, 0, 1, 0x7fffffff, (int) 0x80000000 };
	int i, s = pick(NSLOT);

	if (slot)
		*slot = -1;
	if (pick(4) != 0)
		for (i = 0; i < NSLOT; i++, s = (s + 1) % NSLOT)
			if (held[s]) {
				if (slot)
					*slot = s;
				return held[s];
			}
	switch (pick(4)) {
	case 0:
	case 1:
		if (nstale)
			return stale[pick(MIN(nstale, NSTALE))];
		/* fall through */
	case 2:
		return (int) rand64();
	default:
		return edge[pick(ARRAY_SIZE(edge))];
	}
}

static enum Kind
pick_kind(void)
{
	int i, sum = 0, n;

	for (i = 0; i < NKIND; i++)
		sum += kind_weight[i];
	n = pick(sum);
	for (i = 0; n >= kind_weight[i]; i++)
		n -= kind_weight[i];
	return i;
}

/* ---------------------------------------------------------------- requests */

static void
breach(const char *what, int kind, int64_t value)
{
	cprintf("fsfuzz: BREACH: %s: %s (%ld)\n", kind_name[kind], what, (long) value);
	breaches++;
}

static void
forget_slot(int slot)
{
	if (!held[slot])
		return;
	stale[nstale++ % NSTALE] = held[slot];
	held[slot] = 0;
}

/* Send page pg (or none, perm 0); wait for the answer unless told not to. */
static int
ask(uint32_t type, void *pg, int perm, void *dstva, bool wait, int kind)
{
	envid_t from;
	int r;

	ipc_send(fsenv, type, perm ? pg : NULL, perm);
	if (!wait)
		return 0;
	r = ipc_recv(&from, dstva, NULL);
	if (from != fsenv)
		breach("an answer from another environment", kind, from);
	return r;
}

/* The request for an id: maybe move the file's offset first. */
static int
id_with_offset(void)
{
	int slot, id = pick_id(&slot);

	if (slot >= 0 && pick(4) == 0)
		SLOTVA(slot)->fd_offset = pick_offset();
	return id;
}

static void
build_open(int *slot, int *pclass)
{
	*pclass = pick_path(req.open.req_path);
	req.open.req_omode = pick_mode();
	if (*pclass == P_FILE)
		req.open.req_omode = O_RDONLY;	/* their contents must survive */
	*slot = pick(NSLOT);
}

static void
build_guest_disk(void)
{
	envid_t who[] = { thisenv->env_id, fsenv, 0, thisenv->env_parent_id, (envid_t) rand64() };

	req.guest_disk.req_guest = who[pick(ARRAY_SIZE(who))];
	pick_path(req.guest_disk.req_path);
	if (pick(2))
		pick_path(req.guest_disk.req_template);
}

/* Fill req for a request of kind k (one of inc/fs.h's); returns its number. */
static uint32_t
build(int k, int *slot, int *pclass)
{
	int i;

	memset(&req, 0, sizeof req);
	*slot = -1;
	*pclass = P_HOSTILE;
	switch (k) {
	case K_OPEN:
		build_open(slot, pclass);
		return FSREQ_OPEN;
	case K_SET_SIZE:
		req.set_size.req_fileid = pick_id(NULL);
		req.set_size.req_size = pick_size();
		return FSREQ_SET_SIZE;
	case K_READ:
		req.read.req_fileid = id_with_offset();
		req.read.req_n = pick_count();
		return FSREQ_READ;
	case K_WRITE:
		req.write.req_fileid = id_with_offset();
		req.write.req_n = pick_count();
		for (i = 0; i < NOISE; i++)
			req.write.req_buf[pick(sizeof req.write.req_buf)] = rand64();
		return FSREQ_WRITE;
	case K_STAT:
	case K_FLUSH:
		req.stat.req_fileid = pick_id(NULL);
		return k == K_STAT ? FSREQ_STAT : FSREQ_FLUSH;
	case K_REMOVE:
		if ((*pclass = pick_path(req.remove.req_path)) == P_FILE)
			strcpy(req.remove.req_path, "/fuzz/b");	/* never the real files */
		return FSREQ_REMOVE;
	case K_SYNC:
		return FSREQ_SYNC;
	default:
		build_guest_disk();
		return FSREQ_GUEST_DISK;
	}
}

/*
 * What an answer r to a request of kind k may not be. n is the count
 * the request asked for (the answer to a read overwrites the request).
 */
static void
judge(int k, int r, int64_t n, int slot, int pclass)
{
	if (k == K_OPEN && r >= 0) {
		forget_slot(slot);
		held[slot] = SLOTVA(slot)->fd_file.id;
		if (pclass == P_DIR && (req.open.req_omode & (O_ACCMODE | O_TRUNC)))
			breach("a directory opened for writing", k, req.open.req_omode);
	}
	if ((k == K_READ || k == K_WRITE) && r > 0 && (r > PGSIZE || r > n))
		breach("more bytes than asked", k, r);
	if (k == K_STAT && r >= 0 && strnlen(req.statRet.ret_name, MAXNAMELEN) == MAXNAMELEN)
		breach("an unterminated name", k, r);
}

static void
count(int k, int r)
{
	counts[k][r >= 0 ? 0 : MIN(-r, MAXERR)]++;
}

/* Requests that must be refused whatever they say: r is the answer. */
static void
must_refuse(int k, uint32_t type, int r)
{
	if (r < 0)
		return;
	if (k == K_UNKNOWN && (type == 0 || type > FSREQ_GUEST_DISK))
		breach("an unknown request answered", k, type);
	if (k == K_NO_PAGE || k == K_RO_PAGE)
		breach("a request without a writable page answered", k, type);
}

/* One random request. */
static void
one_request(void)
{
	int k = pick_kind(), slot = pick(NSLOT), pclass, r;
	uint32_t type;
	int64_t n;

	if (pick(20) == 0) {		/* close a file now and then */
		forget_slot(slot);
		sys_page_unmap(0, SLOTVA(slot));
	}
	type = build(k <= K_GUEST_DISK ? k : (int) pick(K_GUEST_DISK + 1), &slot, &pclass);
	n = k == K_WRITE ? req.write.req_n : req.read.req_n;
	switch (k) {
	case K_UNKNOWN:
		type = pick(2) ? FSREQ_GUEST_DISK + 1 + pick(100) : (uint32_t) rand64();
		/* fall through */
	case K_NO_PAGE:
	case K_RO_PAGE:
		r = ask(type, &req, k == K_NO_PAGE ? 0 : k == K_RO_PAGE ? RO_PERM : REQ_PERM,
			NULL, true, k);
		must_refuse(k, type, r);
		break;
	case K_NO_WAIT:
		memmove(&nowait_req, &req, sizeof req);
		r = ask(type, &nowait_req, REQ_PERM, NULL, false, k);
		break;
	default:
		r = ask(type, &req, REQ_PERM, slot >= 0 ? SLOTVA(slot) : NULL, true, k);
		judge(k, r, n, slot, pclass);
	}
	count(k, r);
}

/* ---------------------------------------------------------------- before and after */

/* /motd's text into buf. */
static void
read_motd(char *buf)
{
	int fd, n;

	if ((fd = open("/motd", O_RDONLY)) < 0 || (n = readn(fd, buf, MAXTEXT - 1)) < 0)
		panic("fsfuzz: cannot read /motd");
	buf[n] = '\0';
	close(fd);
}

/* The names in / (but /fuzz), one per line, into buf. */
static void
read_root(char *buf)
{
	static struct File f;
	size_t len = 0;
	int fd;

	if ((fd = open("/", O_RDONLY)) < 0)
		panic("fsfuzz: cannot open /: %e", fd);
	buf[0] = '\0';
	while (readn(fd, &f, sizeof f) == sizeof f)
		if (f.f_name[0] && strcmp(f.f_name, "fuzz") != 0 &&
		    len + strlen(f.f_name) + 2 < MAXNAMES)
			len += snprintf(buf + len, MAXNAMES - len, "%s\n", f.f_name);
	close(fd);
}

/* One line per kind: how many answers were >= 0, and how many each error. */
static void
print_counts(void)
{
	int k, e;

	for (k = 0; k < NKIND; k++) {
		cprintf("fsfuzz: %s: ok %d", kind_name[k], counts[k][0]);
		for (e = 1; e < MAXERR; e++)
			if (counts[k][e])
				cprintf(", %e %d", -e, counts[k][e]);
		if (counts[k][MAXERR])
			cprintf(", other errors %d", counts[k][MAXERR]);
		cprintf("\n");
	}
}

/* /fuzz and /fuzz/d to start with, so that the names under them can be made. */
static void
setup(void)
{
	int fd;

	if ((fd = open("/fuzz", O_RDONLY | O_CREAT | O_MKDIR)) < 0 ||
	    close(fd) < 0 || (fd = open("/fuzz/d", O_RDONLY | O_CREAT | O_MKDIR)) < 0)
		panic("fsfuzz: cannot make /fuzz/d: %e", fd);
	close(fd);
}

static void
cleanup(void)
{
	struct Stat st;
	int i;

	for (i = ARRAY_SIZE(fuzz_paths) - 1; i >= 0; i--)
		remove(fuzz_paths[i]);
	if (stat("/fuzz", &st) != -E_NOT_FOUND)
		cprintf("fsfuzz: BREACH: /fuzz cannot be removed\n");
}

static void
check_intact(void)
{
	envid_t kid;

	read_motd(motd_after);
	read_root(names_after);
	if (strcmp(motd, motd_after) != 0)
		cprintf("fsfuzz: BREACH: /motd changed\n");
	else if (strcmp(names, names_after) != 0)
		cprintf("fsfuzz: BREACH: the names in / changed\n");
	else
		cprintf("fsfuzz: /motd and the names in / are as they were\n");
	if ((kid = spawnl("/fscheck", "fscheck", NULL)) < 0)
		panic("fsfuzz: spawn /fscheck: %e", kid);
	wait(kid);
}

void
umain(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 0) : DEFAULT_COUNT;
	long seed = argc > 2 ? strtol(argv[2], NULL, 0) : DEFAULT_SEED;
	long i;

	binaryname = "fsfuzz";
	if ((fsenv = ipc_find_env(ENV_TYPE_FS)) == 0)
		panic("fsfuzz: no file server");
	rng = seed * 0x9E3779B97F4A7C15ULL + 1;		/* never 0: xorshift stays at 0 */
	read_motd(motd);
	read_root(names);
	setup();
	cprintf("fsfuzz: %ld requests, seed %ld\n", n, seed);
	for (i = 1; i <= n; i++) {
		one_request();
		if (i % PROGRESS == 0 && i < n)
			cprintf("fsfuzz: %ld requests sent\n", i);
	}
	print_counts();
	cleanup();
	check_intact();
	cprintf("fsfuzz: %d breaches\n", breaches);
	cprintf("fsfuzz: done\n");
}
