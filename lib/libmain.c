/* The C entry point of every user program: set up thisenv, run umain, exit. */
#include <inc/lib.h>

/* On the per-environment page (user/user.ld): right in both halves of an sfork. */
const volatile struct Env *thisenv __attribute__((section(".bss.perenv")));
const char *binaryname = "<unknown>";

void
libmain(int argc, char **argv)
{
	thisenv = &envs[ENVX(sys_getenvid())];
	if (argc > 0)
		binaryname = argv[0];
	umain(argc, argv);
	exit();
}
