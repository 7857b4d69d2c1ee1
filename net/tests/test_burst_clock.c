/*
 * Host tests for net/burst_clock.h: the holder of lwIP's core lock reads the clock
 * once per burst, again after a thread switch; anyone else reads it every time, and
 * a new burst starts with a new reading.
 */
#include "net/burst_clock.h"

#include "lib/tests/unit.h"

static uint64_t clock_ns;
static unsigned int reads;

static uint32_t read_clock(void)
{
    reads++;
    return (uint32_t)(clock_ns / 1000000);
}

/* Two threads, as the tcpip thread and an application's. */
static const int thread_a, thread_b;

static void reset(struct burst_clock *c)
{
    *c = (struct burst_clock){0};
    clock_ns = 5000000000ull; /* 5 s */
    reads = 0;
}

UNIT_TEST(the_holder_reads_the_clock_once_per_burst)
{
    struct burst_clock c;

    reset(&c);
    burst_clock_begin(&c, &thread_a);
    CHECK_INT(burst_clock_now_ms(&c, &thread_a, 7, read_clock), 5000);
    clock_ns += 3000000; /* 3 ms of work later */
    for (int i = 0; i < 100; i++)
        CHECK_INT(burst_clock_now_ms(&c, &thread_a, 7, read_clock), 5000);
    CHECK_INT(reads, 1);
}

UNIT_TEST(a_switch_makes_the_holder_read_again)
{
    struct burst_clock c;

    reset(&c);
    burst_clock_begin(&c, &thread_a);
    CHECK_INT(burst_clock_now_ms(&c, &thread_a, 7, read_clock), 5000);
    clock_ns += 40000000; /* slept 40 ms, waiting for room on a ring */
    CHECK_INT(burst_clock_now_ms(&c, &thread_a, 9, read_clock), 5040);
    CHECK_INT(burst_clock_now_ms(&c, &thread_a, 9, read_clock), 5040);
    CHECK_INT(reads, 2);
}

UNIT_TEST(a_new_burst_reads_again)
{
    struct burst_clock c;

    reset(&c);
    burst_clock_begin(&c, &thread_a);
    CHECK_INT(burst_clock_now_ms(&c, &thread_a, 7, read_clock), 5000);
    burst_clock_end(&c);
    clock_ns += 1000000;
    /* Between bursts, even with no switch, nobody keeps a time. */
    CHECK_INT(burst_clock_now_ms(&c, &thread_a, 7, read_clock), 5001);
    clock_ns += 1000000;
    CHECK_INT(burst_clock_now_ms(&c, &thread_a, 7, read_clock), 5002);
    burst_clock_begin(&c, &thread_a);
    clock_ns += 1000000;
    CHECK_INT(burst_clock_now_ms(&c, &thread_a, 7, read_clock), 5003);
    CHECK_INT(reads, 4);
}

UNIT_TEST(a_thread_without_the_lock_reads_every_time)
{
    struct burst_clock c;

    reset(&c);
    burst_clock_begin(&c, &thread_a);
    CHECK_INT(burst_clock_now_ms(&c, &thread_a, 7, read_clock), 5000);
    clock_ns += 2000000;
    /* b runs (a switch) while a holds the lock, asleep: b gets the clock, not a's burst. */
    CHECK_INT(burst_clock_now_ms(&c, &thread_b, 8, read_clock), 5002);
    clock_ns += 2000000;
    CHECK_INT(burst_clock_now_ms(&c, &thread_b, 8, read_clock), 5004);
    /* and a, back, reads again: a switch happened. */
    CHECK_INT(burst_clock_now_ms(&c, &thread_a, 9, read_clock), 5004);
    CHECK_INT(reads, 4);
}

static const struct unit_test tests[] = {
    UNIT_ENTRY(the_holder_reads_the_clock_once_per_burst),
    UNIT_ENTRY(a_switch_makes_the_holder_read_again),
    UNIT_ENTRY(a_new_burst_reads_again),
    UNIT_ENTRY(a_thread_without_the_lock_reads_every_time),
};

int main(void)
{
    return unit_main(tests, UNIT_COUNT(tests));
}
