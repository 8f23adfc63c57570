/*
 * fsabuse: a hostile client of the file server. It builds its request
 * pages by hand (the protocol is in inc/fs.h) and asks for what no
 * well-behaved client would: bad open modes, unterminated and overlong
 * paths, negative and huge counts, sizes and offsets, file ids never
 * issued or closed or of removed files, reads of holes, requests without
 * a page or with a read-only one, unknown request numbers, answers it
 * never waits for, and writes into directories.
 *
 * Each attempt prints one line, "fsabuse: WHAT: refused (ERROR)" or
 * "fsabuse: WHAT: good" when the server did the right thing, and
 * ALLOWED, WRONG or BAD in it otherwise. Then it shows the file system
 * is intact: it removes its scratch files, prints /motd and the names in
 * /, runs fscheck, and asks the server once more.
 *
 * The attacks that took the old server down (writes into directories)
 * come last, so that a broken server still shows the others.
 */
#include <inc/lib.h>

#define FDVA(slot)	((struct Fd *) (0xCCCC0000UL + (uintptr_t) (slot) * PGSIZE))
#define REQ_PERM	(PTE_P | PTE_U | PTE_W)
#define RO_PERM		(PTE_P | PTE_U)
#define HOLE_BLOCKS	20		/* a file of holes, direct and indirect */
#define UNANSWERED	5		/* requests sent without waiting */
#define RUNS_OK		100		/* times the server may run for one unanswered request */
#define MAXTEXT		(4 * PGSIZE)
#define OFF_MAX		((int64_t) 0x7fffffffffffffffLL)
#define OFF_MIN		(-OFF_MAX - 1)

/* Where a raw open's struct Fd arrives. */
enum { DIR_FD, MOTD_FD, WRITE_FD, HOLE_FD, SCRATCH_FD, TMP_FD };

static union Fsipc req __attribute__((aligned(PGSIZE)));
static envid_t fsenv;
static char text[MAXTEXT];
static char long_path[MAXNAMELEN + 1];	/* "/abuse-nnn...": a name of MAXNAMELEN - 1 bytes */

/* Scratch files, removed at the end in this order (children first). */
static const char *scratch[] = {
	"/abuse-dir/file", "/abuse-dir", "/abuse-gone", "/abuse-newdir",
	"/abuse-keep", "/abuse-w", "/abuse-hole", "/abuse-rwdir", "/abuse-forged",
	long_path,
};

/* ---------------------------------------------------------------- requests */

/* Send the request page with perm (0: no page) and wait for the answer. */
static int
ask(uint32_t type, int perm, void *dstva)
{
	envid_t from;
	int r;

	ipc_send(fsenv, type, perm ? &req : NULL, perm);
	r = ipc_recv(&from, dstva, NULL);
	if (from != fsenv)
		panic("fsabuse: an answer from %08x, not the file server %08x", from, fsenv);
	return r;
}

static int
open_at(int slot, const char *path, int mode)
{
	memset(&req, 0, sizeof req);
	strcpy(req.open.req_path, path);
	req.open.req_omode = mode;
	return ask(FSREQ_OPEN, REQ_PERM, FDVA(slot));
}

static int
fileid(int slot)
{
	return FDVA(slot)->fd_file.id;
}

static int
read_req(int id, int64_t n, int perm)
{
	memset(&req, 0, sizeof req);
	req.read.req_fileid = id;
	req.read.req_n = n;
	return ask(FSREQ_READ, perm, NULL);
}

static int
write_req(int id, int64_t n, const void *buf, size_t len)
{
	memset(&req, 0, sizeof req);
	req.write.req_fileid = id;
	req.write.req_n = n;
	memmove(req.write.req_buf, buf, MIN(len, sizeof req.write.req_buf));
	return ask(FSREQ_WRITE, REQ_PERM, NULL);
}

static int
set_size_req(int id, int64_t size)
{
	memset(&req, 0, sizeof req);
	req.set_size.req_fileid = id;
	req.set_size.req_size = size;
	return ask(FSREQ_SET_SIZE, REQ_PERM, NULL);
}

/* Stat, flush: requests that carry only a file id. */
static int
id_req(uint32_t type, int id, int perm)
{
	memset(&req, 0, sizeof req);
	req.stat.req_fileid = id;
	return ask(type, perm, NULL);
}

static int
remove_req(const char *path)
{
	memset(&req, 0, sizeof req);
	strcpy(req.remove.req_path, path);
	return ask(FSREQ_REMOVE, REQ_PERM, NULL);
}

/* Fill all MAXPATHLEN bytes of dst: prefix, then pad, and no NUL. */
static void
fill_unterminated(char *dst, const char *prefix, char pad)
{
	size_t n = strlen(prefix);

	memset(dst, pad, MAXPATHLEN);
	memmove(dst, prefix, n);
}

/* ---------------------------------------------------------------- verdicts */

/* An attempt the server must refuse with error want (0: any error). */
static void
refused(const char *what, int r, int want)
{
	if (r < 0 && (want == 0 || r == want))
		cprintf("fsabuse: %s: refused (%e)\n", what, r);
	else if (r < 0)
		cprintf("fsabuse: %s: WRONG error (%e), expected (%e)\n", what, r, want);
	else
		cprintf("fsabuse: %s: ALLOWED (returned %d)\n", what, r);
}

/* A check of what the server did: problem is NULL if it was right. */
static void
verdict(const char *what, const char *problem)
{
	if (problem)
		cprintf("fsabuse: %s: BAD: %s\n", what, problem);
	else
		cprintf("fsabuse: %s: good\n", what);
}

/* A step that sets an attack up; failing it means the server is broken. */
static void
must(const char *what, int r)
{
	if (r < 0)
		panic("fsabuse: %s: %e", what, r);
}

/* ---------------------------------------------------------------- attacks */

static void
bad_modes(void)
{
	refused("open /motd with access mode 3", open_at(TMP_FD, "/motd", O_ACCMODE), -E_INVAL);
	refused("open /motd with an unknown flag", open_at(TMP_FD, "/motd", 0x10000), -E_INVAL);
	refused("O_TRUNC in a read-only open of /motd",
		open_at(TMP_FD, "/motd", O_RDONLY | O_TRUNC), -E_INVAL);
	refused("O_MKDIR without O_CREAT", open_at(TMP_FD, "/guest", O_MKDIR), -E_INVAL);
	refused("create a directory open for writing",
		open_at(TMP_FD, "/abuse-rwdir", O_RDWR | O_CREAT | O_MKDIR), -E_INVAL);
	verdict("the refused directory was not created",
		open_at(TMP_FD, "/abuse-rwdir", O_RDONLY) == -E_NOT_FOUND ? NULL : "it exists");
}

static void
bad_paths(void)
{
	char longname[MAXNAMELEN + 80];

	memset(&req, 0, sizeof req);
	fill_unterminated(req.open.req_path, "/motd", '/');
	req.open.req_omode = O_RDONLY;
	refused("open an unterminated path", ask(FSREQ_OPEN, REQ_PERM, FDVA(TMP_FD)), -E_BAD_PATH);

	must("create /abuse-keep", open_at(TMP_FD, "/abuse-keep", O_RDWR | O_CREAT));
	memset(&req, 0, sizeof req);
	fill_unterminated(req.remove.req_path, "/abuse-keep", '/');
	refused("remove by an unterminated path", ask(FSREQ_REMOVE, REQ_PERM, NULL), -E_BAD_PATH);
	verdict("the file named by the unterminated path is still there",
		open_at(TMP_FD, "/abuse-keep", O_RDONLY) == 0 ? NULL : "it is gone");

	memset(longname, 'x', sizeof longname - 1);
	longname[0] = '/';
	longname[sizeof longname - 1] = '\0';
	refused("open a name longer than MAXNAMELEN",
		open_at(TMP_FD, longname, O_RDWR | O_CREAT), -E_BAD_PATH);

	memset(&req, 0, sizeof req);
	req.guest_disk.req_guest = thisenv->env_id;
	fill_unterminated(req.guest_disk.req_path, "/motd", '/');
	fill_unterminated(req.guest_disk.req_template, "/guest/fs.img", '/');
	refused("name a guest disk by unterminated paths", ask(FSREQ_GUEST_DISK, REQ_PERM, NULL), 0);
	memset(&req, 0, sizeof req);
	req.guest_disk.req_guest = thisenv->env_id;
	strcpy(req.guest_disk.req_path, "/motd");
	refused("make /motd the disk of a non-guest", ask(FSREQ_GUEST_DISK, REQ_PERM, NULL), -E_INVAL);
}

/* Negative and huge counts; the server may shorten a count, never exceed a page. */
static void
bad_counts(int rid, int wid)
{
	int r;

	refused("read a negative count", read_req(rid, -1, REQ_PERM), -E_INVAL);
	refused("write a negative count", write_req(wid, -1, "x", 1), -E_INVAL);
	FDVA(MOTD_FD)->fd_offset = 0;
	r = read_req(rid, (int64_t) 1 << 62, REQ_PERM);
	verdict("read 2^62 bytes", r >= 0 && r <= PGSIZE ? NULL : "more than a page, or an error");
	r = write_req(wid, (int64_t) 1 << 62, "x", 1);
	verdict("write 2^62 bytes", r >= 0 && r <= (int) FSREQ_DATA_MAX ?
		NULL : "more than a request holds, or an error");
}

/* The offset lives in the Fd page the client shares with the server: anything goes. */
static void
bad_offsets(int rid, int wid)
{
	FDVA(MOTD_FD)->fd_offset = -BLKSIZE;
	refused("read at a negative offset", read_req(rid, 10, REQ_PERM), -E_INVAL);
	FDVA(WRITE_FD)->fd_offset = -1;
	refused("write at a negative offset", write_req(wid, 1, "x", 1), -E_INVAL);
	FDVA(WRITE_FD)->fd_offset = OFF_MAX;
	refused("write at offset 2^63-1", write_req(wid, 1, "x", 1), -E_INVAL);
	FDVA(WRITE_FD)->fd_offset = MAXFILESIZE - 10;
	refused("write across MAXFILESIZE", write_req(wid, 100, text, 100), -E_INVAL);
	FDVA(MOTD_FD)->fd_offset = OFF_MAX;
	verdict("read at offset 2^63-1",
		read_req(rid, 10, REQ_PERM) == 0 ? NULL : "not the end of the file");
	refused("set a negative size", set_size_req(wid, -1), -E_INVAL);
	refused("set a size beyond MAXFILESIZE", set_size_req(wid, MAXFILESIZE + 1), -E_INVAL);
	refused("set the size -2^63", set_size_req(wid, OFF_MIN), -E_INVAL);
}

/* Every request naming a file, with an id that names none. */
static void
bad_id(const char *what, int id)
{
	char line[80];
	int r;

	if ((r = read_req(id, 1, REQ_PERM)) == -E_INVAL &&
	    (r = write_req(id, 1, "x", 1)) == -E_INVAL &&
	    (r = set_size_req(id, 0)) == -E_INVAL &&
	    (r = id_req(FSREQ_STAT, id, REQ_PERM)) == -E_INVAL)
		r = id_req(FSREQ_FLUSH, id, REQ_PERM);
	snprintf(line, sizeof line, "read, write, set_size, stat, flush with %s", what);
	refused(line, r, -E_INVAL);
}

static void
bad_ids(void)
{
	int closed;

	bad_id("file id -1", -1);
	bad_id("file id 0", 0);
	bad_id("file id 2^31-1", 0x7fffffff);
	bad_id("file id -2^31", (int) 0x80000000);
	must("open /motd to close it", open_at(TMP_FD, "/motd", O_RDONLY));
	closed = fileid(TMP_FD);
	sys_page_unmap(0, FDVA(TMP_FD));
	bad_id("a closed file's id", closed);
}

/* A removed file's id must not reach whatever takes its place. */
static void
removals(void)
{
	int id;

	refused("remove /", remove_req("/"), -E_INVAL);
	must("mkdir /abuse-dir", open_at(TMP_FD, "/abuse-dir", O_RDONLY | O_CREAT | O_MKDIR | O_EXCL));
	must("create /abuse-dir/file", open_at(SCRATCH_FD, "/abuse-dir/file", O_RDWR | O_CREAT));
	refused("remove a directory that is not empty", remove_req("/abuse-dir"), -E_INVAL);

	must("create /abuse-gone", open_at(SCRATCH_FD, "/abuse-gone", O_RDWR | O_CREAT));
	id = fileid(SCRATCH_FD);
	must("remove /abuse-gone", remove_req("/abuse-gone"));
	must("mkdir /abuse-newdir", open_at(TMP_FD, "/abuse-newdir", O_RDONLY | O_CREAT | O_MKDIR));
	refused("write through a removed file's id", write_req(id, 5, "hello", 5), -E_INVAL);
	refused("set the size through a removed file's id", set_size_req(id, BLKSIZE + 1), -E_INVAL);
}

/* Is every byte of buf zero? */
static bool
all_zero(const char *buf, size_t n)
{
	while (n > 0)
		if (buf[--n])
			return false;
	return true;
}

/* The struct File called name in /, read as a client reads a directory. */
static int
root_entry(const char *name, struct File *out)
{
	int r, i;

	must("open / to read it", open_at(TMP_FD, "/", O_RDONLY));
	while ((r = read_req(fileid(TMP_FD), BLKSIZE, REQ_PERM)) > 0)
		for (i = 0; i + (int) sizeof *out <= r; i += sizeof *out)
			if (strcmp(req.readRet.ret_buf + i, name) == 0) {
				memmove(out, req.readRet.ret_buf + i, sizeof *out);
				return 0;
			}
	return r < 0 ? r : -E_NOT_FOUND;
}

/* Reading a hole gives zeros and allocates nothing. */
static void
holes(void)
{
	static const uint32_t probe[] = { 3, NDIRECT + 5 };
	static char line[120];
	const char *problem = NULL;
	struct File f;
	int i, id, r;

	must("create /abuse-hole", open_at(HOLE_FD, "/abuse-hole", O_RDWR | O_CREAT | O_TRUNC));
	id = fileid(HOLE_FD);
	must("make /abuse-hole all holes", set_size_req(id, HOLE_BLOCKS * BLKSIZE));
	for (i = 0; i < ARRAY_SIZE(probe); i++) {
		FDVA(HOLE_FD)->fd_offset = probe[i] * BLKSIZE;
		if ((r = read_req(id, BLKSIZE, REQ_PERM)) < 0 || !all_zero(req.readRet.ret_buf, r))
			problem = "a hole does not read as zeros";
	}
	must("find /abuse-hole in /", root_entry("abuse-hole", &f));
	if (f.f_indirect || f.f_direct[probe[0]]) {
		snprintf(line, sizeof line, "reading allocated blocks (block %d is %u, indirect %u)",
			 probe[0], f.f_direct[probe[0]], f.f_indirect);
		problem = line;
	}
	verdict("read holes", problem);
}

static void
long_name(void)
{
	int r;

	strcpy(long_path, "/abuse-");
	memset(long_path + strlen(long_path), 'n', MAXNAMELEN - strlen(long_path));
	long_path[MAXNAMELEN] = '\0';
	must("create a file with a name of MAXNAMELEN-1 bytes",
	     open_at(TMP_FD, long_path, O_RDWR | O_CREAT));
	r = id_req(FSREQ_STAT, fileid(TMP_FD), REQ_PERM);
	verdict("stat a name of MAXNAMELEN-1 bytes",
		r == 0 && strnlen(req.statRet.ret_name, MAXNAMELEN) == MAXNAMELEN - 1 &&
		strcmp(req.statRet.ret_name, long_path + 1) == 0 ? NULL : "the name came back wrong");
}

/*
 * Send requests and never wait for their answers, counting how often
 * the server is scheduled meanwhile: each of its yields is one. (On one
 * CPU, as in make grade: on several, a server also watches a client
 * running elsewhere without yielding.)
 */
static void
unanswered(void)
{
	const volatile struct Env *fs = &envs[ENVX(fsenv)];
	uint32_t runs = fs->env_runs;
	int i, r;

	memset(&req, 0, sizeof req);
	for (i = 0; i < UNANSWERED; i++) {
		while ((r = sys_ipc_try_send(fsenv, FSREQ_SYNC, &req, REQ_PERM)) == -E_IPC_NOT_RECV)
			sys_yield();
		must("send a request", r);
	}
	must("sync after the unanswered requests", ask(FSREQ_SYNC, REQ_PERM, NULL));
	runs = fs->env_runs - runs;
	cprintf("fsabuse: answers nobody waits for: %s (the server ran %u times for %d answers)\n",
		runs <= UNANSWERED * RUNS_OK ? "good" : "BAD", runs, UNANSWERED);
}

/* A client that sends and exits before its answer. */
static void
gone_client(void)
{
	envid_t kid;

	if ((kid = fork()) < 0)
		panic("fsabuse: fork: %e", kid);
	if (kid == 0) {
		memset(&req, 0, sizeof req);	/* our own copy of the page, writable */
		ipc_send(fsenv, FSREQ_SYNC, &req, REQ_PERM);
		exit();
	}
	wait(kid);
	memset(&req, 0, sizeof req);	/* fork left the page copy-on-write */
	verdict("an answer to a client that has exited",
		ask(FSREQ_SYNC, REQ_PERM, NULL) == 0 ? NULL : "the server no longer answers");
}

static void
bad_pages(int rid)
{
	static const uint32_t unknown[] = { 0, FSREQ_GUEST_DISK + 1, 0xffffffff };
	int i, r = 0;

	memset(&req, 0, sizeof req);
	req.stat.req_fileid = rid;
	refused("a request without a page", ask(FSREQ_STAT, 0, NULL), -E_INVAL);
	refused("a read into a read-only request page", read_req(rid, 10, RO_PERM), -E_INVAL);
	refused("a stat into a read-only request page", id_req(FSREQ_STAT, rid, RO_PERM), -E_INVAL);
	for (i = 0; i < ARRAY_SIZE(unknown) && r >= 0; i++)
		r = ask(unknown[i], REQ_PERM, NULL) == -E_INVAL ? 0 : -1;
	verdict("unknown request numbers", r == 0 ? NULL : "one was not refused");
}

/* Directories are the server's own data: open for reading only. */
static void
directories(void)
{
	struct File forged;
	int r, id;

	refused("open / write-only", open_at(TMP_FD, "/", O_WRONLY), -E_INVAL);
	refused("open / read-write with O_TRUNC", open_at(TMP_FD, "/", O_RDWR | O_TRUNC), -E_INVAL);
	refused("open /guest read-write with O_CREAT", open_at(TMP_FD, "/guest", O_RDWR | O_CREAT),
		-E_INVAL);
	/* What a hostile client does with / open for writing, or tries with / read-only. */
	r = open_at(DIR_FD, "/", O_RDWR);
	refused("open / read-write", r, -E_INVAL);
	if (r < 0)
		must("open / read-only", open_at(DIR_FD, "/", O_RDONLY));
	id = fileid(DIR_FD);
	must("stat /", id_req(FSREQ_STAT, id, REQ_PERM));
	memset(&forged, 0, sizeof forged);
	strcpy(forged.f_name, "abuse-forged");
	forged.f_size = BLKSIZE;
	forged.f_direct[0] = SUPER_BLOCKNO;
	FDVA(DIR_FD)->fd_offset = req.statRet.ret_size;
	refused("write a forged File into /", write_req(id, sizeof forged, &forged, sizeof forged),
		-E_INVAL);
	refused("set the size of / to half a block", set_size_req(id, BLKSIZE / 2), -E_INVAL);
	refused("open the forged File", open_at(TMP_FD, "/abuse-forged", O_RDONLY), -E_NOT_FOUND);
}

/* ---------------------------------------------------------------- afterwards */

static void
remove_scratch(void)
{
	int i, r;

	for (i = 0; i < ARRAY_SIZE(scratch); i++)
		remove(scratch[i]);
	for (i = 0, r = 0; i < ARRAY_SIZE(scratch) && r == 0; i++)
		if (open_at(TMP_FD, scratch[i], O_RDONLY) != -E_NOT_FOUND)
			r = -1;
	verdict("scratch files removed", r == 0 ? NULL : scratch[i - 1]);
}

static void
print_motd(void)
{
	int fd, n;

	if ((fd = open("/motd", O_RDONLY)) < 0)
		panic("fsabuse: open /motd: %e", fd);
	if ((n = readn(fd, text, sizeof text - 1)) < 0)
		panic("fsabuse: read /motd: %e", n);
	close(fd);
	text[n] = '\0';
	cprintf("fsabuse: /motd:\n%s%s", text, n > 0 && text[n - 1] != '\n' ? "\n" : "");
}

static void
print_root(void)
{
	static struct File f;
	int fd, n;

	if ((fd = open("/", O_RDONLY)) < 0)
		panic("fsabuse: open /: %e", fd);
	while ((n = readn(fd, &f, sizeof f)) == sizeof f)
		if (f.f_name[0])
			cprintf("fsabuse: / has %s\n", f.f_name);
	close(fd);
	cprintf("fsabuse: end of /\n");
}

static void
intact(void)
{
	struct Stat st;
	envid_t kid;

	remove_scratch();
	print_motd();
	print_root();
	if ((kid = spawnl("/fscheck", "fscheck", NULL)) < 0)
		panic("fsabuse: spawn /fscheck: %e", kid);
	wait(kid);
	verdict("the file server still answers",
		stat("/newmotd", &st) == 0 && st.st_size > 0 ? NULL : "stat /newmotd failed");
}

void
umain(int argc, char **argv)
{
	int rid, wid;

	binaryname = "fsabuse";
	if ((fsenv = ipc_find_env(ENV_TYPE_FS)) == 0)
		panic("fsabuse: no file server");
	must("open /motd", open_at(MOTD_FD, "/motd", O_RDONLY));
	rid = fileid(MOTD_FD);
	must("create /abuse-w", open_at(WRITE_FD, "/abuse-w", O_RDWR | O_CREAT | O_TRUNC));
	wid = fileid(WRITE_FD);

	bad_modes();
	bad_paths();
	bad_counts(rid, wid);
	bad_offsets(rid, wid);
	bad_ids();
	removals();
	holes();
	long_name();
	unanswered();
	gone_client();
	bad_pages(rid);
	directories();
	intact();
	cprintf("fsabuse: done\n");
}
