/*
 * Event channels against the real hypervisor. Every test runs under whichever ABI
 * the boot chose; tests/dom0/run boots once with evtchn=2l and once with evtchn=fifo.
 *
 * A loopback pair is an unbound port offered to our own domain and a second port
 * bound to it: a send on one end raises the other.
 */
#include <xen/xen.h>

#include "arch/hypercall.h"
#include "kernel/sched.h"
#include "kernel/test.h"
#include "lib/errno.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "mm/page_alloc.h"
#include "xen/events.h"
#include "xen/evtchn_abi.h"
#include "xen/time.h"

struct counter {
    unsigned int hits;
    evtchn_port_t last_port;
};

static void count_event(evtchn_port_t port, void *arg)
{
    struct counter *c = arg;

    c->hits++;
    c->last_port = port;
}

struct pair {
    evtchn_port_t a, b;
    struct counter at_a, at_b;
};

/* Counters start at zero after the bind, whose own event the next test looks at. */
static int pair_open(struct pair *p)
{
    int rc;

    *p = (struct pair){0};
    rc = evtchn_alloc_unbound(DOMID_SELF, count_event, &p->at_a, &p->a);
    if (rc)
        return rc;
    rc = evtchn_bind_interdomain(DOMID_SELF, p->a, count_event, &p->at_b, &p->b);
    if (rc)
        evtchn_close(p->a);
    p->at_a = p->at_b = (struct counter){0};
    return rc;
}

/* Xen raises a port it binds interdomain, in case the peer sent before: delivered. */
KERNEL_TEST(evtchn_bind_interdomain_raises_the_new_port_once)
{
    struct counter at_a = {0}, at_b = {0};
    evtchn_port_t a, b;

    TEST_ASSERT_EQ(evtchn_alloc_unbound(DOMID_SELF, count_event, &at_a, &a), 0);
    TEST_ASSERT_EQ(evtchn_bind_interdomain(DOMID_SELF, a, count_event, &at_b, &b), 0);
    TEST_ASSERT_EQ(at_b.hits, 1);
    TEST_ASSERT_EQ(at_b.last_port, b);
    TEST_ASSERT_EQ(at_a.hits, 0);
    evtchn_close(b);
    evtchn_close(a);
}

/* A port bound before the kernel took it (as the toolstack binds a domU's ports). */
KERNEL_TEST(evtchn_attach_takes_over_a_bound_port)
{
    struct evtchn_alloc_unbound op = {.dom = DOMID_SELF, .remote_dom = DOMID_SELF};
    struct counter at_a = {0}, at_b = {0};
    evtchn_port_t b;

    TEST_ASSERT_EQ(hypercall_event_channel_op(EVTCHNOP_alloc_unbound, &op), 0);
    TEST_ASSERT_EQ(evtchn_attach(op.port, count_event, &at_a), 0);
    TEST_ASSERT_EQ(evtchn_bind_interdomain(DOMID_SELF, op.port, count_event, &at_b, &b), 0);
    TEST_ASSERT_EQ(evtchn_send(b), 0);
    TEST_ASSERT_EQ(at_a.hits, 1);
    TEST_ASSERT_EQ(at_a.last_port, op.port);
    TEST_ASSERT_EQ(evtchn_attach(0, count_event, NULL), -EINVAL);
    TEST_ASSERT_EQ(evtchn_attach(evtchn_port_limit(), count_event, NULL), -EINVAL);
    evtchn_close(b);
    evtchn_close(op.port);
}

static void pair_close(struct pair *p)
{
    evtchn_close(p->b);
    evtchn_close(p->a);
}

KERNEL_TEST(evtchn_abi_is_set_up)
{
    const char *name = evtchn_abi_name();

    TEST_ASSERT(strcmp(name, "FIFO") == 0 || strcmp(name, "2-level") == 0);
    if (strcmp(name, "FIFO") == 0)
        TEST_ASSERT_EQ(evtchn_port_limit(), EVTCHN_FIFO_NR_CHANNELS);
    else
        TEST_ASSERT_EQ(evtchn_port_limit(), EVTCHN_2L_NR_CHANNELS);
}

KERNEL_TEST(evtchn_loopback_runs_the_peer_handler_once_per_send)
{
    struct pair p;
    unsigned int i;

    TEST_ASSERT_EQ(pair_open(&p), 0);
    TEST_ASSERT(p.a != p.b);
    for (i = 1; i <= 10; i++) {
        TEST_ASSERT_EQ(evtchn_send(p.a), 0);
        /* Delivered on the way back from the hypercall. */
        TEST_ASSERT_EQ(p.at_b.hits, i);
        TEST_ASSERT_EQ(p.at_b.last_port, p.b);
        TEST_ASSERT_EQ(p.at_a.hits, i - 1);
        TEST_ASSERT_EQ(evtchn_send(p.b), 0);
        TEST_ASSERT_EQ(p.at_a.hits, i);
        TEST_ASSERT_EQ(p.at_a.last_port, p.a);
    }
    pair_close(&p);
}

KERNEL_TEST(evtchn_send_while_masked_is_delivered_at_unmask)
{
    struct pair p;

    TEST_ASSERT_EQ(pair_open(&p), 0);
    evtchn_mask(p.b);
    TEST_ASSERT_EQ(evtchn_send(p.a), 0);
    TEST_ASSERT_EQ(evtchn_send(p.a), 0); /* a second send while pending merges */
    TEST_ASSERT_EQ(p.at_b.hits, 0);
    evtchn_unmask(p.b);
    TEST_ASSERT_EQ(p.at_b.hits, 1);
    evtchn_unmask(p.b); /* unmasking again raises nothing */
    TEST_ASSERT_EQ(p.at_b.hits, 1);
    pair_close(&p);
}

KERNEL_TEST(evtchn_events_disabled_defers_delivery)
{
    struct pair p;
    unsigned int prev;

    TEST_ASSERT_EQ(pair_open(&p), 0);
    prev = events_disable();
    TEST_ASSERT_EQ(evtchn_send(p.a), 0);
    TEST_ASSERT_EQ(p.at_b.hits, 0);
    events_restore(prev);
    TEST_ASSERT_EQ(p.at_b.hits, 1);
    pair_close(&p);
}

KERNEL_TEST(evtchn_set_handler_replaces_and_close_stops_delivery)
{
    struct pair p;
    struct counter other = {0};

    TEST_ASSERT_EQ(pair_open(&p), 0);
    TEST_ASSERT_EQ(evtchn_set_handler(p.b, count_event, &other), 0);
    TEST_ASSERT_EQ(evtchn_send(p.a), 0);
    TEST_ASSERT_EQ(other.hits, 1);
    TEST_ASSERT_EQ(p.at_b.hits, 0);
    /* No handler: the event is counted as unhandled and the port masked, so a second
     * send is held, not delivered, until someone unmasks it. (The number of upcalls
     * says nothing here: a timer or xenstore event may raise one at any time.) */
    struct evtchn_stats before, after;
    evtchn_get_stats(&before);
    TEST_ASSERT_EQ(evtchn_set_handler(p.b, NULL, NULL), 0);
    TEST_ASSERT_EQ(evtchn_send(p.a), 0);
    TEST_ASSERT_EQ(evtchn_send(p.a), 0);
    evtchn_get_stats(&after);
    TEST_ASSERT_EQ(after.unhandled, before.unhandled + 1);
    TEST_ASSERT_EQ(evtchn_set_handler(p.b, count_event, &other), 0);
    evtchn_unmask(p.b);
    TEST_ASSERT_EQ(other.hits, 2);
    TEST_ASSERT_EQ(evtchn_close(p.b), 0);
    /* The other end is now unbound from our side: Xen accepts the send, nothing runs. */
    evtchn_send(p.a);
    TEST_ASSERT_EQ(other.hits, 2);
    TEST_ASSERT_EQ(evtchn_close(p.a), 0);
    TEST_ASSERT_EQ(evtchn_send(p.a), -EINVAL);
}

KERNEL_TEST(evtchn_bad_requests_fail_cleanly)
{
    evtchn_port_t port;

    /* VIRQ_TIMER is bound already (kernel/timer.c). */
    TEST_ASSERT_EQ(evtchn_bind_virq(VIRQ_TIMER, count_event, NULL, &port), -EEXIST);
    TEST_ASSERT_EQ(evtchn_bind_interdomain(DOMID_SELF, 0, count_event, NULL, &port), -EINVAL);
    TEST_ASSERT_EQ(evtchn_send(evtchn_port_limit()), -EINVAL);
    TEST_ASSERT_EQ(evtchn_close(evtchn_port_limit() + 5), -EINVAL);
}

KERNEL_TEST(evtchn_bind_virq_and_close)
{
    struct counter c = {0};
    evtchn_port_t port;

    TEST_ASSERT_EQ(evtchn_bind_virq(VIRQ_DEBUG, count_event, &c, &port), 0);
    TEST_ASSERT(port != 0);
    TEST_ASSERT_EQ(evtchn_close(port), 0);
    /* Closed, it can be bound again. */
    TEST_ASSERT_EQ(evtchn_bind_virq(VIRQ_DEBUG, count_event, &c, &port), 0);
    TEST_ASSERT_EQ(evtchn_close(port), 0);
}

/*
 * Open n loopback pairs, send on every a-end with events masked so that all are
 * pending at once, then let them be delivered: each b-end's handler must run
 * exactly once. Returns the highest port used, or 0 after a failed assertion.
 */
static evtchn_port_t many_pairs(unsigned int n)
{
    struct pair *pairs = xzalloc(n * sizeof(*pairs), 0);
    evtchn_port_t highest = 0;
    unsigned int i, opened = 0, prev;
    bool ok = true;

    if (!pairs)
        return 0;
    for (opened = 0; opened < n; opened++) {
        int rc = pair_open(&pairs[opened]);

        if (rc) {
            printk("    pair %u: %s\n", opened, errno_name(rc));
            ok = false;
            break;
        }
        if (pairs[opened].b > highest)
            highest = pairs[opened].b;
    }
    prev = events_disable();
    for (i = 0; ok && i < opened; i++)
        ok = evtchn_send(pairs[i].a) == 0;
    events_restore(prev);
    /* One upcall serves a bounded number of them; the scheduler lets the rest run. */
    uint64_t deadline = TEST_DEADLINE_MS(10000);
    for (i = 0; ok && i < opened && xen_system_time_ns() < deadline; i++)
        while (pairs[i].at_b.hits == 0 && xen_system_time_ns() < deadline)
            thread_yield();
    for (i = 0; ok && i < opened; i++) {
        if (pairs[i].at_b.hits != 1 || pairs[i].at_a.hits != 0) {
            printk("    pair %u (ports %u, %u): %u and %u hits\n", i, pairs[i].a, pairs[i].b,
                   pairs[i].at_b.hits, pairs[i].at_a.hits);
            ok = false;
        }
    }
    for (i = 0; i < opened; i++)
        pair_close(&pairs[i]);
    xfree(pairs);
    return ok ? highest : 0;
}

KERNEL_TEST(evtchn_thousand_ports_none_lost)
{
    unsigned long free_before = pages_free_count(), kept;
    evtchn_port_t highest;

    /* 500 pairs: 1,000 ports. */
    highest = many_pairs(500);
    TEST_ASSERT(highest != 0);
    /* Every port closed: a second round reuses them. */
    TEST_ASSERT(many_pairs(500) != 0);
    /* FIFO's event-array pages (1,024 ports each) stay with Xen, and the handler slots'
     * 1 KiB blocks (64 ports each, three to a heap page) stay made; nothing else. */
    kept = highest / 1024 + 1 + highest / 64 / 3 + 1;
    TEST_ASSERT(pages_free_count() + kept >= free_before);
}

/*
 * Beyond the 2-level limit: under FIFO, 2,100 pairs reach past port 4,096 and all
 * are delivered; under 2-level, Xen refuses the port past the limit with ENOSPC and
 * everything already bound still works. Dom0 only: libxl gives a domU 1,023
 * event channels unless its config's max_event_channels says more.
 */
KERNEL_TEST_FLAGS(evtchn_more_ports_than_2l_allows, TEST_DOM0_ONLY)
{
    if (evtchn_port_limit() > EVTCHN_2L_NR_CHANNELS) {
        evtchn_port_t highest = many_pairs(2100);

        TEST_ASSERT(highest >= EVTCHN_2L_NR_CHANNELS);
        printk("    highest port %u\n", highest);
        return;
    }
    struct pair *pairs = xzalloc(2100 * sizeof(*pairs), 0);
    unsigned int n = 0, i;
    int rc = 0;

    TEST_ASSERT(pairs != NULL);
    while (n < 2100 && (rc = pair_open(&pairs[n])) == 0)
        n++;
    TEST_ASSERT_EQ(rc, -ENOSPC);
    TEST_ASSERT(n > 1900);
    TEST_ASSERT_EQ(evtchn_send(pairs[n - 1].a), 0);
    TEST_ASSERT_EQ(pairs[n - 1].at_b.hits, 1);
    for (i = 0; i < n; i++)
        pair_close(&pairs[i]);
    xfree(pairs);
}

/* Record the order in which ports' handlers run. */
static evtchn_port_t delivery_order[4];
static unsigned int deliveries;

static void note_order(evtchn_port_t port, void *arg)
{
    (void)arg;
    if (deliveries < 4)
        delivery_order[deliveries] = port;
    deliveries++;
}

/*
 * Under FIFO, with events masked, raise a low-priority port, then a default one,
 * then the highest: one upcall must serve them highest first. Under 2-level Xen
 * refuses priorities, and ports are served in port order.
 */
KERNEL_TEST(evtchn_fifo_serves_higher_priority_first)
{
    evtchn_port_t a[3], b[3];
    static const unsigned int prio[3] = {EVTCHN_FIFO_PRIORITY_MIN, EVTCHN_FIFO_PRIORITY_DEFAULT,
                                         EVTCHN_FIFO_PRIORITY_MAX};
    unsigned int i, prev;
    int rc;

    for (i = 0; i < 3; i++) {
        TEST_ASSERT_EQ(evtchn_alloc_unbound(DOMID_SELF, NULL, NULL, &a[i]), 0);
        TEST_ASSERT_EQ(evtchn_bind_interdomain(DOMID_SELF, a[i], note_order, NULL, &b[i]), 0);
    }
    rc = evtchn_set_priority(b[0], prio[0]);
    if (evtchn_port_limit() == EVTCHN_2L_NR_CHANNELS) {
        TEST_ASSERT_EQ(rc, -ENOSYS);
    } else {
        TEST_ASSERT_EQ(rc, 0);
        TEST_ASSERT_EQ(evtchn_set_priority(b[2], prio[2]), 0);
        TEST_ASSERT_EQ(evtchn_set_priority(b[1], EVTCHN_FIFO_PRIORITY_MIN + 1), -EINVAL);
    }
    deliveries = 0;
    prev = events_disable();
    for (i = 0; i < 3; i++)
        TEST_ASSERT_EQ(evtchn_send(a[i]), 0);
    events_restore(prev);
    TEST_ASSERT_EQ(deliveries, 3);
    if (rc == 0) {
        TEST_ASSERT_EQ(delivery_order[0], b[2]);
        TEST_ASSERT_EQ(delivery_order[1], b[1]);
        TEST_ASSERT_EQ(delivery_order[2], b[0]);
    } else {
        TEST_ASSERT(delivery_order[0] < delivery_order[1] && delivery_order[1] < delivery_order[2]);
    }
    for (i = 0; i < 3; i++) {
        evtchn_close(b[i]);
        evtchn_close(a[i]);
    }
}

/*
 * Xen's FIFO `ready` word has one bit per queue, EVTCHN_FIFO_MAX_QUEUES of them. Bits
 * above those, however they got there, must not be taken for queues: an event
 * pending with them is delivered once, and events work as before afterwards.
 */
KERNEL_TEST(evtchn_fifo_ready_bits_beyond_the_queues_are_ignored)
{
    struct pair p;
    unsigned int prev, i;
    int rc, send_rc;

    TEST_ASSERT_EQ(pair_open(&p), 0);
    prev = events_disable();
    rc = evtchn_fifo_test_set_ready(~(uint32_t)0 << EVTCHN_FIFO_MAX_QUEUES);
    send_rc = evtchn_send(p.a);
    events_restore(prev);
    if (rc == -ENOSYS) {
        printk("    2-level: no ready word\n");
        pair_close(&p);
        return;
    }
    TEST_ASSERT_EQ(rc, 0);
    TEST_ASSERT_EQ(send_rc, 0);
    TEST_ASSERT_EQ(p.at_b.hits, 1);
    for (i = 2; i <= 5; i++) {
        TEST_ASSERT_EQ(evtchn_send(p.a), 0);
        TEST_ASSERT_EQ(p.at_b.hits, i);
        TEST_ASSERT_EQ(evtchn_send(p.b), 0);
        TEST_ASSERT_EQ(p.at_a.hits, i - 1);
    }
    pair_close(&p);
    /* New ports still get their event words and their events. */
    TEST_ASSERT(many_pairs(50) != 0);
}
