/*
 * Host tests for apps/httpd/deadline.c: each phase's bound, a body trickled a byte at
 * a time cut after its grace period, one that keeps the minimum rate never cut, a
 * 100 MB upload at a slow link's pace never near its bound, and a stalled body cut
 * by the idle bound.
 */
#include "lib/tests/host_names.h"
#include "apps/httpd/deadline.h"
#define HOST_NAMES_RESTORE
#include "lib/tests/host_names.h"

#include "lib/tests/unit.h"

#define T 30000 /* ms: the default httpd-timeout= */

UNIT_TEST(idle_is_the_timeout_after_the_last_byte)
{
    struct deadline_times t = {.moved_ms = 5000, .began_ms = 1, .timeout_ms = T};

    CHECK_INT(deadline_at(DEADLINE_IDLE, &t), 5000 + T);
}

UNIT_TEST(head_is_the_timeout_after_its_first_byte_however_it_trickles)
{
    struct deadline_times t = {.moved_ms = 1000, .began_ms = 1000, .timeout_ms = T};

    /* A byte every 29 s moves the connection, not the head's bound. */
    for (uint64_t now = 1000; now < 1000 + T; now += 29000) {
        t.moved_ms = now;
        CHECK_INT(deadline_at(DEADLINE_HEAD, &t), 1000 + T);
    }
}

/*
 * A body that begins at 0 and gets a byte every interval_ms: when (ms) its deadline
 * passes, the bytes of it at that point, or UINT64_MAX if it is whole by then.
 */
static uint64_t body_cut_at(uint64_t length, uint64_t bytes_each, uint64_t interval_ms,
                            uint64_t *received)
{
    struct deadline_times t = {.timeout_ms = T};

    for (uint64_t now = 0;; now += interval_ms) {
        if (now >= deadline_at(DEADLINE_BODY, &t)) {
            *received = t.received;
            return now;
        }
        t.received += bytes_each;
        t.moved_ms = now;
        if (t.received >= length)
            return UINT64_MAX;
    }
}

UNIT_TEST(body_trickled_a_byte_every_29_s_is_cut_after_the_grace_period)
{
    uint64_t received, at = body_cut_at(1000000, 1, 29000, &received);

    /* The idle bound alone (30 s) would hold it for ever. */
    CHECK(at != UINT64_MAX);
    CHECK(at >= T);
    CHECK(at <= T + 29000 + 1000);
    CHECK(received < 10);
}

UNIT_TEST(body_at_the_minimum_rate_is_never_cut)
{
    uint64_t received;

    /* 500 bytes a second, a second at a time, for 2,000 s. */
    CHECK_INT(
        body_cut_at(DEADLINE_BODY_MIN_RATE * 2000ULL, DEADLINE_BODY_MIN_RATE, 1000, &received),
        UINT64_MAX);
}

UNIT_TEST(body_just_under_the_minimum_rate_is_cut)
{
    uint64_t received, at = body_cut_at(1000000, DEADLINE_BODY_MIN_RATE - 50, 1000, &received);

    /* It falls 50 bytes a second behind: T's grace (15,000 bytes at the rate) runs out
     * after about 300 s. */
    CHECK(at != UINT64_MAX);
    CHECK(at >= 290000);
    CHECK(at <= 320000);
}

UNIT_TEST(upload_of_100_mb_at_a_slow_link_pace_is_never_near_its_bound)
{
    struct deadline_times t = {.timeout_ms = T};
    uint64_t worst = UINT64_MAX;

    /* 100 MB at 64 KiB a second (a slow rig), checked every second. */
    for (uint64_t now = 1000; t.received < 100000000; now += 1000) {
        uint64_t deadline;

        t.received += 65536;
        t.moved_ms = now;
        deadline = deadline_at(DEADLINE_BODY, &t);
        CHECK(deadline > now);
        /* What stands between it and the cut is the idle bound: T after its last byte. */
        if (deadline - now < worst)
            worst = deadline - now;
    }
    CHECK_INT(worst, T);
}

UNIT_TEST(stalled_body_is_cut_by_the_idle_bound)
{
    /* 10 MB came in the first 10 s, then nothing. */
    struct deadline_times t = {.moved_ms = 10000, .received = 10000000, .timeout_ms = T};

    CHECK_INT(deadline_at(DEADLINE_BODY, &t), 10000 + T);
}

UNIT_TEST(body_of_a_tebibyte_does_not_overflow)
{
    struct deadline_times t = {
        .began_ms = 1000, .moved_ms = UINT64_MAX / 2, .received = 1ULL << 40, .timeout_ms = T};

    CHECK_INT(deadline_at(DEADLINE_BODY, &t),
              1000 + T + (1ULL << 40) * 1000 / DEADLINE_BODY_MIN_RATE);
}

static const struct unit_test tests[] = {
    UNIT_ENTRY(idle_is_the_timeout_after_the_last_byte),
    UNIT_ENTRY(head_is_the_timeout_after_its_first_byte_however_it_trickles),
    UNIT_ENTRY(body_trickled_a_byte_every_29_s_is_cut_after_the_grace_period),
    UNIT_ENTRY(body_at_the_minimum_rate_is_never_cut),
    UNIT_ENTRY(body_just_under_the_minimum_rate_is_cut),
    UNIT_ENTRY(upload_of_100_mb_at_a_slow_link_pace_is_never_near_its_bound),
    UNIT_ENTRY(stalled_body_is_cut_by_the_idle_bound),
    UNIT_ENTRY(body_of_a_tebibyte_does_not_overflow),
};

int main(void)
{
    return unit_main(tests, UNIT_COUNT(tests));
}
