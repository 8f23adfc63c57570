/* Basic string and memory routines, for a freestanding kernel and libc-less programs. */
#include <inc/string.h>

int
strlen(const char *s)
{
	int n = 0;

	while (s[n])
		n++;
	return n;
}

int
strnlen(const char *s, size_t size)
{
	size_t n = 0;

	while (n < size && s[n])
		n++;
	return n;
}

char *
strcpy(char *dst, const char *src)
{
	char *ret = dst;

	while ((*dst++ = *src++) != '\0')
		;
	return ret;
}

char *
strcat(char *dst, const char *src)
{
	strcpy(dst + strlen(dst), src);
	return dst;
}

/* Copy at most size bytes; pad with NULs like the C library's strncpy. */
char *
strncpy(char *dst, const char *src, size_t size)
{
	size_t i;

	for (i = 0; i < size; i++) {
		dst[i] = *src;
		if (*src)
			src++;
	}
	return dst;
}

/* Copy with truncation; the result is always NUL-terminated if size > 0. */
size_t
strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size > 0) {
		size_t n = len < size - 1 ? len : size - 1;
		memmove(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

int
strcmp(const char *p, const char *q)
{
	while (*p && *p == *q)
		p++, q++;
	return (int) ((unsigned char) *p - (unsigned char) *q);
}

int
strncmp(const char *p, const char *q, size_t n)
{
	for (; n > 0; n--, p++, q++)
		if (*p == '\0' || *p != *q)
			return (int) ((unsigned char) *p - (unsigned char) *q);
	return 0;
}

/* The first c in s, or NULL. */
char *
strchr(const char *s, char c)
{
	for (; *s; s++)
		if (*s == c)
			return (char *) s;
	return NULL;
}

/* The first c in s, or the terminating NUL. */
char *
strfind(const char *s, char c)
{
	while (*s && *s != c)
		s++;
	return (char *) s;
}

/*
 * memset and memmove use the string instructions, 8 bytes at a time when
 * the addresses allow: one instruction per 8 bytes instead of several per
 * byte, which matters in an emulator that counts instructions.
 */
#define ALIGNED8(p, q, n)	((((uintptr_t) (p) | (uintptr_t) (q) | (n)) & 7) == 0)

void *
memset(void *v, int c, size_t n)
{
	uint64_t word = 0x0101010101010101ULL * (unsigned char) c;
	size_t words = n / 8;
	void *p = v;

	if (ALIGNED8(v, 0, n))
		asm volatile("cld; rep stosq" : "+D" (p), "+c" (words) : "a" (word) : "cc", "memory");
	else
		asm volatile("cld; rep stosb" : "+D" (p), "+c" (n) : "a" (c) : "cc", "memory");
	return v;
}

void *
memmove(void *dst, const void *src, size_t n)
{
	const char *s = src;
	char *d = dst;

	if (s < d && s + n > d) {
		/* The destination overlaps the end of the source: copy backwards. */
		if (ALIGNED8(s, d, n)) {
			s += n - 8;
			d += n - 8;
			n /= 8;
			asm volatile("std; rep movsq; cld" : "+S" (s), "+D" (d), "+c" (n)
				     : : "cc", "memory");
		} else {
			s += n - 1;
			d += n - 1;
			asm volatile("std; rep movsb; cld" : "+S" (s), "+D" (d), "+c" (n)
				     : : "cc", "memory");
		}
	} else if (ALIGNED8(s, d, n)) {
		n /= 8;
		asm volatile("cld; rep movsq" : "+S" (s), "+D" (d), "+c" (n) : : "cc", "memory");
	} else {
		asm volatile("cld; rep movsb" : "+S" (s), "+D" (d), "+c" (n) : : "cc", "memory");
	}
	return dst;
}

void *
memcpy(void *dst, const void *src, size_t n)
{
	return memmove(dst, src, n);
}

int
memcmp(const void *v1, const void *v2, size_t n)
{
	const unsigned char *s1 = v1, *s2 = v2;

	for (; n > 0; n--, s1++, s2++)
		if (*s1 != *s2)
			return (int) *s1 - (int) *s2;
	return 0;
}

/* The first byte equal to c in [s, s+n), or s+n. */
void *
memfind(const void *s, int c, size_t n)
{
	const unsigned char *p = s, *end = p + n;

	for (; p < end; p++)
		if (*p == (unsigned char) c)
			break;
	return (void *) p;
}

static int
digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

/* Base 0 means: "0x" prefix for hex, leading "0" for octal, else decimal. */
long
strtol(const char *s, char **endptr, int base)
{
	bool neg = false;
	long val = 0;
	int d;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '+' || *s == '-')
		neg = (*s++ == '-');
	if ((base == 0 || base == 16) && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		base = 16;
	} else if (base == 0 && s[0] == '0') {
		base = 8;
	} else if (base == 0) {
		base = 10;
	}
	for (; (d = digit_value(*s)) < base; s++)
		val = val * base + d;
	if (endptr)
		*endptr = (char *) s;
	return neg ? -val : val;
}
