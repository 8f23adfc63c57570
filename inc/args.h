/* Parsing command-line flags (lib/args.c): "-abc" style options. */
#ifndef JOS_INC_ARGS_H
#define JOS_INC_ARGS_H

struct Argstate {
	int *argc;
	const char **argv;
	const char *curarg;	/* the rest of the current "-abc" word */
	const char *argvalue;
};

/*
 * argstart(&argc, argv, &args); then argnext(&args) returns each flag
 * letter in turn (removing the flags from argv) and -1 at the first
 * non-flag or after "--". argvalue(&args) returns the flag's value:
 * the rest of the word or the next word (the same one if called again).
 * argnextvalue(&args) takes a further value each time it is called, so
 * "-f a b" gives f the values "a" and then "b". Both return 0 when there
 * is none.
 */
void argstart(int *argc, char **argv, struct Argstate *args);
int argnext(struct Argstate *args);
char *argvalue(struct Argstate *args);
char *argnextvalue(struct Argstate *args);

#endif /* !JOS_INC_ARGS_H */
