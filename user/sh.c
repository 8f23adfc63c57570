/*
 * sh: the shell.
 *
 *   sh [-x] [-i] [script]
 *
 * Reads command lines from the console with a "$ " prompt ("vm$ " in a
 * JOS-VMM guest, so you can tell them apart) when fd 0 is
 * the console (or with -i), otherwise from fd 0 without a prompt. With
 * a script argument the script becomes fd 0 (as in classic JOS, so the
 * commands it runs have the script as their standard input) and the
 * shell exits at its end. -x echoes each command line to fd 1 as
 * "# LINE" before running it. End of input ends the shell.
 *
 * Syntax: a line is pipelines separated by ';' (each waited for) or
 * '&' (not waited for: run in the background). A pipeline is commands
 * joined by '|'; a command is words with optional "< file" (stdin) and
 * "> file" (stdout, created or truncated) redirections, which take
 * precedence over pipes. Double quotes make anything, spaces and
 * special characters included, part of a word. A '#' starting a word
 * starts a comment. Command NAME runs program /NAME, unless NAME
 * contains a '/'.
 *
 * How commands run: there is no exec, and spawn gives the child a copy
 * of all of its parent's file descriptors. A command that uses the
 * shell's own fds 0 and 1 is spawned directly. Any other command (a
 * pipeline member, a redirection) is started by a forked helper that
 * puts the right files at fds 0 and 1, closes everything else, spawns
 * the program and waits for it. So every program holds exactly its
 * fds 0 and 1, and a pipe's reader sees end of file as soon as its
 * writer exits. Errors go to the console (cprintf), never into a
 * redirected output.
 */
#include <inc/lib.h>
#include <inc/vmx.h>

#define LINEMAX		1024		/* bytes in a command line */
#define MAXARGS		32		/* words in a command */
#define MAXPIPE		16		/* commands in a pipeline */

#define SPACES		" \t\r\n"
#define SYMBOLS		"<>|&;"

static bool echocmds;

/* ---- Tokenizer ---- */

/* Tokens: T_END, T_ERROR, T_WORD, or a character of SYMBOLS. */
enum { T_END = 0, T_ERROR = -1, T_WORD = 'w' };

struct Lexer {
	const char *p;			/* next input character */
	char *out;			/* where the next word's text goes */
	char *word;			/* the text of the last T_WORD */
};

/* Word texts, without quotes: never longer than the line plus a NUL per word. */
static char wordbuf[2 * LINEMAX];

static bool
is_in(char c, const char *set)
{
	return c != '\0' && strchr(set, c) != NULL;
}

static int
gettoken(struct Lexer *lx)
{
	bool quoted = false;

	while (is_in(*lx->p, SPACES))
		lx->p++;
	if (*lx->p == '\0' || *lx->p == '#')
		return T_END;
	if (is_in(*lx->p, SYMBOLS))
		return *lx->p++;

	lx->word = lx->out;
	for (; *lx->p != '\0'; lx->p++) {
		if (*lx->p == '"')
			quoted = !quoted;
		else if (!quoted && (is_in(*lx->p, SPACES) || is_in(*lx->p, SYMBOLS)))
			break;
		else
			*lx->out++ = *lx->p;
	}
	*lx->out++ = '\0';
	if (quoted) {
		cprintf("sh: syntax error: unterminated quote\n");
		return T_ERROR;
	}
	return T_WORD;
}

/* ---- Parser ---- */

struct Cmd {
	const char *argv[MAXARGS + 1];	/* NULL-terminated */
	int argc;
	const char *in, *out;		/* redirections, or NULL */
};

struct Pipeline {
	struct Cmd cmds[MAXPIPE];
	int ncmds;
	bool background;
};

static int
syntax_error(const char *msg)
{
	cprintf("sh: syntax error: %s\n", msg);
	return T_ERROR;
}

/* The file name after '<' or '>'. */
static int
parse_redirect(struct Lexer *lx, struct Cmd *c, int symbol)
{
	int t = gettoken(lx);

	if (t == T_ERROR)
		return T_ERROR;
	if (t != T_WORD)
		return syntax_error(symbol == '<' ? "< needs a file name" : "> needs a file name");
	if (symbol == '<')
		c->in = lx->word;
	else
		c->out = lx->word;
	return 0;
}

/*
 * Parse one pipeline into pl. Returns the token that ended it (';', '&'
 * or T_END) or T_ERROR. An empty pipeline (ncmds 0) is fine.
 */
static int
parse_pipeline(struct Lexer *lx, struct Pipeline *pl)
{
	struct Cmd *c;
	int t;

	memset(pl, 0, sizeof(*pl));
	for (c = &pl->cmds[0];;) {
		switch (t = gettoken(lx)) {
		case T_WORD:
			if (c->argc == MAXARGS)
				return syntax_error("too many words in a command");
			c->argv[c->argc++] = lx->word;
			break;
		case '<':
		case '>':
			if (parse_redirect(lx, c, t) < 0)
				return T_ERROR;
			break;
		case '|':
			if (c->argc == 0)
				return syntax_error("missing command before |");
			if (++pl->ncmds == MAXPIPE)
				return syntax_error("too many commands in a pipeline");
			c = &pl->cmds[pl->ncmds];
			break;
		case T_ERROR:
			return T_ERROR;
		default:		/* ';', '&', T_END */
			if (c->argc > 0)
				pl->ncmds++;
			else if (pl->ncmds > 0 || c->in || c->out)
				return syntax_error("missing command");
			pl->background = (t == '&');
			return t;
		}
	}
}

/* ---- Running commands ---- */

/* Make fd `from` into fd `to`. */
static int
move_fd(int from, int to)
{
	int r;

	if (from == to)
		return 0;
	if ((r = dup(from, to)) < 0) {
		cprintf("sh: dup: %e\n", r);
		return r;
	}
	close(from);
	return 0;
}

static int
redirect(const char *path, int mode, int to)
{
	int fd;

	if ((fd = open(path, mode)) < 0) {
		cprintf("sh: can't open %s: %e\n", path, fd);
		return fd;
	}
	return move_fd(fd, to);
}

/* Spawn c's program with the fds we have now. */
static envid_t
spawn_cmd(struct Cmd *c)
{
	static char path[MAXPATHLEN];
	envid_t r;

	snprintf(path, sizeof(path), strchr(c->argv[0], '/') ? "%s" : "/%s", c->argv[0]);
	if ((r = spawn(path, c->argv)) < 0)
		cprintf("sh: can't run %s: %e\n", path, r);
	return r;
}

/* In a forked helper: fds 0 and 1 become in and out (then redirections), run c, wait. */
static void __attribute__((noreturn))
run_helper(struct Cmd *c, int in, int out, int other)
{
	envid_t prog;

	if (other >= 0)
		close(other);
	if (move_fd(in, 0) < 0 || move_fd(out, 1) < 0)
		exit();
	if (c->in && redirect(c->in, O_RDONLY, 0) < 0)
		exit();
	if (c->out && redirect(c->out, O_WRONLY | O_CREAT | O_TRUNC, 1) < 0)
		exit();
	prog = spawn_cmd(c);
	close_all();		/* the program holds its pipe ends now, not us */
	if (prog >= 0)
		wait(prog);
	exit();
}

/*
 * Start c with stdin in and stdout out (the shell's 0 and 1, or pipe
 * ends); other is a further pipe end that c must not hold, or -1.
 * Returns the environment to wait for, or a negative error.
 */
static envid_t
start_cmd(struct Cmd *c, int in, int out, int other)
{
	envid_t helper;

	if (in == 0 && out == 1 && c->in == NULL && c->out == NULL)
		return spawn_cmd(c);
	if ((helper = fork()) < 0) {
		cprintf("sh: fork: %e\n", helper);
		return helper;
	}
	if (helper == 0)
		run_helper(c, in, out, other);
	return helper;
}

/* Start each command with a pipe to the next, then wait for them all unless in the background. */
static void
run_pipeline(struct Pipeline *pl)
{
	envid_t ids[MAXPIPE];
	int i, n = 0, in = 0, out, p[2], r;

	for (i = 0; i < pl->ncmds; i++) {
		p[0] = -1;
		out = 1;
		if (i + 1 < pl->ncmds) {
			if ((r = pipe(p)) < 0) {
				cprintf("sh: pipe: %e\n", r);
				break;
			}
			out = p[1];
		}
		if ((r = start_cmd(&pl->cmds[i], in, out, p[0])) >= 0)
			ids[n++] = r;
		if (in != 0)
			close(in);
		if (out != 1)
			close(out);
		in = (p[0] >= 0) ? p[0] : 0;
	}
	if (in != 0)
		close(in);
	if (!pl->background)
		for (i = 0; i < n; i++)
			wait(ids[i]);
}

/* Check the whole line's syntax first, then run its pipelines in order. */
static void
run_line(const char *line)
{
	static struct Pipeline pl;
	struct Lexer lx;
	int pass, t;

	for (pass = 0; pass < 2; pass++) {
		lx.p = line;
		lx.out = wordbuf;
		do {
			if ((t = parse_pipeline(&lx, &pl)) == T_ERROR)
				return;
			if (pass == 1 && pl.ncmds > 0)
				run_pipeline(&pl);
		} while (t != T_END);
	}
}

/* ---- Input ---- */

/* One line from fd, without its newline; NULL at end of input. */
static char *
read_line(int fd)
{
	static char buf[LINEMAX];
	int n = 0, r;
	bool toolong = false;
	char c;

	while ((r = read(fd, &c, 1)) == 1 && c != '\n') {
		if (n < LINEMAX - 1)
			buf[n++] = c;
		else
			toolong = true;
	}
	if (r < 0)
		cprintf("sh: read error: %e\n", r);
	if (r <= 0 && n == 0)
		return NULL;
	if (toolong) {
		cprintf("sh: line too long, ignored\n");
		n = 0;
	}
	buf[n] = '\0';
	return buf;
}

/* Nothing to run: only spaces, maybe a comment. */
static bool
is_blank(const char *line)
{
	while (is_in(*line, SPACES))
		line++;
	return *line == '\0' || *line == '#';
}

static void
open_script(const char *path)
{
	int fd;

	if ((fd = open(path, O_RDONLY)) < 0) {
		cprintf("sh: can't open %s: %e\n", path, fd);
		exit();
	}
	if (move_fd(fd, 0) < 0)
		exit();
}

static void __attribute__((noreturn))
usage(void)
{
	cprintf("usage: sh [-x] [-i] [script]\n");
	exit();
}

void
umain(int argc, char **argv)
{
	struct Argstate args;
	bool interactive = false;
	bool prompted = false;
	char *line;
	int flag;

	argstart(&argc, argv, &args);
	while ((flag = argnext(&args)) >= 0) {
		if (flag == 'x')
			echocmds = true;
		else if (flag == 'i')
			interactive = true;
		else
			usage();
	}
	if (argc > 2)
		usage();
	if (argc == 2)
		open_script(argv[1]);
	else if (iscons(0))
		interactive = true;

	for (;;) {
		if (interactive && !prompted) {
			/* The boot is over when the first prompt appears (make bench). */
			sys_milestone("shell prompt");
			prompted = true;
		}
		line = interactive ? readline(VMM_GUEST ? "vm$ " : "$ ") : read_line(0);
		if (line == NULL)
			exit();
		if (is_blank(line))
			continue;
		if (echocmds)
			printf("# %s\n", line);
		run_line(line);
	}
}
