/* Classic style: stop in the debugger with breakpoint() from inc/x86.h. */
#include <inc/x86.h>
#include <inc/lib.h>
#include "signature.h"

static_assert(HAS_TYPE(breakpoint, void (void)));

void
umain(int argc, char **argv)
{
	cprintf("about to stop\n");
	breakpoint();
}
