/*
 * Host tests for lib/cmdline.c. Most cases tokenize a line and compare a
 * rendering of all its tokens: `key`, `key=[value]`, or `!text` for a
 * malformed token, joined by '|'.
 */

/* Declare ours under the lib_ names, then let the standard names mean glibc's. */
#include "lib/tests/host_names.h"
#include "lib/cmdline.h"
#include "lib/errno.h"
#define HOST_NAMES_RESTORE
#include "lib/tests/host_names.h"

#include <stdbool.h>
#include "lib/tests/unit.h"

/* Append "%.*s"-style text to out[size] at *used, keeping it terminated. */
static void append(char *out, size_t size, size_t *used, const char *s, size_t len)
{
    int n = snprintf(out + *used, size - *used, "%.*s", (int)len, s);

    if (n > 0)
        *used += (size_t)n < size - *used ? (size_t)n : size - *used - 1;
}

static void render(const char *line, size_t maxlen, char *out, size_t size)
{
    struct cmdline_cursor c;
    struct cmdline_token t;
    size_t used = 0;

    out[0] = '\0';
    cmdline_start(&c, line, maxlen);
    while (cmdline_next(&c, &t)) {
        if (used)
            append(out, size, &used, "|", 1);
        if (t.error) {
            CHECK_INT(t.error, -EINVAL);
            append(out, size, &used, "!", 1);
            append(out, size, &used, t.text, t.text_len);
            continue;
        }
        append(out, size, &used, t.key, t.key_len);
        if (t.has_value) {
            append(out, size, &used, "=[", 2);
            append(out, size, &used, t.value, t.value_len);
            append(out, size, &used, "]", 1);
        }
    }
    /* The end is sticky. */
    CHECK_INT(cmdline_next(&c, &t), 0);
}

static const struct {
    const char *line;
    const char *tokens;
} cases[] = {
    {"", ""},
    {"   \t  ", ""},
    {"debug", "debug"},
    {"a=1 b=2", "a=[1]|b=[2]"},
    {"   lead and trail   ", "lead|and|trail"},
    {"a\tb \t c", "a|b|c"},
    {"Key_1.x-y=v", "Key_1.x-y=[v]"},
    {"a= b", "a=[]|b"},
    {"a=b=c", "a=[b=c]"},
    {"msg=\"hello world\" x", "msg=[hello world]|x"},
    {"msg=\"  spaced\tout  \"", "msg=[  spaced\tout  ]"},
    {"empty=\"\"", "empty=[]"},
    {"q=\"a=b c\" next=1", "q=[a=b c]|next=[1]"},
    /* Malformed tokens are reported whole, and the next one still parses. */
    {"=x ok", "!=x|ok"},
    {"= ok", "!=|ok"},
    {"k@y=1 ok", "!k@y=1|ok"},
    {"key!", "!key!"},
    {"msg=\"unterminated rest of line", "!msg=\"unterminated rest of line"},
    {"\"a b\" c", "!\"a b\"|c"},
    {"a=x\"y z\" c", "!a=x\"y z\"|c"},
    {"a=\"x\"y c", "!a=\"x\"y|c"},
    {"a=\"x\"\"y\" c", "!a=\"x\"\"y\"|c"},
    {"a=\"x\" \"", "a=[x]|!\""},
    {"a=\"", "!a=\""},
};

UNIT_TEST(test_token_lines)
{
    char out[256];

    for (size_t i = 0; i < UNIT_COUNT(cases); i++) {
        render(cases[i].line, 1024, out, sizeof(out));
        CHECK_STR(out, cases[i].tokens);
    }
}

/* start_info's cmd_line is a fixed array that need not hold a NUL. */
UNIT_TEST(test_unterminated_line)
{
    static const char full[10] = {'a', 'b', 'c', ' ', 'd', 'e', 'f', ' ', 'g', 'h'};
    static const char quoted[6] = {'m', '=', '"', 'x', ' ', 'y'};
    static char big[1024];
    struct cmdline_cursor c;
    struct cmdline_token t;
    char out[64];
    unsigned int count = 0;

    /* ASan fails these if the tokenizer reads past maxlen. */
    render(full, sizeof(full), out, sizeof(out));
    CHECK_STR(out, "abc|def|gh");
    render(full, 5, out, sizeof(out));
    CHECK_STR(out, "abc|d");
    render(full, 0, out, sizeof(out));
    CHECK_STR(out, "");
    render(quoted, sizeof(quoted), out, sizeof(out));
    CHECK_STR(out, "!m=\"x y");
    /* A NUL before maxlen ends the line. */
    render("ab\0cd", 5, out, sizeof(out));
    CHECK_STR(out, "ab");
    render(NULL, 1024, out, sizeof(out));
    CHECK_STR(out, "");

    /* A completely full 1024-byte line, "x x x ... x xy", with no NUL. */
    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = i % 2 ? ' ' : 'x';
    big[sizeof(big) - 1] = 'y';
    cmdline_start(&c, big, sizeof(big));
    while (cmdline_next(&c, &t))
        count++;
    CHECK_INT(count, 512);
    CHECK(t.key == big + sizeof(big) - 2);
    CHECK_INT(t.key_len, 2);
}

/* The token's fields point into the line: nothing is copied. */
UNIT_TEST(test_token_fields)
{
    const char *line = " mode=\"fast path\" verbose =bad";
    struct cmdline_cursor c;
    struct cmdline_token t;

    cmdline_start(&c, line, 1024);

    CHECK_INT(cmdline_next(&c, &t), 1);
    CHECK_INT(t.error, 0);
    CHECK(t.key == line + 1);
    CHECK_INT(t.key_len, 4);
    CHECK(t.has_value);
    CHECK(t.value == line + 7);
    CHECK_INT(t.value_len, 9);
    CHECK(t.text == line + 1);
    CHECK_INT(t.text_len, 16);

    CHECK_INT(cmdline_next(&c, &t), 1);
    CHECK_INT(t.error, 0);
    CHECK(t.key == line + 18);
    CHECK_INT(t.key_len, 7);
    CHECK(!t.has_value);

    CHECK_INT(cmdline_next(&c, &t), 1);
    CHECK_INT(t.error, -EINVAL);
    CHECK(t.text == line + 26);
    CHECK_INT(t.text_len, 4);

    CHECK_INT(cmdline_next(&c, &t), 0);
}

static struct cmdline_token first_token(const char *line)
{
    struct cmdline_cursor c;
    struct cmdline_token t = {0};

    cmdline_start(&c, line, 1024);
    CHECK_INT(cmdline_next(&c, &t), 1);
    return t;
}

UNIT_TEST(test_token_is)
{
    struct cmdline_token t = first_token("debug");

    CHECK(cmdline_token_is(&t, "debug"));
    CHECK(!cmdline_token_is(&t, "debu"));
    CHECK(!cmdline_token_is(&t, "debugx"));
    CHECK(!cmdline_token_is(&t, ""));
    t = first_token("console=hvc0");
    CHECK(cmdline_token_is(&t, "console"));
    CHECK(!cmdline_token_is(&t, "console=hvc0"));
    /* A malformed token matches nothing, even by its key. */
    t = first_token("console=\"hvc0");
    CHECK(!cmdline_token_is(&t, "console"));
}

static const struct unit_test tests[] = {
    UNIT_ENTRY(test_token_lines),
    UNIT_ENTRY(test_unterminated_line),
    UNIT_ENTRY(test_token_fields),
    UNIT_ENTRY(test_token_is),
};

int main(void)
{
    return unit_main(tests, UNIT_COUNT(tests));
}
