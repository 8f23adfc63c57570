/*
 * ls [-d] [-F] [-l] [file...]: list directories (by default /) or files.
 *
 * A directory argument lists its entries (each prefixed with the
 * argument, "ls /vmm" prints "/vmm/kernel"; with no argument, plain
 * names), unless -d, which lists the directory itself.
 *   -F  appends '/' to directory names
 *   -l  long format: the type ('d' directory, '-' file), the size in
 *       bytes right-aligned in 10 columns, then the name:
 *         -       1234 /motd
 *         d       4096 /vmm
 */
#include <inc/lib.h>

static bool dflag, Fflag, lflag;

static void
ls1(const char *prefix, bool isdir, off_t size, const char *name)
{
	const char *sep;

	if (lflag)
		printf("%c %10ld ", isdir ? 'd' : '-', (long) size);
	if (prefix != NULL && prefix[0] != '\0') {
		sep = (prefix[strlen(prefix) - 1] == '/') ? "" : "/";
		printf("%s%s", prefix, sep);
	}
	printf("%s%s\n", name, (Fflag && isdir) ? "/" : "");
}

/* A directory's data is an array of struct File; empty names are free slots. */
static void
lsdir(const char *path, const char *prefix)
{
	static struct File f;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY)) < 0) {
		cprintf("ls: can't open %s: %e\n", path, fd);
		return;
	}
	while ((n = readn(fd, &f, sizeof(f))) == sizeof(f))
		if (f.f_name[0] != '\0')
			ls1(prefix, f.f_type == FTYPE_DIR, f.f_size, f.f_name);
	if (n < 0)
		cprintf("ls: error reading %s: %e\n", path, (int) n);
	else if (n > 0)
		cprintf("ls: %s: short directory entry\n", path);
	close(fd);
}

static void
ls(const char *path, const char *prefix)
{
	static struct Stat st;
	int r;

	if ((r = stat(path, &st)) < 0) {
		cprintf("ls: %s: %e\n", path, r);
		return;
	}
	if (st.st_isdir && !dflag)
		lsdir(path, prefix);
	else
		ls1(NULL, st.st_isdir, st.st_size, path);
}

static void __attribute__((noreturn))
usage(void)
{
	cprintf("usage: ls [-dFl] [file...]\n");
	exit();
}

void
umain(int argc, char **argv)
{
	struct Argstate args;
	int i, flag;

	argstart(&argc, argv, &args);
	while ((flag = argnext(&args)) >= 0) {
		switch (flag) {
		case 'd':
			dflag = true;
			break;
		case 'F':
			Fflag = true;
			break;
		case 'l':
			lflag = true;
			break;
		default:
			usage();
		}
	}
	if (argc == 1)
		ls("/", "");
	for (i = 1; i < argc; i++)
		ls(argv[i], argv[i]);
}
