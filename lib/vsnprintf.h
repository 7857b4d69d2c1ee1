/*
 * Formatted output into a buffer, with C99 snprintf semantics: the result is
 * the length the full output would have, the buffer is always NUL-terminated
 * when size > 0, and size 0 writes nothing (buf may then be NULL).
 *
 * Conversions: d i u x X o p s c %, length modifiers hh h l ll z t j, flags
 * - 0 + space #, and width and precision as digits or `*`. There is no
 * floating point (the kernel is built without SSE) and no %n. An unknown
 * conversion is copied to the output as written. %p prints "0x" and
 * lowercase hex, or "(nil)" for NULL; %s prints NULL as "(null)", or nothing
 * if the precision is shorter than that, like glibc. If the full length would
 * exceed INT_MAX, the result is -EOVERFLOW.
 */
#ifndef LIB_VSNPRINTF_H
#define LIB_VSNPRINTF_H

#include <stdarg.h>
#include <stddef.h>

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
