/* Formatted output and line input, for the kernel and for user programs. */
/* (No printf format attribute: %e, the JOS error-code conversion, would not pass gcc's checks.) */
#ifndef JOS_INC_STDIO_H
#define JOS_INC_STDIO_H

#include <inc/stdarg.h>

#ifndef NULL
#define NULL	((void *) 0)
#endif

/* lib/printfmt.c */
void printfmt(void (*putch)(int, void *), void *putdat, const char *fmt, ...);
void vprintfmt(void (*putch)(int, void *), void *putdat, const char *fmt, va_list);
int snprintf(char *str, int size, const char *fmt, ...);
int vsnprintf(char *str, int size, const char *fmt, va_list);

/* kern/printf.c in the kernel, lib/printf.c in user space */
int cprintf(const char *fmt, ...);
int vcprintf(const char *fmt, va_list);

/* kern/console.c in the kernel, lib/console.c in user space */
void cputchar(int c);
int getchar(void);
int iscons(int fd);

/* lib/readline.c */
char *readline(const char *prompt);

#endif /* !JOS_INC_STDIO_H */
