/*
 * Scheduler, event-channel and timer micro-benchmarks, run by tools/bench
 * (tests=bench_sched): they print figures and check nothing. Under QEMU's TCG the
 * absolute numbers are inflated; compare runs.
 */
#include "arch/cpu.h"
#include "kernel/sched.h"
#include "kernel/test.h"
#include "tests/guest/bench.h"
#include "kernel/thread.h"
#include "lib/printk.h"
#include "xen/events.h"
#include "xen/time.h"

#define SWITCH_ROUNDS  100000
#define CREATE_ROUNDS  2000
#define EVENT_ROUNDS   2000
#define TIMER_SAMPLES  200
#define TIMER_SLEEP_NS (1 * NSEC_PER_MSEC)

static void yield_n_times(void *arg)
{
    unsigned long i, n = *(unsigned long *)arg;

    for (i = 0; i < n; i++)
        thread_yield();
}

static void nothing(void *arg)
{
    (void)arg;
}

/* Two threads yield to each other: every yield is one switch. */
static void bench_context_switch(void)
{
    unsigned long n = SWITCH_ROUNDS;
    struct thread *a = thread_create("yield-a", yield_n_times, &n);
    struct thread *b = thread_create("yield-b", yield_n_times, &n);
    struct sched_stats s0, s1;
    uint64_t t, c;

    sched_get_stats(&s0);
    t = xen_system_time_ns();
    c = rdtsc();
    thread_join(a);
    thread_join(b);
    t = xen_system_time_ns() - t;
    c = rdtsc() - c;
    sched_get_stats(&s1);
    printk("bench: context switch (thread_yield between two threads): %lu ns, %lu TSC cycles "
           "(%lu switches)\n",
           t / (s1.switches - s0.switches), c / (s1.switches - s0.switches),
           s1.switches - s0.switches);
}

static void bench_create_join(void)
{
    uint64_t t = xen_system_time_ns(), c = rdtsc();
    unsigned int i;

    for (i = 0; i < CREATE_ROUNDS; i++)
        thread_join(thread_create("bench", nothing, NULL));
    t = xen_system_time_ns() - t;
    c = rdtsc() - c;
    printk("bench: thread create + join: %lu ns, %lu TSC cycles\n", t / CREATE_ROUNDS,
           c / CREATE_ROUNDS);
}

static volatile uint64_t handled_tsc;

static void stamp(evtchn_port_t port, void *arg)
{
    (void)port;
    (void)arg;
    handled_tsc = rdtsc();
}

static uint64_t latency[EVENT_ROUNDS > TIMER_SAMPLES ? EVENT_ROUNDS : TIMER_SAMPLES];

/* Loopback pair: the time from evtchn_send to the peer's handler running. */
static void bench_event_latency(void)
{
    evtchn_port_t a, b;
    unsigned int i;

    if (evtchn_alloc_unbound(DOMID_SELF, NULL, NULL, &a) ||
        evtchn_bind_interdomain(DOMID_SELF, a, stamp, NULL, &b)) {
        printk("bench: event channel: cannot open a loopback pair\n");
        return;
    }
    for (i = 0; i < EVENT_ROUNDS; i++) {
        uint64_t sent = rdtsc();

        evtchn_send(a);
        latency[i] = xen_tsc_to_ns(handled_tsc - sent);
    }
    evtchn_close(b);
    evtchn_close(a);
    bench_report_percentiles("event channel send -> handler (loopback)", latency, EVENT_ROUNDS);
}

/* How long after its deadline a sleeping thread runs again. */
static void bench_timer_lateness(void)
{
    unsigned int i;

    for (i = 0; i < TIMER_SAMPLES; i++) {
        uint64_t deadline = xen_system_time_ns() + TIMER_SLEEP_NS;

        thread_sleep_until(deadline);
        latency[i] = xen_system_time_ns() - deadline;
    }
    bench_report_percentiles("timer wake-up lateness (1 ms sleeps)", latency, TIMER_SAMPLES);
}

KERNEL_TEST_FLAGS(bench_sched, TEST_ON_REQUEST)
{
    printk("bench: event-channel ABI %s\n", evtchn_abi_name());
    bench_context_switch();
    bench_create_join();
    bench_event_latency();
    bench_timer_lateness();
}
