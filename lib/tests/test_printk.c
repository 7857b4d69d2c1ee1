/*
 * Host tests for lib/printk.c: every sink sees each message once, a message longer
 * than the buffer is cut and marked, and removing a sink stops its output.
 */
#include "lib/tests/host_names.h"
#include "lib/errno.h"
#include "lib/printk.h"
#define HOST_NAMES_RESTORE
#include "lib/tests/host_names.h"

#include "lib/tests/unit.h"

static char seen_a[2048], seen_b[2048];
static size_t len_a, len_b;

static void append(char *buf, size_t *len, const char *text, size_t n)
{
    if (*len + n < 2048) {
        memcpy(buf + *len, text, n);
        *len += n;
        buf[*len] = '\0';
    }
}

static void sink_a(const char *text, size_t n)
{
    append(seen_a, &len_a, text, n);
}

static void sink_b(const char *text, size_t n)
{
    append(seen_b, &len_b, text, n);
}

/* Sinks that only need distinct addresses. */
static void sink_c(const char *text, size_t n)
{
    (void)text;
    (void)n;
}

static void sink_d(const char *text, size_t n)
{
    sink_c(text, n);
}

static void sink_e(const char *text, size_t n)
{
    sink_c(text, n);
}

/* Counts the calls it gets: each message must come in one. */
static unsigned int calls_f;

static void sink_f(const char *text, size_t n)
{
    calls_f++;
    append(seen_a, &len_a, text, n);
}

static void reset(void)
{
    len_a = len_b = 0;
    seen_a[0] = seen_b[0] = '\0';
}

UNIT_TEST(test_every_sink_gets_the_message)
{
    reset();
    CHECK_INT(printk_add_sink(sink_a), 0);
    CHECK_INT(printk_add_sink(sink_b), 0);
    CHECK_INT(printk_add_sink(sink_a), 0); /* a second add is a no-op */
    CHECK_INT(printk("x=%d %s\n", 42, "ok"), 8);
    CHECK_STR(seen_a, "x=42 ok\n");
    CHECK_STR(seen_b, "x=42 ok\n");
    printk_remove_sink(sink_b);
    printk("more");
    CHECK_STR(seen_a, "x=42 ok\nmore");
    CHECK_STR(seen_b, "x=42 ok\n");
    printk_remove_sink(sink_a);
}

UNIT_TEST(test_long_message_is_cut_and_marked)
{
    char big[1000];

    memset(big, 'y', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    reset();
    printk_add_sink(sink_a);
    CHECK_INT(printk("%s", big), 999);
    CHECK(len_a > 400 && len_a < 600);
    CHECK(strstr(seen_a, "[...]\n") != NULL);
    printk_remove_sink(sink_a);
}

/* A cut message still reaches a sink in one call, so that it stays whole there. */
UNIT_TEST(test_cut_message_is_one_call)
{
    char big[1000];

    memset(big, 'z', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    reset();
    calls_f = 0;
    printk_add_sink(sink_f);
    printk("%s", big);
    CHECK_INT(calls_f, 1);
    CHECK(len_a > 6 && strcmp(seen_a + len_a - 6, "[...]\n") == 0);
    printk_remove_sink(sink_f);
}

UNIT_TEST(test_sink_table_has_a_limit)
{
    printk_sink_fn fns[] = {sink_a, sink_b, sink_c};

    for (size_t i = 0; i < 3; i++)
        CHECK_INT(printk_add_sink(fns[i]), 0);
    /* One slot left: a fourth distinct sink fits, a fifth does not. */
    CHECK_INT(printk_add_sink(sink_d), 0);
    CHECK_INT(printk_add_sink(sink_e), -ENOSPC);
    for (size_t i = 0; i < 3; i++)
        printk_remove_sink(fns[i]);
    printk_remove_sink(sink_d);
}

int main(void)
{
    static const struct unit_test tests[] = {
        UNIT_ENTRY(test_every_sink_gets_the_message),
        UNIT_ENTRY(test_long_message_is_cut_and_marked),
        UNIT_ENTRY(test_cut_message_is_one_call),
        UNIT_ENTRY(test_sink_table_has_a_limit),
    };
    return unit_main(tests, UNIT_COUNT(tests));
}
