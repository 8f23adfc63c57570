/* readline: read one line from the console, with echo and backspace. */
#include <inc/stdio.h>
#include <inc/error.h>

#define BUFLEN		1024
#define CTRL(c)		((c) - '@')

static char buf[BUFLEN];

/* Returns the line without its newline (a static buffer), or NULL on error. */
char *
readline(const char *prompt)
{
	int i = 0, c, echo;

	if (prompt != NULL)
		cprintf("%s", prompt);
	echo = iscons(0);
	for (;;) {
		c = getchar();
		if (c < 0) {
			if (c != -E_EOF)
				cprintf("read error: %e\n", c);
			return NULL;
		} else if ((c == '\b' || c == '\x7f') && i > 0) {
			if (echo)
				cputchar('\b');
			i--;
		} else if (c == CTRL('U') || c == CTRL('C')) {
			for (; i > 0; i--)
				if (echo)
					cputchar('\b');
		} else if (c >= ' ' && i < BUFLEN - 1) {
			if (echo)
				cputchar(c);
			buf[i++] = c;
		} else if (c == '\n' || c == '\r') {
			if (echo)
				cputchar('\n');
			buf[i] = 0;
			return buf;
		}
	}
}
