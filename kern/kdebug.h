/* Function names and source lines for kernel code addresses. */
#ifndef JOS_KERN_KDEBUG_H
#define JOS_KERN_KDEBUG_H

#include <inc/types.h>

struct RipDebuginfo {
	const char *rip_file;		/* source file, or "?" */
	int rip_line;			/* source line, or 0 */
	const char *rip_fn_name;	/* function name, or "?" */
	uintptr_t rip_fn_addr;		/* start of the function */
};

int debuginfo_rip(uintptr_t rip, struct RipDebuginfo *info);

#endif /* !JOS_KERN_KDEBUG_H */
