/*
 * Xen time and kernel timers against the real hypervisor.
 */
#include "kernel/sched.h"
#include "kernel/test.h"
#include "kernel/timer.h"
#include "lib/date.h"
#include "lib/printk.h"
#include "xen/events.h"
#include "xen/time.h"

KERNEL_TEST(system_time_is_monotonic_across_a_million_reads)
{
    uint64_t prev = xen_system_time_ns(), first = prev, now = prev;
    unsigned int i;

    for (i = 0; i < 1000000; i++) {
        now = xen_system_time_ns();
        if (now < prev)
            break;
        prev = now;
    }
    TEST_ASSERT_EQ(i, 1000000);
    TEST_ASSERT(now > first);
}

KERNEL_TEST(wall_clock_is_a_sane_date)
{
    uint64_t ns = xen_wallclock_ns();
    struct date d;

    date_from_unix((int64_t)(ns / NSEC_PER_SEC), &d);
    printk("    wall clock: %04ld-%02u-%02u %02u:%02u:%02u UTC\n", d.year, d.month, d.day, d.hour,
           d.minute, d.second);
    TEST_ASSERT(d.year >= 2024 && d.year < 2100);
    /* It advances with system time. */
    thread_sleep_ns(10 * NSEC_PER_MSEC);
    TEST_ASSERT(xen_wallclock_ns() >= ns + 10 * NSEC_PER_MSEC);
}

KERNEL_TEST(sleep_is_never_shorter_than_asked)
{
    static const uint64_t durations[] = {
        0, 1, 1000, 50 * NSEC_PER_USEC, NSEC_PER_MSEC, 3 * NSEC_PER_MSEC, 20 * NSEC_PER_MSEC};
    unsigned int i, round;

    for (round = 0; round < 5; round++) {
        for (i = 0; i < sizeof(durations) / sizeof(durations[0]); i++) {
            uint64_t start = xen_system_time_ns();

            thread_sleep_ns(durations[i]);
            TEST_ASSERT(xen_system_time_ns() - start >= durations[i]);
        }
    }
}

struct fired {
    unsigned int count;
    uint64_t at_ns;
    unsigned int order;
};

static unsigned int fire_sequence;

static void note_firing(struct timer *timer, void *arg)
{
    struct fired *f = arg;

    (void)timer;
    f->count++;
    f->at_ns = xen_system_time_ns();
    f->order = ++fire_sequence;
}

/*
 * The timer tests arm and cancel with events masked: on a slow or loaded host the
 * milliseconds between two lines can pass, and a timer would then legitimately fire
 * before the next line runs. What they check is the order and the deadlines, which
 * no delay can change.
 */
KERNEL_TEST(timers_fire_once_in_deadline_order)
{
    struct timer t[3];
    struct fired f[3] = {{0}};
    uint64_t now = xen_system_time_ns();
    unsigned int i, events;

    fire_sequence = 0;
    for (i = 0; i < 3; i++)
        timer_init(&t[i], note_firing, &f[i]);
    /* Armed out of order: 30, 10, 20 ms from now. */
    events = events_disable();
    timer_arm(&t[0], now + 30 * NSEC_PER_MSEC);
    timer_arm(&t[1], now + 10 * NSEC_PER_MSEC);
    timer_arm(&t[2], now + 20 * NSEC_PER_MSEC);
    TEST_ASSERT(timer_is_armed(&t[0]));
    events_restore(events);
    thread_sleep_ns(60 * NSEC_PER_MSEC);
    for (i = 0; i < 3; i++) {
        TEST_ASSERT_EQ(f[i].count, 1);
        TEST_ASSERT(!timer_is_armed(&t[i]));
    }
    TEST_ASSERT_EQ(f[1].order, 1);
    TEST_ASSERT_EQ(f[2].order, 2);
    TEST_ASSERT_EQ(f[0].order, 3);
    for (i = 0; i < 3; i++)
        TEST_ASSERT(f[i].at_ns >= t[i].deadline_ns);
}

KERNEL_TEST(cancelled_and_rearmed_timers)
{
    struct timer a, b;
    struct fired fa = {0}, fb = {0};
    uint64_t now = xen_system_time_ns();
    unsigned int events;

    timer_init(&a, note_firing, &fa);
    timer_init(&b, note_firing, &fb);
    events = events_disable();
    timer_arm(&a, now + 5 * NSEC_PER_MSEC);
    timer_arm(&b, now + 5 * NSEC_PER_MSEC);
    TEST_ASSERT(timer_cancel(&a));
    TEST_ASSERT(!timer_cancel(&a));
    /* Re-arming moves b later: it fires once, at its new deadline, not at the old. */
    timer_arm(&b, now + 15 * NSEC_PER_MSEC);
    events_restore(events);
    thread_sleep_ns(25 * NSEC_PER_MSEC);
    TEST_ASSERT_EQ(fb.count, 1);
    TEST_ASSERT(fb.at_ns >= now + 15 * NSEC_PER_MSEC);
    TEST_ASSERT_EQ(fa.count, 0);
    /* A deadline in the past fires at once. */
    timer_arm(&a, 1);
    thread_sleep_ns(NSEC_PER_MSEC);
    TEST_ASSERT_EQ(fa.count, 1);
}

/* A timer that re-arms itself from its callback, ten times at 5 ms. */
static void periodic(struct timer *timer, void *arg)
{
    unsigned int *ticks = arg;

    if (++*ticks < 10)
        timer_arm(timer, timer->deadline_ns + 5 * NSEC_PER_MSEC);
}

KERNEL_TEST(timer_callback_can_rearm_itself)
{
    struct timer t;
    unsigned int ticks = 0;
    uint64_t start = xen_system_time_ns();
    /* Only stops a broken timer from hanging the run: ten ticks take 50 ms. */
    uint64_t deadline = TEST_DEADLINE_MS(10000);

    timer_init(&t, periodic, &ticks);
    timer_arm(&t, start + 5 * NSEC_PER_MSEC);
    while (ticks < 10 && xen_system_time_ns() < deadline)
        thread_sleep_ns(NSEC_PER_MSEC);
    TEST_ASSERT_EQ(ticks, 10);
    TEST_ASSERT(xen_system_time_ns() - start >= 50 * NSEC_PER_MSEC);
    TEST_ASSERT(!timer_is_armed(&t));
}
