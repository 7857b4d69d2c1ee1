/*
 * Ports that fire without pause: each handler sends on its loopback peer again, so
 * the port is pending again before the upcall has finished with it. The upcall must
 * hand the CPU back to threads after a bounded amount of work, serve every storming
 * port in turn, and lose no event.
 *
 * Each storm carries a deadline: a kernel that never leaves the upcall stops the
 * storm there, and the test then fails instead of hanging.
 */
#include <xen/xen.h>

#include "kernel/sched.h"
#include "kernel/test.h"
#include "lib/printk.h"
#include "mm/heap.h"
#include "xen/events.h"
#include "xen/time.h"

struct storm {
    evtchn_port_t a, b;   /* a send on a raises b, whose handler sends on a again */
    unsigned long sends;  /* sends on a, the first one included */
    unsigned long hits;   /* b's handler runs */
    bool *stop;           /* shared by every storm of a test */
    uint64_t deadline_ns; /* the storm stops by itself then */
    bool *timed_out;
};

static void storm_refire(evtchn_port_t port, void *arg)
{
    struct storm *s = arg;

    (void)port;
    s->hits++;
    if (*s->stop)
        return;
    if (xen_system_time_ns() > s->deadline_ns) {
        *s->timed_out = true;
        return;
    }
    s->sends++;
    evtchn_send(s->a);
}

/* The bind's own event on b (xen/events.h) is taken before the handler is set. */
static int storm_open(struct storm *s, bool *stop, bool *timed_out, uint64_t deadline_ns)
{
    int rc;

    *s = (struct storm){.stop = stop, .timed_out = timed_out, .deadline_ns = deadline_ns};
    rc = evtchn_alloc_unbound(DOMID_SELF, NULL, NULL, &s->a);
    if (rc)
        return rc;
    rc = evtchn_bind_interdomain(DOMID_SELF, s->a, NULL, NULL, &s->b);
    if (rc) {
        evtchn_close(s->a);
        return rc;
    }
    /* A NULL handler masked b when the bind's event came: unmask with ours in place. */
    evtchn_set_handler(s->b, storm_refire, s);
    evtchn_unmask(s->b);
    s->hits = 0;
    return 0;
}

static void storm_close(struct storm *s)
{
    evtchn_close(s->b);
    evtchn_close(s->a);
}

static void storm_start(struct storm *s)
{
    s->sends++;
    evtchn_send(s->a);
}

/* After *stop: the last event of each storm is still to come; yield until it has. */
static bool storms_drain(struct storm *s, unsigned int n)
{
    uint64_t deadline = TEST_DEADLINE_MS(10000);
    unsigned int i;

    for (;;) {
        for (i = 0; i < n && s[i].hits == s[i].sends; i++)
            ;
        if (i == n)
            return true;
        if (xen_system_time_ns() > deadline) {
            printk("    storm %u: %lu sends, %lu hits\n", i, s[i].sends, s[i].hits);
            return false;
        }
        thread_yield();
    }
}

/*
 * One storming port and a quiet one: while the storm goes on, this thread runs,
 * yields a hundred times (every yield lets the deferred events run), and sends once on
 * the quiet port, which is served. Afterwards every send was handled exactly once.
 */
KERNEL_TEST(evtchn_storm_leaves_threads_running)
{
    bool stop = false, timed_out = false;
    struct storm storm, quiet;
    struct evtchn_stats before, after;
    unsigned long hits_meanwhile;
    unsigned int i;

    TEST_ASSERT_EQ(storm_open(&storm, &stop, &timed_out, TEST_DEADLINE_MS(20000)), 0);
    TEST_ASSERT_EQ(storm_open(&quiet, &stop, &timed_out, TEST_DEADLINE_MS(20000)), 0);
    evtchn_get_stats(&before);
    storm_start(&storm);
    /* Here only once the upcall has let go. */
    for (i = 0; i < 100 && !timed_out; i++)
        thread_yield();
    quiet.stop = &(bool){true}; /* one event, no refiring */
    storm_start(&quiet);
    thread_yield();
    hits_meanwhile = storm.hits;
    stop = true;
    TEST_ASSERT(storms_drain(&storm, 1));
    TEST_ASSERT(storms_drain(&quiet, 1));
    evtchn_get_stats(&after);
    storm_close(&storm);
    storm_close(&quiet);
    printk("    %lu events in the storm, %lu upcalls cut short\n", storm.hits,
           (unsigned long)(after.deferred - before.deferred));
    TEST_ASSERT(!timed_out);
    TEST_ASSERT_EQ(quiet.hits, 1);
    /* The storm did go on while the thread ran: well over one event per yield. */
    TEST_ASSERT(hits_meanwhile > 100);
    TEST_ASSERT(after.deferred > before.deferred);
}

/*
 * More storming ports than one upcall's budget: every one of them is served within a
 * few yields, not only the ones the scan meets first, and none loses an event.
 */
#define STORMS 150

KERNEL_TEST(evtchn_storm_on_many_ports_serves_them_all)
{
    bool stop = false, timed_out = false;
    struct storm *storms = xzalloc(STORMS * sizeof(*storms), 0);
    uint64_t deadline = TEST_DEADLINE_MS(20000);
    unsigned int i, opened, yields = 0, starved = STORMS;
    bool ok = true;

    TEST_ASSERT(storms != NULL);
    for (opened = 0; opened < STORMS; opened++)
        if (storm_open(&storms[opened], &stop, &timed_out, deadline))
            break;
    if (opened == STORMS) {
        unsigned int prev = events_disable();

        for (i = 0; i < STORMS; i++)
            storm_start(&storms[i]);
        events_restore(prev);
        /* Every port must be served soon: the budget is far below STORMS * yields. */
        while (starved && yields < 20 && !timed_out) {
            thread_yield();
            yields++;
            for (starved = 0, i = 0; i < STORMS; i++)
                starved += storms[i].hits < 2;
        }
        stop = true;
        ok = storms_drain(storms, STORMS);
    }
    for (i = 0; i < opened; i++)
        storm_close(&storms[i]);
    xfree(storms);
    printk("    every port served twice after %u yields; %u not\n", yields, starved);
    TEST_ASSERT_EQ(opened, STORMS);
    TEST_ASSERT(!timed_out);
    TEST_ASSERT_EQ(starved, 0);
    TEST_ASSERT(ok);
}
