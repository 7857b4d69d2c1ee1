/*
 * Memory and string functions for freestanding code. GCC emits calls to
 * memcpy, memmove, memset and memcmp on its own (struct copies, zeroing), so
 * those four keep their standard names and signatures. strncpy is left out on
 * purpose: strlcpy always terminates and reports truncation.
 */
#ifndef LIB_STRING_H
#define LIB_STRING_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

size_t strlen(const char *s);
/* The length of s, but at most maxlen: never reads s[maxlen] or beyond. */
size_t strnlen(const char *s, size_t maxlen);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
/* The first (strchr) or last (strrchr) c in s; c == 0 finds the terminator. */
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);

/*
 * Copy src into dst[size], truncating if needed; dst is NUL-terminated
 * whenever size > 0. Returns strlen(src): a result >= size means truncation.
 */
size_t strlcpy(char *dst, const char *src, size_t size);

/*
 * Parse the unsigned number in s[0..len) into *out. All len bytes must be
 * digits of the base: no sign, no spaces. base is 2..36, or 0 for C rules
 * ("0x1f" hex, "017" octal, else decimal); base 16 also accepts a "0x"
 * prefix. Returns 0, -EINVAL for an empty or malformed string or a bad base,
 * or -ERANGE if the value does not fit. *out is written only on success.
 */
int parse_ulong(const char *s, size_t len, unsigned int base, unsigned long *out);

#endif
