/*
 * Host tests for xen/console_ring.c: output through the pending buffer into a ring
 * page that the test drains as xenconsoled would, a backend that moves its indices
 * anywhere (ahead of ours, far behind, across 2^32), a full ring, a backend that
 * stalls and comes back, writes nested inside a write, and input.
 */
#include "lib/tests/host_names.h"
#include "xen/console_ring.h"
#define HOST_NAMES_RESTORE
#include "lib/tests/host_names.h"

#include <stdlib.h>
#include "lib/tests/unit.h"

static struct xencons_interface page;
static struct console_ring ring;
static unsigned int notifies, yields;
/* What the test backend has taken out of out[], and whether it drains on a yield. */
static char taken[1 << 17];
static size_t taken_len;
static bool drain_on_yield;
/* A message to write from inside a write (as a fault would), once. */
static const char *nested_message;

static void drain(void)
{
    while (page.out_cons != page.out_prod && taken_len < sizeof(taken))
        taken[taken_len++] = page.out[MASK_XENCONS_IDX(page.out_cons++, page.out)];
}

/* The backend drains and signals until nothing is left. */
static void drain_all(void)
{
    do {
        drain();
        console_ring_push(&ring);
    } while (!ring.broken && (page.out_cons != page.out_prod || console_ring_pending(&ring)));
}

static void test_notify(struct console_ring *r)
{
    const char *m = nested_message;

    notifies++;
    if (m) {
        nested_message = NULL;
        console_ring_write(r, m, strlen(m));
    }
}

static void test_yield(struct console_ring *r)
{
    (void)r;
    yields++;
    if (drain_on_yield)
        drain();
}

static const struct console_ring_ops ops = {.notify = test_notify, .yield = test_yield};

static void setup(XENCONS_RING_IDX out, XENCONS_RING_IDX in)
{
    memset(&page, 0, sizeof(page));
    page.out_cons = page.out_prod = out;
    page.in_cons = page.in_prod = in;
    console_ring_init(&ring, &page, &ops);
    notifies = yields = 0;
    taken_len = 0;
    drain_on_yield = false;
    nested_message = NULL;
}

static void put(const char *text)
{
    console_ring_write(&ring, text, strlen(text));
}

/* What the backend took so far, as a string. */
static const char *taken_text(void)
{
    taken[taken_len < sizeof(taken) ? taken_len : sizeof(taken) - 1] = '\0';
    return taken;
}

UNIT_TEST(test_line_ends_become_crlf)
{
    setup(0, 0);
    put("one\ntwo\n");
    CHECK_INT(page.out_prod, 10);
    CHECK(notifies >= 1);
    drain();
    CHECK_STR(taken_text(), "one\r\ntwo\r\n");
    CHECK_INT(console_ring_pending(&ring), 0);
}

/* Free-running indices that start anywhere and pass 2^32. */
UNIT_TEST(test_indices_wrap_around)
{
    char line[64], want[64];
    size_t want_len = 0;

    setup(0xfffffc00u, 0);
    for (int i = 0; i < 200; i++) {
        snprintf(line, sizeof(line), "line %d\n", i);
        put(line);
        drain();
        want_len = (size_t)snprintf(want, sizeof(want), "line %d\r\n", i);
        CHECK(taken_len >= want_len);
        CHECK(memcmp(taken + taken_len - want_len, want, want_len) == 0);
    }
    CHECK(page.out_prod < 0x1000u);
    CHECK(!ring.broken);
}

/* A backend whose out_cons is ahead of out_prod, or more than a ring behind. */
UNIT_TEST(test_impossible_out_cons_breaks_the_ring)
{
    XENCONS_RING_IDX bad[] = {1, 100, 0x80000000u, 0xffffffffu - 2048, sizeof(page.out) + 1};

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        setup(5000, 0);
        page.out_cons = 5000 + bad[i]; /* ahead of out_prod: prod - cons wraps */
        if (bad[i] == sizeof(page.out) + 1)
            page.out_cons = 5000 - bad[i]; /* far behind */
        put("hello\n");
        CHECK(ring.broken);
        CHECK_INT(page.out_prod, 5000);
        put("more\n");
        CHECK_INT(page.out_prod, 5000);
        for (size_t j = 0; j < sizeof(page.out); j++)
            CHECK(page.out[j] == 0);
    }
}

/* Our own out_prod is never taken back from the page: a backend that rewrites it is ignored. */
UNIT_TEST(test_out_prod_on_the_page_is_not_trusted)
{
    setup(0, 0);
    put("abc\n");
    page.out_prod = 1000;
    put("def\n");
    CHECK_INT(page.out_prod, 10);
    drain();
    CHECK_STR(taken_text(), "abc\r\ndef\r\n");
}

/* A full ring with a backend that drains when given the CPU: nothing is lost. */
UNIT_TEST(test_full_ring_waits_for_a_live_backend)
{
    char line[128];
    size_t total = 0;

    setup(0, 0);
    drain_on_yield = true;
    for (int i = 0; i < 1000; i++) {
        int n =
            snprintf(line, sizeof(line), "%04d the quick brown fox jumps over the lazy dog\n", i);

        put(line);
        total += (size_t)n + 1;
    }
    drain_all();
    CHECK_INT(taken_len, total);
    CHECK(yields > 0);
    CHECK(!ring.stalled);
    CHECK_INT(ring.dropped_total, 0);
    CHECK(strncmp(taken + total - 50, "0999 the quick", 14) == 0);
}

/*
 * A backend that stops: the writer waits for CONSOLE_STALL_YIELDS yields once, then
 * never again while it stays stopped; output is held in the buffer, and once that
 * is full whole messages are dropped and counted; when the backend drains again,
 * the held output comes out, then the count, where the gap is.
 */
UNIT_TEST(test_stalled_backend_then_resume)
{
    char line[64];
    size_t dropped, kept;
    unsigned int yields_at_stall;
    char *note;
    int i;

    setup(7, 0);
    for (i = 0; !ring.stalled && i < 100000; i++) {
        snprintf(line, sizeof(line), "message %05d\n", i);
        put(line);
    }
    CHECK(ring.stalled);
    CHECK_INT(yields, CONSOLE_STALL_YIELDS);
    /* The message that found the ring full is held, not dropped. */
    CHECK_INT(ring.dropped_total, 0);
    CHECK_INT(i, sizeof(page.out) / 15 + 1);
    for (; ring.dropped_total == 0 && i < 100000; i++) {
        snprintf(line, sizeof(line), "message %05d\n", i);
        put(line);
    }
    /* Dropped whole, once the buffer was full. */
    CHECK_INT(ring.dropped_total, 14);
    kept = (size_t)i - 1;
    CHECK(kept * 15 >= sizeof(page.out) + CONSOLE_PENDING_SIZE - 15);
    yields_at_stall = yields;
    for (int j = 0; j < 1000; j++, i++) {
        snprintf(line, sizeof(line), "message %05d\n", i);
        put(line);
    }
    CHECK_INT(yields, yields_at_stall);
    dropped = 14 + 1000 * 14;
    CHECK_INT(ring.dropped_total, dropped);
    CHECK_INT(ring.dropped, dropped);
    CHECK(console_ring_pending(&ring) <= CONSOLE_PENDING_SIZE);

    /* Back: it drains and signals; the held output follows, then the note. */
    drain_all();
    CHECK(!ring.stalled);
    CHECK_INT(ring.dropped, 0);
    CHECK_INT(ring.dropped_total, dropped);
    snprintf(line, sizeof(line), "console: %zu bytes dropped\r\n", dropped);
    CHECK_INT(taken_len, kept * 15 + strlen(line));
    note = strstr(taken_text(), "console: ");
    CHECK(note != NULL);
    if (note)
        CHECK_STR(note, line);
    /* Messages are whole up to the gap. */
    snprintf(line, sizeof(line), "message %05zu\r\n", kept - 1);
    CHECK(taken_len >= 15 && note && strncmp(note - 15, line, 15) == 0);

    /* And output goes on after it, without waiting. */
    put("after\n");
    drain();
    CHECK(memcmp(taken + taken_len - 7, "after\r\n", 7) == 0);
}

/* While the backend is live, a write returns with its message in the ring. */
UNIT_TEST(test_live_backend_leaves_nothing_behind)
{
    setup(0, 0);
    drain_on_yield = true;
    for (int i = 0; i < 500; i++) {
        put("a line that a kernel about to power off wants to be seen\n");
        CHECK_INT(console_ring_pending(&ring), 0);
    }
    CHECK(!ring.stalled);
}

/*
 * After a gap, the note comes first: later messages that fit while the backend is
 * still stopped go after it, and the notes add up to every byte dropped.
 */
UNIT_TEST(test_nothing_overtakes_the_drop_note)
{
    char line[32];
    const char *p, *first_note, *first_late;
    unsigned long sum = 0;

    setup(0, 0);
    while (ring.dropped_total == 0)
        put("0123456789012345678901234567890123456789\n");
    for (int i = 0; i < 100; i++) {
        snprintf(line, sizeof(line), "late %d\n", i);
        put(line);
    }
    drain_all();
    first_note = strstr(taken_text(), "console: ");
    first_late = strstr(taken_text(), "late ");
    CHECK(first_note != NULL);
    CHECK(first_late == NULL || first_late > first_note);
    /* One gap, one note. */
    CHECK(first_note && strstr(first_note + 1, "console: ") == NULL);
    for (p = first_note; p; p = strstr(p + 1, "console: "))
        sum += strtoul(p + 9, NULL, 10);
    CHECK_INT(sum, ring.dropped_total);
    CHECK_INT(ring.dropped, 0);
}

/* A write from inside a write (a fault or NMI) lands after the message it interrupted. */
UNIT_TEST(test_nested_write_keeps_lines_whole)
{
    setup(0, 0);
    nested_message = "nested line\n";
    put("outer line\n");
    drain();
    CHECK_STR(taken_text(), "outer line\r\nnested line\r\n");
    CHECK(!ring.writing);
    CHECK_INT(ring.nested_len, 0);
}

/* Nested messages that overflow their buffer are dropped whole and counted. */
UNIT_TEST(test_nested_overflow_is_counted)
{
    static char big[CONSOLE_NESTED_SIZE + 10];

    setup(0, 0);
    memset(big, 'x', sizeof(big) - 2);
    big[sizeof(big) - 2] = '\n';
    nested_message = big;
    put("outer\n");
    drain();
    CHECK_INT(ring.dropped_total, sizeof(big) - 1);
    CHECK_STR(taken_text(), "outer\r\n");
    /* Reported when the backend next drains. */
    drain_all();
    CHECK(strstr(taken_text(), "bytes dropped") != NULL);
}

/* A message longer than the whole buffer still gets out, in pieces, with a live backend. */
UNIT_TEST(test_message_larger_than_the_buffer)
{
    static char big[CONSOLE_PENDING_SIZE * 2];

    setup(0, 0);
    drain_on_yield = true;
    memset(big, 'y', sizeof(big) - 1);
    console_ring_write(&ring, big, sizeof(big) - 1);
    drain_all();
    CHECK_INT(taken_len, sizeof(big) - 1);
    CHECK_INT(ring.dropped_total, 0);
}

UNIT_TEST(test_input_is_read_and_acknowledged)
{
    char buf[16];
    const char *typed = "typed";

    setup(0, 0xfffffffeu);
    for (size_t i = 0; i < 5; i++)
        page.in[MASK_XENCONS_IDX(page.in_prod++, page.in)] = typed[i];
    CHECK_INT(console_ring_read(&ring, buf, 3), 3);
    CHECK(memcmp(buf, "typ", 3) == 0);
    CHECK_INT(page.in_cons, 1);
    CHECK_INT(console_ring_read(&ring, buf, sizeof(buf)), 2);
    CHECK(memcmp(buf, "ed", 2) == 0);
    CHECK_INT(console_ring_read(&ring, buf, sizeof(buf)), 0);
    CHECK_INT(notifies, 2);
}

/* in_prod more than a ring ahead, or behind in_cons: nothing is taken, the ring is broken. */
UNIT_TEST(test_impossible_in_prod_breaks_the_ring)
{
    XENCONS_RING_IDX bad[] = {sizeof(page.in) + 1, 0x80000000u, 0xffffffffu};
    char buf[8];

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        setup(0, 10);
        page.in_prod = 10 + bad[i];
        CHECK_INT(console_ring_read(&ring, buf, sizeof(buf)), 0);
        CHECK(ring.broken);
        CHECK_INT(page.in_cons, 10);
        page.in_prod = 11;
        CHECK_INT(console_ring_read(&ring, buf, sizeof(buf)), 0);
    }
}

/* A backend that moves its indices at random: whatever it does, nothing escapes the page. */
UNIT_TEST(test_random_backend_indices)
{
    char buf[64];

    unit_rng_seed(10);
    for (int round = 0; round < 200; round++) {
        setup((XENCONS_RING_IDX)unit_rng_next(), (XENCONS_RING_IDX)unit_rng_next());
        for (int step = 0; step < 50 && !ring.broken; step++) {
            XENCONS_RING_IDX before = ring.out_prod;

            switch (unit_rng_below(4)) {
            case 0:
                page.out_cons += (XENCONS_RING_IDX)unit_rng_below(3000) - 500;
                break;
            case 1:
                page.in_prod += (XENCONS_RING_IDX)unit_rng_below(1500) - 200;
                break;
            case 2:
                CHECK(console_ring_read(&ring, buf, sizeof(buf)) <= sizeof(buf));
                break;
            default:
                put("some output\n");
                CHECK(ring.out_prod - before <= sizeof(page.out));
                break;
            }
            CHECK(console_ring_pending(&ring) <= CONSOLE_PENDING_SIZE);
        }
    }
}

static const struct unit_test tests[] = {
    UNIT_ENTRY(test_line_ends_become_crlf),
    UNIT_ENTRY(test_indices_wrap_around),
    UNIT_ENTRY(test_impossible_out_cons_breaks_the_ring),
    UNIT_ENTRY(test_out_prod_on_the_page_is_not_trusted),
    UNIT_ENTRY(test_full_ring_waits_for_a_live_backend),
    UNIT_ENTRY(test_stalled_backend_then_resume),
    UNIT_ENTRY(test_live_backend_leaves_nothing_behind),
    UNIT_ENTRY(test_nothing_overtakes_the_drop_note),
    UNIT_ENTRY(test_nested_write_keeps_lines_whole),
    UNIT_ENTRY(test_nested_overflow_is_counted),
    UNIT_ENTRY(test_message_larger_than_the_buffer),
    UNIT_ENTRY(test_input_is_read_and_acknowledged),
    UNIT_ENTRY(test_impossible_in_prod_breaks_the_ring),
    UNIT_ENTRY(test_random_backend_indices),
};

int main(void)
{
    return unit_main(tests, UNIT_COUNT(tests));
}
