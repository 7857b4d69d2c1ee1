/*
 * Host tests for lib/escape.c: what each kind of byte becomes, and truncation at every
 * buffer size, checked against the whole rendering: the output is always terminated
 * inside the buffer, holds only printable ASCII, and is a prefix of the whole
 * rendering cut between escapes, followed by "..." when anything was left out.
 */
#include "lib/tests/host_names.h"
#include "lib/escape.h"
#define HOST_NAMES_RESTORE
#include "lib/tests/host_names.h"

#include <stdlib.h>
#include "lib/tests/unit.h"

static const char *escaped(const char *text, size_t len)
{
    static char buf[256];

    return escape_text(buf, sizeof(buf), text, len);
}

UNIT_TEST(printable_text_is_unchanged)
{
    CHECK_STR(escaped("tests=all evtchn=fifo", 21), "tests=all evtchn=fifo");
    CHECK_STR(escaped("a \"quoted\" 'x' ~", 16), "a \"quoted\" 'x' ~");
    CHECK_STR(escaped("", 0), "");
}

UNIT_TEST(terminal_escapes_are_rendered_as_hex)
{
    CHECK_STR(escaped("\x1b[2J\x1b]0;pwned\x07", 14), "\\x1b[2J\\x1b]0;pwned\\x07");
    CHECK_STR(escaped("a\rb\nc\td\be", 9), "a\\x0db\\x0ac\\x09d\\x08e");
    CHECK_STR(escaped("\x7f\x80\x9b\xff", 4), "\\x7f\\x80\\x9b\\xff");
    CHECK_STR(escaped("back\\slash", 10), "back\\\\slash");
    /* len counts, not a NUL: a NUL inside is shown, and nothing past len is read. */
    CHECK_STR(escaped("a\0b", 3), "a\\x00b");
    CHECK_STR(escaped("abcdef", 3), "abc");
}

UNIT_TEST(every_byte_value)
{
    for (unsigned int c = 0; c < 256; c++) {
        char in = (char)c, want[8];

        if (c == '\\')
            snprintf(want, sizeof(want), "\\\\");
        else if (c >= 0x20 && c < 0x7f)
            snprintf(want, sizeof(want), "%c", c);
        else
            snprintf(want, sizeof(want), "\\x%02x", c);
        CHECK_STR(escaped(&in, 1), want);
    }
}

UNIT_TEST(truncation_is_marked_and_never_splits_an_escape)
{
    CHECK_STR(escape_text((char[8]){0}, 8, "abcdefgh", 8), "abcd...");
    CHECK_STR(escape_text((char[9]){0}, 9, "abcdefgh", 8), "abcdefgh");
    CHECK_STR(escape_text((char[8]){0}, 8,
                          "ab\x1b"
                          "cdef",
                          7),
              "ab...");
    CHECK_STR(escape_text((char[4]){0}, 4, "abcdefgh", 8), "...");
    CHECK_STR(escape_text((char[3]){0}, 3, "abcdefgh", 8), "..");
    CHECK_STR(escape_text((char[1]){0}, 1, "abcdefgh", 8), "");
    CHECK_STR(escape_text((char[ESCAPE_TEXT_SIZE(3)]){0}, ESCAPE_TEXT_SIZE(3), "\x1b\x1b\x1b", 3),
              "\\x1b\\x1b\\x1b");

    char untouched = 'z';
    CHECK(escape_text(&untouched, 0, "abc", 3) == &untouched);
    CHECK_INT(untouched, 'z');
}

/* Whether s is a whole sequence of renderings: never the start of an escape alone. */
static int whole_escapes(const char *s)
{
    while (*s) {
        if (s[0] != '\\')
            s++;
        else if (s[1] == '\\')
            s += 2;
        else if (s[1] == 'x' && s[2] && s[3])
            s += 4;
        else
            return 0;
    }
    return 1;
}

/* The length of the one rendering s starts with. */
static size_t rendering_length(const char *s)
{
    return s[0] != '\\' ? 1 : s[1] == '\\' ? 2 : 4;
}

UNIT_TEST(every_size_gives_a_terminated_prefix)
{
    unsigned char text[40];
    char whole[ESCAPE_TEXT_SIZE(sizeof(text))];

    unit_rng_seed(8);
    for (int round = 0; round < 200; round++) {
        size_t len = unit_rng_below(sizeof(text) + 1), full;

        for (size_t i = 0; i < len; i++)
            text[i] =
                (unsigned char)(unit_rng_below(3) ? ' ' + unit_rng_below(95) : unit_rng_below(256));
        escape_text(whole, sizeof(whole), (const char *)text, len);
        full = strlen(whole);
        for (size_t size = 1; size <= full + 2; size++) {
            /* Exactly size bytes, so ASan catches any write past them. */
            char *buf = malloc(size);
            size_t n;

            escape_text(buf, size, (const char *)text, len);
            n = strnlen(buf, size);
            CHECK(n < size);
            for (size_t i = 0; i < n; i++)
                CHECK(buf[i] >= 0x20 && buf[i] < 0x7f);
            if (size > full) {
                CHECK_STR(buf, whole);
            } else if (size >= 4) {
                CHECK(n >= 3 && strcmp(buf + n - 3, "...") == 0);
                buf[n - 3] = '\0';
                CHECK(strncmp(buf, whole, n - 3) == 0);
                CHECK(whole_escapes(buf));
                /* Cut as late as it could be: the next rendering would not have fit. */
                CHECK(n - 3 + rendering_length(whole + n - 3) > size - 1 - 3);
            }
            free(buf);
        }
    }
}

static const struct unit_test tests[] = {
    UNIT_ENTRY(printable_text_is_unchanged),
    UNIT_ENTRY(terminal_escapes_are_rendered_as_hex),
    UNIT_ENTRY(every_byte_value),
    UNIT_ENTRY(truncation_is_marked_and_never_splits_an_escape),
    UNIT_ENTRY(every_size_gives_a_terminated_prefix),
};

int main(void)
{
    return unit_main(tests, UNIT_COUNT(tests));
}
