/* Command-line flag parsing: see inc/args.h. */
#include <inc/lib.h>

void
argstart(int *argc, char **argv, struct Argstate *args)
{
	args->argc = argc;
	args->argv = (const char **) argv;
	args->curarg = (*argc > 1 && argv ? "" : 0);
	args->argvalue = 0;
}

/* Remove argv[1] by shifting the rest down. */
static void
shift(struct Argstate *args)
{
	memmove(args->argv + 1, args->argv + 2, sizeof(const char *) * (*args->argc - 1));
	(*args->argc)--;
}

int
argnext(struct Argstate *args)
{
	int arg;

	args->argvalue = 0;
	if (args->curarg == 0)
		return -1;
	if (!*args->curarg) {
		/* Need a new word: it must look like "-x", and "--" ends the flags. */
		if (*args->argc == 1 || args->argv[1][0] != '-' || args->argv[1][1] == '\0')
			goto endofargs;
		args->curarg = args->argv[1] + 1;
		shift(args);
		if (args->curarg[0] == '-' && args->curarg[1] == '\0')
			goto endofargs;
	}
	arg = (unsigned char) *args->curarg;
	args->curarg++;
	return arg;

endofargs:
	args->curarg = 0;
	return -1;
}

/* The current flag's value, parsed on the first call and then remembered. */
char *
argvalue(struct Argstate *args)
{
	if (args->argvalue)
		return (char *) args->argvalue;
	return argnextvalue(args);
}

/* A new value for the current flag: the rest of its word, else the next word. */
char *
argnextvalue(struct Argstate *args)
{
	if (args->curarg == 0)
		return 0;
	if (*args->curarg) {
		args->argvalue = args->curarg;
		args->curarg = "";
	} else if (*args->argc > 1) {
		args->argvalue = args->argv[1];
		shift(args);
	} else {
		args->argvalue = 0;
	}
	return (char *) args->argvalue;
}
