/*
 * Host tests for lib/vsnprintf.c: a generated set of formats is run through
 * ours (lib_vsnprintf) and glibc's vsnprintf and the results must be
 * identical, return value and every byte of the buffer; a sample of them is
 * repeated with truncating buffer sizes. A few fixed cases cover what glibc
 * cannot be compared on (unknown conversions, overflow).
 */

/* Declare ours under the lib_ names, then let the standard names mean glibc's. */
#include "lib/tests/host_names.h"
#include "lib/vsnprintf.h"
#include "lib/errno.h"
#define HOST_NAMES_RESTORE
#include "lib/tests/host_names.h"

#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "lib/tests/unit.h"

#define BUF_SIZE 160  /* above the longest generated output */
#define FILL     0x5a /* bytes that no call should overwrite */

/* Counts for the running test; each comparing test resets and reports them. */
static unsigned long cases, truncation_cases, mismatches;

static void counts_reset(void)
{
    cases = truncation_cases = mismatches = 0;
}

/* Report the counts, before the test's PASS/FAIL line, and check for mismatches. */
static void counts_check(void)
{
    printf("  %lu cases compared with glibc, %lu more at truncating sizes, %lu mismatches\n", cases,
           truncation_cases, mismatches);
    CHECK_INT(mismatches, 0);
}

static void report_mismatch(const char *fmt, size_t size, int ours, const char *ours_buf,
                            int theirs, const char *theirs_buf)
{
    /* The first few are enough to debug; the count says the rest. */
    if (++mismatches > 20)
        return;
    printf("mismatch: format \"%s\" size %zu: ours %d \"%.*s\", glibc %d \"%.*s\"\n", fmt, size,
           ours, ours < 0 ? 0 : ours, ours_buf, theirs, theirs < 0 ? 0 : theirs, theirs_buf);
}

/* Run both with buffers of `size` bytes (NULL when 0) and compare everything. */
static void compare_sized(const char *fmt, size_t size, va_list ap)
{
    char ours[BUF_SIZE], theirs[BUF_SIZE];
    va_list ap_ours, ap_theirs;
    int r_ours, r_theirs;

    memset(ours, FILL, sizeof(ours));
    memset(theirs, FILL, sizeof(theirs));
    va_copy(ap_ours, ap);
    va_copy(ap_theirs, ap);
    r_ours = lib_vsnprintf(size ? ours : NULL, size, fmt, ap_ours);
    r_theirs = vsnprintf(size ? theirs : NULL, size, fmt, ap_theirs);
    va_end(ap_ours);
    va_end(ap_theirs);

    if (r_ours != r_theirs || memcmp(ours, theirs, sizeof(ours)) != 0)
        report_mismatch(fmt, size, r_ours, ours, r_theirs, theirs);
}

/*
 * Compare at full size; every 7th case also at the sizes around truncation:
 * 0, 1, 2, exactly the length (loses the last byte) and length + 1.
 */
static void compare(const char *fmt, ...)
{
    va_list ap;
    char probe[BUF_SIZE];
    int len;

    va_start(ap, fmt);
    compare_sized(fmt, BUF_SIZE, ap);
    cases++;
    if (cases % 7 == 0) {
        va_list ap_len;

        va_copy(ap_len, ap);
        len = vsnprintf(probe, sizeof(probe), fmt, ap_len);
        va_end(ap_len);
        if (len >= 0 && len + 1 < BUF_SIZE) {
            size_t sizes[] = {0, 1, 2, (size_t)len, (size_t)len + 1};

            for (size_t i = 0; i < UNIT_COUNT(sizes); i++) {
                compare_sized(fmt, sizes[i], ap);
                truncation_cases++;
            }
        }
    }
    va_end(ap);
}

/* A width or precision: its text in the format, and the `*` argument if any. */
struct field {
    const char *text;
    int star; /* the text is `*`; value is passed as an int argument */
    int value;
};

static const struct field widths[] = {
    {"", 0, 0},  {"1", 0, 0},  {"5", 0, 0},  {"20", 0, 0},
    {"*", 1, 0}, {"*", 1, 12}, {"*", 1, -6}, /* negative: the '-' flag */
};

static const struct field precisions[] = {
    {"", 0, 0},    {".", 0, 0},  {".0", 0, 0}, {".1", 0, 0},  {".5", 0, 0},
    {".20", 0, 0}, {".*", 1, 0}, {".*", 1, 3}, {".*", 1, -1}, /* negative: none */
};

/* Pass the star arguments, in format order, before the value itself. */
#define COMPARE_ARGS(fmt, w, p, arg)                                                               \
    do {                                                                                           \
        if ((w)->star && (p)->star)                                                                \
            compare(fmt, (w)->value, (p)->value, arg);                                             \
        else if ((w)->star)                                                                        \
            compare(fmt, (w)->value, arg);                                                         \
        else if ((p)->star)                                                                        \
            compare(fmt, (p)->value, arg);                                                         \
        else                                                                                       \
            compare(fmt, arg);                                                                     \
    } while (0)

/* The flags for subset `mask` of "-0+ #", each once. */
static void flags_text(unsigned int mask, const char *allowed, char *out)
{
    static const char all[] = "-0+ #";

    for (unsigned int i = 0; all[i]; i++) {
        if ((mask & (1u << i)) && strchr(allowed, all[i]))
            *out++ = all[i];
    }
    *out = '\0';
}

/* Build "<%{flags}{width}{precision}{length}{conv}>": the brackets check placement. */
static void build_format(char *fmt, size_t size, const char *flags, const struct field *w,
                         const struct field *p, const char *length, char conv)
{
    snprintf(fmt, size, "<%%%s%s%s%s%c>", flags, w->text, p->text, length, conv);
}

static const char *const lengths[] = {"", "hh", "h", "l", "ll", "z", "t", "j"};

/* Integers: small ones, ones that hh and h truncate, and the type limits. */
// clang-format off
static const unsigned long long int_values[] = {
    0, 1, (unsigned long long)-1, 42,
    127, 128, 255, 256, (unsigned long long)-128, (unsigned long long)-129,
    32767, 32768, 65535, 65536, 0x12345678,
    INT_MAX, (unsigned long long)INT_MIN, UINT_MAX,
    0x123456789abcdefULL, LLONG_MAX, (unsigned long long)LLONG_MIN, ULLONG_MAX,
};
// clang-format on

/* Pass v as the type the length modifier names (hh and h are promoted to int). */
static void compare_integer(const char *fmt, const struct field *w, const struct field *p,
                            const char *length, unsigned long long v)
{
    if (!strcmp(length, "l"))
        COMPARE_ARGS(fmt, w, p, (long)v);
    else if (!strcmp(length, "ll"))
        COMPARE_ARGS(fmt, w, p, (long long)v);
    else if (!strcmp(length, "z"))
        COMPARE_ARGS(fmt, w, p, (size_t)v);
    else if (!strcmp(length, "t"))
        COMPARE_ARGS(fmt, w, p, (ptrdiff_t)v);
    else if (!strcmp(length, "j"))
        COMPARE_ARGS(fmt, w, p, (intmax_t)v);
    else
        COMPARE_ARGS(fmt, w, p, (int)v);
}

/*
 * Integer conversions: every flag subset, width, precision, length and value.
 * All five flags are defined for these conversions ('#' with d, i, u is not
 * defined by C, but glibc ignores it, as we do, so it is compared too).
 */
UNIT_TEST(test_generated_integers)
{
    static const char convs[] = "diuxXo";
    char flags[8], fmt[64];

    counts_reset();
    for (unsigned int mask = 0; mask < 32; mask++) {
        flags_text(mask, "-0+ #", flags);
        for (size_t wi = 0; wi < UNIT_COUNT(widths); wi++) {
            for (size_t pi = 0; pi < UNIT_COUNT(precisions); pi++) {
                for (const char *c = convs; *c; c++) {
                    for (size_t li = 0; li < UNIT_COUNT(lengths); li++) {
                        build_format(fmt, sizeof(fmt), flags, &widths[wi], &precisions[pi],
                                     lengths[li], *c);
                        for (size_t vi = 0; vi < UNIT_COUNT(int_values); vi++)
                            compare_integer(fmt, &widths[wi], &precisions[pi], lengths[li],
                                            int_values[vi]);
                    }
                }
            }
        }
    }
    counts_check();
}

/*
 * %s and %c. C leaves '0' and '#' undefined for them, and a precision for %c,
 * so those are skipped; '+' and ' ' are defined as having no effect. NULL for
 * %s is a glibc extension, which we copy: "(null)", or "" if the precision
 * is below 6.
 */
UNIT_TEST(test_generated_text)
{
    static const char *const strings[] = {"", "a", "hello", "a string longer than twenty", NULL};
    static const int chars[] = {'a', ' ', '\0', 0xff};
    static const struct field no_precision = {"", 0, 0};
    char flags[8], fmt[64];

    counts_reset();
    for (unsigned int mask = 0; mask < 32; mask++) {
        /* Skip subsets that differ only in the undefined flags. */
        if (mask & (2u | 16u))
            continue;
        flags_text(mask, "-+ ", flags);
        for (size_t wi = 0; wi < UNIT_COUNT(widths); wi++) {
            for (size_t pi = 0; pi < UNIT_COUNT(precisions); pi++) {
                build_format(fmt, sizeof(fmt), flags, &widths[wi], &precisions[pi], "", 's');
                for (size_t si = 0; si < UNIT_COUNT(strings); si++)
                    COMPARE_ARGS(fmt, &widths[wi], &precisions[pi], strings[si]);
            }
            build_format(fmt, sizeof(fmt), flags, &widths[wi], &no_precision, "", 'c');
            for (size_t ci = 0; ci < UNIT_COUNT(chars); ci++)
                COMPARE_ARGS(fmt, &widths[wi], &no_precision, chars[ci]);
        }
    }
    counts_check();
}

/*
 * %p. C leaves the output implementation-defined and flags other than '-',
 * and a precision, undefined; we follow glibc, which treats a pointer as
 * %#lx (so all flags and precisions apply) and prints NULL as "(nil)".
 */
UNIT_TEST(test_generated_pointers)
{
    static int object;
    const void *const pointers[] = {NULL, (void *)1, (void *)0xdeadbeef, &object,
                                    (void *)UINTPTR_MAX};
    char flags[8], fmt[64];

    counts_reset();
    for (unsigned int mask = 0; mask < 32; mask++) {
        flags_text(mask, "-0+ #", flags);
        for (size_t wi = 0; wi < UNIT_COUNT(widths); wi++) {
            for (size_t pi = 0; pi < UNIT_COUNT(precisions); pi++) {
                build_format(fmt, sizeof(fmt), flags, &widths[wi], &precisions[pi], "", 'p');
                for (size_t i = 0; i < UNIT_COUNT(pointers); i++)
                    COMPARE_ARGS(fmt, &widths[wi], &precisions[pi], pointers[i]);
            }
        }
    }
    counts_check();
}

/* Several conversions in one format, literal text and %%. */
UNIT_TEST(test_mixed_formats)
{
    counts_reset();
    compare("");
    compare("plain text, no conversions");
    compare("%%");
    compare("100%% done%%");
    compare("%d %s %x %c %p %%", -5, "str", 0xabcu, 'z', (void *)0x1000);
    compare("[%-8s|%8s|%.2s]", "left", "right", "cut");
    compare("%hhd %hd %ld %lld %zu %td %ju", 300, 70000, -1L, LLONG_MIN, (size_t)-1, (ptrdiff_t)-2,
            (uintmax_t)UINTMAX_MAX);
    compare("%*.*d|%-*d|%.*s", 10, 4, 42, 6, 7, 3, "abcdef");
    compare("%c%c%c", 'a', '\0', 'b');
    compare("%#o %#x %#X %#.0o %#.0x", 8u, 255u, 255u, 0u, 0u);
    counts_check();
}

/* Call ours without -Wformat checking, for formats that are wrong on purpose. */
static int format_unchecked(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = lib_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

/* What glibc cannot be compared on: unknown conversions are copied as written. */
UNIT_TEST(test_unknown_conversions)
{
    char buf[32];

    CHECK_INT(format_unchecked(buf, sizeof(buf), "a%qb"), 4);
    CHECK_STR(buf, "a%qb");
    CHECK_INT(format_unchecked(buf, sizeof(buf), "%-5.3hy|", 1), 8);
    CHECK_STR(buf, "%-5.3hy|");
    CHECK_INT(format_unchecked(buf, sizeof(buf), "%n", &(int){0}), 2);
    CHECK_STR(buf, "%n");
    /* A format that ends inside a conversion stops there. */
    CHECK_INT(format_unchecked(buf, sizeof(buf), "abc%"), 4);
    CHECK_STR(buf, "abc%");
    CHECK_INT(format_unchecked(buf, sizeof(buf), "x%-08l"), 6);
    CHECK_STR(buf, "x%-08l");
}

/*
 * The C99 contract, checked directly rather than against glibc. Buffers are
 * compared with memcmp including the NUL, so a missing terminator fails
 * the check instead of making it read past the buffer.
 */
UNIT_TEST(test_truncation_contract)
{
    char buf[8];

    CHECK_INT(lib_snprintf(NULL, 0, "%d", 12345), 5);
    memset(buf, FILL, sizeof(buf));
    CHECK_INT(lib_snprintf(buf, 0, "abc"), 3);
    CHECK_INT(buf[0], FILL);
    CHECK_INT(lib_snprintf(buf, 1, "abc"), 3);
    CHECK_INT(buf[0], '\0');
    CHECK_INT(buf[1], FILL);
    memset(buf, FILL, sizeof(buf));
    CHECK_INT(lib_snprintf(buf, 3, "abc"), 3);
    CHECK(memcmp(buf, "ab", 3) == 0);
    CHECK_INT(buf[3], FILL);
    CHECK_INT(lib_snprintf(buf, 4, "abc"), 3);
    CHECK(memcmp(buf, "abc", 4) == 0);
    CHECK_INT(lib_snprintf(buf, sizeof(buf), "%s-%s", "long", "string"), 11);
    CHECK(memcmp(buf, "long-st", 8) == 0);
}

/* Lengths near INT_MAX are counted without being written. */
UNIT_TEST(test_huge_lengths)
{
    CHECK_INT(lib_snprintf(NULL, 0, "%2147483647d", 1), INT_MAX);
    /* -INT_MIN does not fit in an int: the width saturates at INT_MAX. */
    CHECK_INT(format_unchecked(NULL, 0, "%*d", INT_MIN, 1), INT_MAX);
    CHECK_INT(lib_snprintf(NULL, 0, "%.2147483646d", 7), INT_MAX - 1);
    /* Saturated: a width beyond INT_MAX counts as INT_MAX. */
    CHECK_INT(format_unchecked(NULL, 0, "%99999999999d", 1), INT_MAX);
    /* Unchecked: GCC sees through the format attribute and rejects this at compile time. */
    CHECK_INT(format_unchecked(NULL, 0, "%2147483647d%d", 1, 2), -EOVERFLOW);
}

static const struct unit_test tests[] = {
    UNIT_ENTRY(test_generated_integers),  UNIT_ENTRY(test_generated_text),
    UNIT_ENTRY(test_generated_pointers),  UNIT_ENTRY(test_mixed_formats),
    UNIT_ENTRY(test_unknown_conversions), UNIT_ENTRY(test_truncation_contract),
    UNIT_ENTRY(test_huge_lengths),
};

int main(void)
{
    return unit_main(tests, UNIT_COUNT(tests));
}
