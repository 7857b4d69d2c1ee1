/*
 * Memory and string functions (see lib/string.h). Plain loops, clarity first.
 * memcpy moves a machine word at a time whatever the source's alignment: network
 * data is rarely aligned (a TCP payload follows 54 bytes of headers), and a byte
 * loop over it cost the network frontend a fifth of its time sending.
 *
 * Build this with -ffreestanding: without it GCC recognises the loops below as
 * memset/strlen idioms and compiles them into calls to memset and strlen,
 * which here are these very functions.
 */
#include <stdint.h>
#include "lib/errno.h"
#include "lib/string.h"

/* A word type that may alias any object, so word-wise copies are defined. */
typedef unsigned long __attribute__((may_alias)) word_t;

static int both_aligned(const void *a, const void *b)
{
    return (((uintptr_t)a | (uintptr_t)b) & (sizeof(word_t) - 1)) == 0;
}

/*
 * The word at p, at any alignment: a fixed-size __builtin_memcpy is one load where
 * the CPU allows unaligned ones (x86 does), byte loads where it does not.
 */
static word_t load_word(const unsigned char *p)
{
    word_t w;

    __builtin_memcpy(&w, p, sizeof(w));
    return w;
}

void *memcpy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    if (n >= 2 * sizeof(word_t)) {
        /* Bytes up to an aligned destination, then words from wherever s is. */
        for (; (uintptr_t)d & (sizeof(word_t) - 1); n--)
            *d++ = *s++;
        for (; n >= sizeof(word_t); n -= sizeof(word_t)) {
            *(word_t *)d = load_word(s);
            d += sizeof(word_t);
            s += sizeof(word_t);
        }
    }
    while (n--)
        *d++ = *s++;
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    /*
     * Copying forwards is safe unless dst starts inside src; then copy
     * backwards so each byte is read before it is overwritten. Compare as
     * integers: relational operators on unrelated pointers are undefined.
     */
    if ((uintptr_t)d <= (uintptr_t)s || (uintptr_t)d - (uintptr_t)s >= n)
        return memcpy(dst, src, n);
    while (n--)
        d[n] = s[n];
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    unsigned char byte = (unsigned char)c;

    if (both_aligned(d, d)) {
        /* Every byte of the word set to `byte`: 0x0101...01 * byte. */
        word_t pattern = (word_t)-1 / 0xff * byte;

        for (; n >= sizeof(word_t); n -= sizeof(word_t)) {
            *(word_t *)d = pattern;
            d += sizeof(word_t);
        }
    }
    while (n--)
        *d++ = byte;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a;
    const unsigned char *y = b;

    for (size_t i = 0; i < n; i++) {
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    }
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;

    while (s[n])
        n++;
    return n;
}

size_t strnlen(const char *s, size_t maxlen)
{
    size_t n = 0;

    while (n < maxlen && s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    return strncmp(a, b, SIZE_MAX);
}

int strncmp(const char *a, const char *b, size_t n)
{
    /* Compare as unsigned char, as the C standard requires. */
    const unsigned char *x = (const unsigned char *)a;
    const unsigned char *y = (const unsigned char *)b;

    for (size_t i = 0; i < n; i++) {
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
        if (!x[i])
            break;
    }
    return 0;
}

char *strchr(const char *s, int c)
{
    char ch = (char)c;

    for (;; s++) {
        if (*s == ch)
            return (char *)s;
        if (!*s)
            return NULL;
    }
}

char *strrchr(const char *s, int c)
{
    char ch = (char)c;
    const char *last = NULL;

    for (;; s++) {
        if (*s == ch)
            last = s;
        if (!*s)
            return (char *)last;
    }
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
    size_t len = strlen(src);

    if (size) {
        size_t n = len < size ? len : size - 1;

        memcpy(dst, src, n);
        dst[n] = '\0';
    }
    return len;
}

/* The value of digit character c, or 36 (beyond any base) if it is none. */
static unsigned int digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return (unsigned int)(c - '0');
    if (c >= 'a' && c <= 'z')
        return (unsigned int)(c - 'a' + 10);
    if (c >= 'A' && c <= 'Z')
        return (unsigned int)(c - 'A' + 10);
    return 36;
}

static int has_hex_prefix(const char *s, size_t len)
{
    return len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
}

int parse_ulong(const char *s, size_t len, unsigned int base, unsigned long *out)
{
    unsigned long value = 0;
    int overflow = 0;

    if (base == 1 || base > 36)
        return -EINVAL;
    if (base == 0) {
        if (has_hex_prefix(s, len))
            base = 16;
        else if (len >= 2 && s[0] == '0')
            base = 8;
        else
            base = 10;
    }
    if (base == 16 && has_hex_prefix(s, len)) {
        s += 2;
        len -= 2;
    }
    if (len == 0)
        return -EINVAL;

    /* Scan to the end even after an overflow, so garbage wins over range. */
    for (size_t i = 0; i < len; i++) {
        unsigned int d = digit_value(s[i]);

        if (d >= base)
            return -EINVAL;
        if (value > (~0UL - d) / base)
            overflow = 1;
        else
            value = value * base + d;
    }
    if (overflow)
        return -ERANGE;
    *out = value;
    return 0;
}
