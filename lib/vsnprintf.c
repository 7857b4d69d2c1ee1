/*
 * vsnprintf and snprintf (see lib/vsnprintf.h for what they accept). Each
 * conversion is parsed into a struct spec, its argument is fetched according
 * to the length modifier, and it is rendered by put_integer or put_text.
 * Output goes through struct out, which counts every byte but stores only
 * what fits, so truncation needs no special cases.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lib/errno.h"
#include "lib/vsnprintf.h"
#include "lib/string.h"

/* The output so far: bytes land in buf[0..size-1), len counts them all. */
struct out {
    char *buf;
    size_t size;
    size_t len;
};

/* One parsed conversion specification, %[flags][width][.precision][length]conv. */
struct spec {
    bool left;     /* '-': pad on the right */
    bool zero;     /* '0': pad numbers with zeros */
    bool plus;     /* '+': always print a sign */
    bool space;    /* ' ': a space where a '+' would go */
    bool alt;      /* '#': 0x prefix, or a leading 0 for octal */
    int width;     /* minimum field width, 0 if none */
    int precision; /* -1 if none */
    char length;   /* 0, or 'H' for hh, 'L' for ll, else the modifier itself */
};

static void out_char(struct out *o, char c)
{
    /* Keep the last byte of buf for the terminator. */
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void out_repeat(struct out *o, char c, size_t n)
{
    /* Once the buffer is full only the count matters, so skip the loop. */
    while (n && o->len + 1 < o->size) {
        o->buf[o->len++] = c;
        n--;
    }
    o->len += n;
}

static void out_bytes(struct out *o, const char *s, size_t n)
{
    while (n && o->len + 1 < o->size) {
        o->buf[o->len++] = *s++;
        n--;
    }
    o->len += n;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Read a decimal width or precision, saturating at INT_MAX. */
static int parse_count(const char **p)
{
    int n = 0;

    for (; is_digit(**p); (*p)++) {
        int d = **p - '0';

        n = n > (__INT_MAX__ - d) / 10 ? __INT_MAX__ : n * 10 + d;
    }
    return n;
}

static const char *parse_flags(const char *p, struct spec *sp)
{
    for (;; p++) {
        switch (*p) {
        case '-':
            sp->left = true;
            break;
        case '0':
            sp->zero = true;
            break;
        case '+':
            sp->plus = true;
            break;
        case ' ':
            sp->space = true;
            break;
        case '#':
            sp->alt = true;
            break;
        default:
            return p;
        }
    }
}

static const char *parse_length(const char *p, struct spec *sp)
{
    switch (*p) {
    case 'h':
    case 'l':
        if (p[1] == p[0]) {
            sp->length = p[0] == 'h' ? 'H' : 'L';
            return p + 2;
        }
        sp->length = *p;
        return p + 1;
    case 'z':
    case 't':
    case 'j':
        sp->length = *p;
        return p + 1;
    default:
        return p;
    }
}

/*
 * Fetch a signed argument as a sign and a magnitude. hh and h arguments
 * arrive promoted to int and are narrowed back, as C requires.
 */
static unsigned long long fetch_signed(va_list *ap, char length, bool *negative)
{
    long long v;

    switch (length) {
    case 'H':
        v = (signed char)va_arg(*ap, int);
        break;
    case 'h':
        v = (short)va_arg(*ap, int);
        break;
    case 'l':
        v = va_arg(*ap, long);
        break;
    case 'L':
        v = va_arg(*ap, long long);
        break;
    case 'z': /* the signed type of size_t's width */
    case 't':
        v = va_arg(*ap, ptrdiff_t);
        break;
    case 'j':
        v = va_arg(*ap, intmax_t);
        break;
    default:
        v = va_arg(*ap, int);
        break;
    }
    *negative = v < 0;
    /* Negate in unsigned arithmetic: -LLONG_MIN would overflow. */
    return *negative ? 0ULL - (unsigned long long)v : (unsigned long long)v;
}

static unsigned long long fetch_unsigned(va_list *ap, char length)
{
    switch (length) {
    case 'H':
        return (unsigned char)va_arg(*ap, unsigned int);
    case 'h':
        return (unsigned short)va_arg(*ap, unsigned int);
    case 'l':
        return va_arg(*ap, unsigned long);
    case 'L':
        return va_arg(*ap, unsigned long long);
    case 'z': /* and the unsigned type of ptrdiff_t's width */
    case 't':
        return va_arg(*ap, size_t);
    case 'j':
        return va_arg(*ap, uintmax_t);
    default:
        return va_arg(*ap, unsigned int);
    }
}

/* The sign character for a non-negative signed value, or 0 for none. */
static char positive_sign(const struct spec *sp)
{
    return sp->plus ? '+' : sp->space ? ' ' : 0;
}

/*
 * Render an integer for conversion d, u, o, x, X or p (a nonzero pointer)
 * as [spaces][sign][0x][zeros][digits][spaces]. The precision is the minimum
 * number of digits, and value 0 with precision 0 prints no digits at all.
 * The '0' flag turns the padding into zeros unless '-' or a precision is
 * given.
 */
static void put_integer(struct out *o, const struct spec *sp, char conv, unsigned long long value,
                        char sign)
{
    unsigned int base = conv == 'o' ? 8 : conv == 'x' || conv == 'X' || conv == 'p' ? 16 : 10;
    const char *digit_chars = conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
    const char *prefix = NULL;
    char digits[24]; /* 22 octal digits hold 64 bits */
    size_t ndigits = 0;
    size_t precision = sp->precision < 0 ? 1 : (size_t)sp->precision;
    size_t width = (size_t)sp->width;
    size_t zeros, total, pad;

    /* %p always has 0x; '#' adds it to a nonzero %x or %X. */
    if (conv == 'p' || (conv == 'x' && sp->alt && value))
        prefix = "0x";
    else if (conv == 'X' && sp->alt && value)
        prefix = "0X";

    for (unsigned long long v = value; v; v /= base)
        digits[ndigits++] = digit_chars[v % base];
    /* Value 0 has no digits here; the precision's zeros print it. */
    zeros = precision > ndigits ? precision - ndigits : 0;
    /* '#' with o makes the first digit a 0, raising the precision if needed. */
    if (sp->alt && base == 8 && zeros == 0)
        zeros = 1;

    total = (sign ? 1 : 0) + (prefix ? 2 : 0) + zeros + ndigits;
    if (sp->zero && !sp->left && sp->precision < 0 && width > total) {
        zeros += width - total;
        total = width;
    }
    pad = width > total ? width - total : 0;

    if (!sp->left)
        out_repeat(o, ' ', pad);
    if (sign)
        out_char(o, sign);
    if (prefix)
        out_bytes(o, prefix, 2);
    out_repeat(o, '0', zeros);
    while (ndigits)
        out_char(o, digits[--ndigits]);
    if (sp->left)
        out_repeat(o, ' ', pad);
}

/* Render len bytes of text padded to the width; '0' does not apply. */
static void put_text(struct out *o, const struct spec *sp, const char *s, size_t len)
{
    size_t width = (size_t)sp->width;
    size_t pad = width > len ? width - len : 0;

    if (!sp->left)
        out_repeat(o, ' ', pad);
    out_bytes(o, s, len);
    if (sp->left)
        out_repeat(o, ' ', pad);
}

static void put_string(struct out *o, const struct spec *sp, const char *s)
{
    size_t len;

    /* Like glibc: "(null)", or nothing rather than a cut "(nu". */
    if (!s)
        s = sp->precision < 0 || sp->precision >= 6 ? "(null)" : "";
    len = sp->precision < 0 ? strlen(s) : strnlen(s, (size_t)sp->precision);
    put_text(o, sp, s, len);
}

static void put_pointer(struct out *o, const struct spec *sp, const void *p)
{
    /* Like glibc: NULL is "(nil)" whatever the precision, else as %#lx. */
    if (!p)
        put_text(o, sp, "(nil)", 5);
    else
        put_integer(o, sp, 'p', (uintptr_t)p, positive_sign(sp));
}

/* Render the conversion at fmt (its '%'); return where the format resumes. */
static const char *format_one(struct out *o, const char *fmt, va_list *ap)
{
    struct spec sp = {.precision = -1};
    const char *p = parse_flags(fmt + 1, &sp);
    unsigned long long value;
    bool negative;

    if (*p == '*') {
        int w = va_arg(*ap, int);

        /* A negative `*` width is the '-' flag and a positive width. */
        if (w < 0) {
            sp.left = true;
            w = w == -__INT_MAX__ - 1 ? __INT_MAX__ : -w;
        }
        sp.width = w;
        p++;
    } else {
        sp.width = parse_count(&p);
    }
    if (*p == '.') {
        p++;
        if (*p == '*') {
            int prec = va_arg(*ap, int);

            /* A negative `*` precision counts as none. */
            sp.precision = prec < 0 ? -1 : prec;
            p++;
        } else {
            sp.precision = parse_count(&p);
        }
    }
    p = parse_length(p, &sp);

    switch (*p) {
    case 'd':
    case 'i':
        value = fetch_signed(ap, sp.length, &negative);
        put_integer(o, &sp, 'd', value, negative ? '-' : positive_sign(&sp));
        break;
    case 'u':
    case 'o':
    case 'x':
    case 'X':
        /* The '+' and ' ' flags apply only to signed conversions. */
        put_integer(o, &sp, *p, fetch_unsigned(ap, sp.length), 0);
        break;
    case 'p':
        put_pointer(o, &sp, va_arg(*ap, const void *));
        break;
    case 's':
        put_string(o, &sp, va_arg(*ap, const char *));
        break;
    case 'c': {
        char c = (char)va_arg(*ap, int);

        put_text(o, &sp, &c, 1);
        break;
    }
    case '%':
        out_char(o, '%');
        break;
    case '\0':
        /* The format ends inside a conversion: copy it, do not read past NUL. */
        out_bytes(o, fmt, (size_t)(p - fmt));
        return p;
    default:
        /* Unknown conversion (including %n, never supported): copy it as written. */
        out_bytes(o, fmt, (size_t)(p - fmt) + 1);
        break;
    }
    return p + 1;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = {.buf = buf, .size = size, .len = 0};
    va_list args;

    /* A local copy, so helpers can take its address portably. */
    va_copy(args, ap);
    while (*fmt) {
        if (*fmt == '%')
            fmt = format_one(&o, fmt, &args);
        else
            out_char(&o, *fmt++);
    }
    va_end(args);

    if (size)
        buf[o.len < size ? o.len : size - 1] = '\0';
    if (o.len > (size_t)__INT_MAX__)
        return -EOVERFLOW;
    return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
