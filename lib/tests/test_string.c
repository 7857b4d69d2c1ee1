/*
 * Host tests for lib/string.c and lib/errno.c. The memory functions are run
 * over every small size and alignment and compared with the obvious byte
 * loop; the bytes around the destination must stay untouched.
 */

/* Declare ours under the lib_ names, then let the standard names mean glibc's. */
#include "lib/tests/host_names.h"
#include "lib/string.h"
#include "lib/errno.h"
#define HOST_NAMES_RESTORE
#include "lib/tests/host_names.h"

#include <limits.h>
#include <stdint.h>
#include "lib/tests/unit.h"

#define AREA 96

/* A recognisable byte for every offset, so misplaced copies show. */
static void fill_pattern(unsigned char *p, size_t n, unsigned char seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(seed + i * 7);
}

UNIT_TEST(test_memcpy)
{
    unsigned char src[AREA], dst[AREA], want[AREA];

    for (size_t soff = 0; soff < 9; soff++) {
        for (size_t doff = 0; doff < 9; doff++) {
            for (size_t n = 0; n <= 64; n++) {
                fill_pattern(src, AREA, 1);
                fill_pattern(dst, AREA, 100);
                fill_pattern(want, AREA, 100);
                for (size_t i = 0; i < n; i++)
                    want[doff + i] = src[soff + i];
                CHECK(lib_memcpy(dst + doff, src + soff, n) == dst + doff);
                CHECK(memcmp(dst, want, AREA) == 0);
            }
        }
    }
    CHECK(lib_memcpy(NULL, NULL, 0) == NULL);
}

UNIT_TEST(test_memmove_overlap)
{
    unsigned char buf[AREA], want[AREA];

    /* Every source and destination offset in one buffer, both directions. */
    for (size_t soff = 0; soff < 24; soff++) {
        for (size_t doff = 0; doff < 24; doff++) {
            for (size_t n = 0; n <= 64; n += (n < 17 ? 1 : 5)) {
                fill_pattern(buf, AREA, 3);
                fill_pattern(want, AREA, 3);
                memmove(want + doff, want + soff, n); /* glibc's, as the reference */
                CHECK(lib_memmove(buf + doff, buf + soff, n) == buf + doff);
                CHECK(memcmp(buf, want, AREA) == 0);
            }
        }
    }
}

UNIT_TEST(test_memset)
{
    unsigned char buf[AREA], want[AREA];

    for (size_t off = 0; off < 9; off++) {
        for (size_t n = 0; n <= 64; n++) {
            fill_pattern(buf, AREA, 9);
            fill_pattern(want, AREA, 9);
            for (size_t i = 0; i < n; i++)
                want[off + i] = 0xab;
            /* Only the low byte of c counts. */
            CHECK(lib_memset(buf + off, 0x12ab, n) == buf + off);
            CHECK(memcmp(buf, want, AREA) == 0);
        }
    }
    lib_memset(buf, 0, AREA);
    for (size_t i = 0; i < AREA; i++)
        CHECK(buf[i] == 0);
}

UNIT_TEST(test_memcmp)
{
    CHECK(lib_memcmp("abc", "abc", 3) == 0);
    CHECK(lib_memcmp("abc", "abd", 3) < 0);
    CHECK(lib_memcmp("abd", "abc", 3) > 0);
    CHECK(lib_memcmp("abc", "abd", 2) == 0);
    CHECK(lib_memcmp("x", "y", 0) == 0);
    /* Bytes compare as unsigned char: 0x80 is above 0x01. */
    CHECK(lib_memcmp("\x80", "\x01", 1) > 0);
    /* Embedded NULs do not stop memcmp. */
    CHECK(lib_memcmp("a\0b", "a\0c", 3) < 0);
}

UNIT_TEST(test_strlen_strnlen)
{
    static const char unterminated[3] = {'a', 'b', 'c'};

    CHECK_INT(lib_strlen(""), 0);
    CHECK_INT(lib_strlen("hello"), 5);
    CHECK_INT(lib_strnlen("hello", 10), 5);
    CHECK_INT(lib_strnlen("hello", 5), 5);
    CHECK_INT(lib_strnlen("hello", 2), 2);
    CHECK_INT(lib_strnlen("hello", 0), 0);
    /* ASan fails this if strnlen reads past maxlen. */
    CHECK_INT(lib_strnlen(unterminated, sizeof(unterminated)), 3);
}

UNIT_TEST(test_strcmp_strncmp)
{
    CHECK(lib_strcmp("", "") == 0);
    CHECK(lib_strcmp("abc", "abc") == 0);
    CHECK(lib_strcmp("abc", "abd") < 0);
    CHECK(lib_strcmp("abc", "ab") > 0);
    CHECK(lib_strcmp("ab", "abc") < 0);
    CHECK(lib_strcmp("\xff", "a") > 0);
    CHECK(lib_strncmp("abc", "abd", 2) == 0);
    CHECK(lib_strncmp("abc", "abd", 3) < 0);
    CHECK(lib_strncmp("abc", "xyz", 0) == 0);
    /* Equal strings stop at their NUL even if n is larger. */
    CHECK(lib_strncmp("ab\0x", "ab\0y", 10) == 0);
    CHECK(lib_strncmp("ab", "abc", 3) < 0);
}

UNIT_TEST(test_strchr_strrchr)
{
    const char *s = "hello world";

    CHECK(lib_strchr(s, 'o') == s + 4);
    CHECK(lib_strrchr(s, 'o') == s + 7);
    CHECK(lib_strchr(s, 'h') == s);
    CHECK(lib_strrchr(s, 'd') == s + 10);
    CHECK(lib_strchr(s, 'z') == NULL);
    CHECK(lib_strrchr(s, 'z') == NULL);
    /* c == 0 finds the terminator. */
    CHECK(lib_strchr(s, '\0') == s + 11);
    CHECK(lib_strrchr(s, '\0') == s + 11);
    /* c is converted to char first. */
    CHECK(lib_strchr(s, 'w' + 256) == s + 6);
    CHECK(lib_strchr("", 'a') == NULL);
}

UNIT_TEST(test_strlcpy)
{
    char buf[8];

    memset(buf, 'x', sizeof(buf));
    CHECK_INT(lib_strlcpy(buf, "hello", 0), 5);
    CHECK_INT(buf[0], 'x');
    CHECK_INT(lib_strlcpy(NULL, "hello", 0), 5);
    CHECK_INT(lib_strlcpy(buf, "hello", 1), 5);
    CHECK_STR(buf, "");
    CHECK_INT(lib_strlcpy(buf, "hello", 5), 5);
    CHECK_STR(buf, "hell");
    CHECK_INT(lib_strlcpy(buf, "hello", 6), 5);
    CHECK_STR(buf, "hello");
    CHECK_INT(lib_strlcpy(buf, "", sizeof(buf)), 0);
    CHECK_STR(buf, "");
    CHECK_INT(lib_strlcpy(buf, "a much longer string", sizeof(buf)), 20);
    CHECK_STR(buf, "a much ");
}

struct parse_case {
    const char *s;
    size_t len; /* 0: use strlen(s) */
    unsigned int base;
    int rc;
    unsigned long value;
};

static const struct parse_case parse_cases[] = {
    {"0", 0, 0, 0, 0},
    {"123", 0, 0, 0, 123},
    {"123", 0, 10, 0, 123},
    {"0x1f", 0, 0, 0, 31},
    {"0X1F", 0, 0, 0, 31},
    {"017", 0, 0, 0, 15},
    {"00", 0, 0, 0, 0},
    {"ff", 0, 16, 0, 255},
    {"0xff", 0, 16, 0, 255},
    {"101", 0, 2, 0, 5},
    {"zZ", 0, 36, 0, 35 * 36 + 35},
    {"777", 0, 8, 0, 511},
    {"18446744073709551615", 0, 10, 0, ULONG_MAX},
    {"0xffffffffffffffff", 0, 0, 0, ULONG_MAX},
    {"01777777777777777777777", 0, 0, 0, ULONG_MAX},
    {"1234", 2, 10, 0, 12}, /* only len bytes are read */
    /* Malformed: */
    {"", 0, 0, -EINVAL, 0},
    {"", 0, 10, -EINVAL, 0},
    {"0x", 0, 0, -EINVAL, 0},
    {"0x", 0, 16, -EINVAL, 0},
    {"08", 0, 0, -EINVAL, 0},
    {"12a", 0, 10, -EINVAL, 0},
    {"0xff", 0, 10, -EINVAL, 0},
    {"2", 0, 2, -EINVAL, 0},
    {" 1", 0, 10, -EINVAL, 0},
    {"1 ", 0, 10, -EINVAL, 0},
    {"-1", 0, 10, -EINVAL, 0},
    {"+1", 0, 10, -EINVAL, 0},
    {"1\0", 2, 10, -EINVAL, 0}, /* a NUL inside len is garbage */
    {"1", 0, 1, -EINVAL, 0},
    {"1", 0, 37, -EINVAL, 0},
    /* Out of range, and garbage taking precedence over range: */
    {"18446744073709551616", 0, 10, -ERANGE, 0},
    {"99999999999999999999999", 0, 0, -ERANGE, 0},
    {"0x10000000000000000", 0, 0, -ERANGE, 0},
    {"02000000000000000000000", 0, 0, -ERANGE, 0},
    {"99999999999999999999999x", 0, 0, -EINVAL, 0},
};

UNIT_TEST(test_parse_ulong)
{
    for (size_t i = 0; i < UNIT_COUNT(parse_cases); i++) {
        const struct parse_case *c = &parse_cases[i];
        size_t len = c->len ? c->len : strlen(c->s);
        unsigned long out = 0xdead;
        int rc = parse_ulong(c->s, len, c->base, &out);

        if (rc != c->rc || out != (c->rc ? 0xdead : c->value)) {
            printf("parse_ulong(\"%s\", %zu, %u): got %d, %lu; expected %d, %lu\n", c->s, len,
                   c->base, rc, out, c->rc, c->value);
            CHECK(!"parse_ulong case");
        }
    }
}

UNIT_TEST(test_errno_name)
{
    static const struct {
        int err;
        const char *name;
    } names[] = {
        {EPERM, "EPERM"},       {ENOENT, "ENOENT"},
        {EIO, "EIO"},           {E2BIG, "E2BIG"},
        {EAGAIN, "EAGAIN"},     {ENOMEM, "ENOMEM"},
        {EACCES, "EACCES"},     {EFAULT, "EFAULT"},
        {EBUSY, "EBUSY"},       {EEXIST, "EEXIST"},
        {ENODEV, "ENODEV"},     {EISDIR, "EISDIR"},
        {EINVAL, "EINVAL"},     {ENOSPC, "ENOSPC"},
        {EROFS, "EROFS"},       {ERANGE, "ERANGE"},
        {ENOSYS, "ENOSYS"},     {ENOTEMPTY, "ENOTEMPTY"},
        {EBADMSG, "EBADMSG"},   {EOVERFLOW, "EOVERFLOW"},
        {ENOTSUP, "ENOTSUP"},   {ECONNRESET, "ECONNRESET"},
        {ENOTCONN, "ENOTCONN"}, {ETIMEDOUT, "ETIMEDOUT"},
        {EPIPE, "EPIPE"},       {ECONNABORTED, "ECONNABORTED"},
    };

    for (size_t i = 0; i < UNIT_COUNT(names); i++) {
        CHECK_STR(errno_name(names[i].err), names[i].name);
        CHECK_STR(errno_name(-names[i].err), names[i].name);
    }
    /* The Linux values, which Xen's xen/errno.h shares. */
    CHECK_INT(EINVAL, 22);
    CHECK_INT(ETIMEDOUT, 110);
    CHECK_STR(errno_name(0), "E?");
    CHECK_STR(errno_name(9999), "E?");
    CHECK_STR(errno_name(INT_MIN), "E?");
    CHECK_STR(errno_name(INT_MAX), "E?");
}

static const struct unit_test tests[] = {
    UNIT_ENTRY(test_memcpy),         UNIT_ENTRY(test_memmove_overlap),
    UNIT_ENTRY(test_memset),         UNIT_ENTRY(test_memcmp),
    UNIT_ENTRY(test_strlen_strnlen), UNIT_ENTRY(test_strcmp_strncmp),
    UNIT_ENTRY(test_strchr_strrchr), UNIT_ENTRY(test_strlcpy),
    UNIT_ENTRY(test_parse_ulong),    UNIT_ENTRY(test_errno_name),
};

int main(void)
{
    return unit_main(tests, UNIT_COUNT(tests));
}
