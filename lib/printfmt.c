/*
 * The formatted-output engine behind cprintf, snprintf and friends.
 * It knows %d %i %u %o %x %X %p %s %c %e %%, the l and ll length
 * modifiers, a field width (with '-' for left and '0' for zero padding)
 * and a precision for %s. Output goes one character at a time through a
 * caller-supplied putch, so the kernel console, the user console and
 * string buffers all share this code.
 */
#include <inc/types.h>
#include <inc/stdio.h>
#include <inc/string.h>
#include <inc/stdarg.h>
#include <inc/error.h>

static const char *const error_string[MAXERROR] = {
	[E_UNSPECIFIED]	= "unspecified error",
	[E_BAD_ENV]	= "bad environment",
	[E_INVAL]	= "invalid parameter",
	[E_NO_MEM]	= "out of memory",
	[E_NO_FREE_ENV]	= "out of environments",
	[E_FAULT]	= "segmentation fault",
	[E_IPC_NOT_RECV] = "env is not recving",
	[E_EOF]		= "unexpected end of file",
	[E_NO_DISK]	= "no free space on disk",
	[E_MAX_OPEN]	= "too many files are open",
	[E_NOT_FOUND]	= "file or block not found",
	[E_BAD_PATH]	= "invalid path",
	[E_FILE_EXISTS]	= "file already exists",
	[E_NOT_EXEC]	= "file is not a valid executable",
	[E_NOT_SUPP]	= "operation not supported",
	[E_NO_VMX]	= "VMX not supported",
	[E_NO_EPT]	= "EPT not supported",
	[E_NO_UG]	= "unrestricted guest not supported",
	[E_BUSY]	= "environment busy on another CPU",
	[E_PERM]	= "operation not permitted",
	[E_NO_SVM]	= "SVM not supported",
	[E_NO_NPT]	= "nested paging not supported",
};

/* One conversion's flags, width and precision. */
struct spec {
	char pad;		/* ' ' or '0' */
	bool left;		/* '-' seen: pad on the right */
	int width;		/* -1: none */
	int precision;		/* -1: none */
	int lflag;		/* number of 'l's */
};

static void
pad(void (*putch)(int, void *), void *putdat, int n, char c)
{
	while (n-- > 0)
		putch(c, putdat);
}

/* Print the string s (at most len bytes) padded to the field width. */
static void
put_field(void (*putch)(int, void *), void *putdat, const char *s, int len,
	  const struct spec *sp)
{
	int fill = sp->width - len;

	if (!sp->left)
		pad(putch, putdat, fill, sp->pad);
	while (len-- > 0)
		putch(*s++, putdat);
	if (sp->left)
		pad(putch, putdat, fill, ' ');
}

static void
put_number(void (*putch)(int, void *), void *putdat, uint64_t num,
	   unsigned base, bool negative, bool upper, const struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	int i = sizeof(buf);

	do {
		buf[--i] = digits[num % base];
		num /= base;
	} while (num);
	if (negative && sp->pad == '0') {
		/* The sign goes before the zeros. */
		struct spec narrower = *sp;
		putch('-', putdat);
		narrower.width--;
		put_field(putch, putdat, buf + i, sizeof(buf) - i, &narrower);
		return;
	}
	if (negative)
		buf[--i] = '-';
	put_field(putch, putdat, buf + i, sizeof(buf) - i, sp);
}

static int64_t
get_signed(va_list *ap, int lflag)
{
	if (lflag >= 2)
		return va_arg(*ap, long long);
	if (lflag)
		return va_arg(*ap, long);
	return va_arg(*ap, int);
}

static uint64_t
get_unsigned(va_list *ap, int lflag)
{
	if (lflag >= 2)
		return va_arg(*ap, unsigned long long);
	if (lflag)
		return va_arg(*ap, unsigned long);
	return va_arg(*ap, unsigned int);
}

/* Parse flags, width, precision and length; return the conversion letter. */
static const char *
parse_spec(const char *fmt, struct spec *sp, va_list *ap)
{
	sp->pad = ' ';
	sp->left = false;
	sp->width = sp->precision = -1;
	sp->lflag = 0;
	for (;; fmt++) {
		if (*fmt == '-')
			sp->left = true;
		else if (*fmt == '0')
			sp->pad = '0';
		else
			break;
	}
	if (*fmt == '*') {
		sp->width = va_arg(*ap, int);
		fmt++;
	}
	for (; *fmt >= '0' && *fmt <= '9'; fmt++)
		sp->width = (sp->width < 0 ? 0 : sp->width * 10) + *fmt - '0';
	if (*fmt == '.' && fmt[1] == '*') {
		sp->precision = va_arg(*ap, int);
		fmt += 2;
	} else if (*fmt == '.') {
		sp->precision = 0;
		for (fmt++; *fmt >= '0' && *fmt <= '9'; fmt++)
			sp->precision = sp->precision * 10 + *fmt - '0';
	}
	while (*fmt == 'l') {
		sp->lflag++;
		fmt++;
	}
	if (sp->left)
		sp->pad = ' ';
	return fmt;
}

static void
put_error(void (*putch)(int, void *), void *putdat, int err, struct spec *sp)
{
	const char *s;

	if (err < 0)
		err = -err;
	if (err >= MAXERROR || !(s = error_string[err])) {
		printfmt(putch, putdat, "error %d", err);
		return;
	}
	put_field(putch, putdat, s, strlen(s), sp);
}

void
vprintfmt(void (*putch)(int, void *), void *putdat, const char *fmt, va_list ap0)
{
	struct spec sp;
	const char *s;
	int64_t n;
	char c;
	va_list ap;

	va_copy(ap, ap0);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			putch(*fmt, putdat);
			continue;
		}
		fmt = parse_spec(fmt + 1, &sp, &ap);
		switch (*fmt) {
		case 'c':
			c = va_arg(ap, int);
			put_field(putch, putdat, &c, 1, &sp);
			break;
		case 's':
			if (!(s = va_arg(ap, const char *)))
				s = "(null)";
			put_field(putch, putdat, s,
				  sp.precision >= 0 ? strnlen(s, sp.precision) : strlen(s), &sp);
			break;
		case 'e':
			put_error(putch, putdat, va_arg(ap, int), &sp);
			break;
		case 'd':
		case 'i':
			n = get_signed(&ap, sp.lflag);
			put_number(putch, putdat, n < 0 ? -(uint64_t) n : (uint64_t) n,
				   10, n < 0, false, &sp);
			break;
		case 'u':
			put_number(putch, putdat, get_unsigned(&ap, sp.lflag), 10, false, false, &sp);
			break;
		case 'o':
			put_number(putch, putdat, get_unsigned(&ap, sp.lflag), 8, false, false, &sp);
			break;
		case 'x':
		case 'X':
			put_number(putch, putdat, get_unsigned(&ap, sp.lflag), 16, false,
				   *fmt == 'X', &sp);
			break;
		case 'p':
			putch('0', putdat);
			putch('x', putdat);
			put_number(putch, putdat, (uintptr_t) va_arg(ap, void *), 16, false,
				   false, &sp);
			break;
		case '%':
			putch('%', putdat);
			break;
		case '\0':
			fmt--;		/* a lone '%' at the end */
			break;
		default:
			/* Unknown conversion: print it as written. */
			putch('%', putdat);
			putch(*fmt, putdat);
			break;
		}
	}
	va_end(ap);
}

void
printfmt(void (*putch)(int, void *), void *putdat, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintfmt(putch, putdat, fmt, ap);
	va_end(ap);
}

struct sprintbuf {
	char *buf;
	char *ebuf;		/* last usable byte; kept for the NUL */
	int cnt;
};

static void
sprintputch(int ch, void *p)
{
	struct sprintbuf *b = p;

	b->cnt++;
	if (b->buf < b->ebuf)
		*b->buf++ = ch;
}

int
vsnprintf(char *buf, int n, const char *fmt, va_list ap)
{
	struct sprintbuf b;

	/* Checked before buf + n - 1 is formed: arithmetic on NULL is undefined. */
	if (buf == NULL || n < 1)
		return -E_INVAL;
	b = (struct sprintbuf) { buf, buf + n - 1, 0 };
	vprintfmt(sprintputch, &b, fmt, ap);
	*b.buf = '\0';
	return b.cnt;
}

int
snprintf(char *buf, int n, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return rc;
}
