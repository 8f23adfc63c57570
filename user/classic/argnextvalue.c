/* Classic style: "-f a b" gives flag f two values through argnextvalue. */
#include <inc/lib.h>
#include "signature.h"

static_assert(HAS_TYPE(argstart, void (int *, char **, struct Argstate *)));
static_assert(HAS_TYPE(argnext, int (struct Argstate *)));
static_assert(HAS_TYPE(argvalue, char *(struct Argstate *)));
static_assert(HAS_TYPE(argnextvalue, char *(struct Argstate *)));

void
umain(int argc, char **argv)
{
	struct Argstate args;
	const char *v;
	int c;

	argstart(&argc, argv, &args);
	while ((c = argnext(&args)) >= 0) {
		if (c != 'f')
			continue;
		cprintf("-f %s\n", argvalue(&args));
		while ((v = argnextvalue(&args)) != 0)
			cprintf("   and %s\n", v);
	}
}
