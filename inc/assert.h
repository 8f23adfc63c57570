/* panic, warn and assert: panic is for broken kernel (or program) invariants. */
#ifndef JOS_INC_ASSERT_H
#define JOS_INC_ASSERT_H

#include <inc/types.h>
#include <inc/stdio.h>

void _warn(const char *, int, const char *, ...);
void _panic(const char *, int, const char *, ...)
	__attribute__((noreturn));

bool panicking(void);	/* has the kernel panicked? */

#define warn(...) _warn(__FILE__, __LINE__, __VA_ARGS__)
#define panic(...) _panic(__FILE__, __LINE__, __VA_ARGS__)

#define assert(x)		\
	do { if (!(x)) panic("assertion failed: %s", #x); } while (0)

/* static_assert(x) fails to compile when x is false. */
#define static_assert(x)	_Static_assert(x, #x)

#endif /* !JOS_INC_ASSERT_H */
