/*
 * A vif's thread (nf_io.h). Everything the backend's answers lead to, the callbacks
 * of the vif's user included, runs here and nowhere else, so the rings need no lock.
 */
#include "lib/errno.h"
#include "lib/printk.h"
#include "lib/vsnprintf.h"
#include "kernel/sched.h"
#include "xen/time.h"
#include "drivers/netfront/nf_io.h"
#include "drivers/netfront/nf_rx.h"
#include "drivers/netfront/nf_tx.h"

/* How often the thread asks again for grants the backend had not given back. */
#define KEPT_RETRY_NS (100 * NSEC_PER_MSEC)

void nf_io_event(evtchn_port_t port, void *arg)
{
    struct netfront *nf = arg;

    (void)port;
    nf->io_event = true;
    wait_queue_wake_one(&nf->io_wq);
}

static const char *fault_of(const struct netfront *nf)
{
    if (nf->tx.fault.broken)
        return nf->tx.fault.reason;
    return nf->rx.fault.broken ? nf->rx.fault.reason : NULL;
}

/* The rings broke or the vif closes: end what is in flight and tell the user, once. */
static void go_down(struct netfront *nf, const char *why)
{
    unsigned int in_flight = nf->tx.in_flight_count;

    printk("netfront: %s: %s; %u transmit slots in flight end with an error, the interface is "
           "down\n",
           nf->info.name, why, in_flight);
    nf->state = NF_DOWN;
    nf_tx_fail_in_flight(nf);
    nf->down_called = true;
    if (nf->ops && nf->ops->down)
        nf->ops->down(nf->ops_arg);
}

static void io_thread(void *arg)
{
    struct netfront *nf = arg;

    for (;;) {
        const char *why;

        wait_event_deadline(&nf->io_wq, nf->io_event || nf->stop_io,
                            nf->tx_kept ? xen_system_time_ns() + KEPT_RETRY_NS : 0);
        nf->io_event = false;
        nf_rx_poll(nf);
        nf_tx_poll(nf);
        why = fault_of(nf);
        if (why && !nf->down_called)
            go_down(nf, why);
        if (nf->stop_io && nf->tx.in_flight_count == 0 && !nf->to_end)
            return;
    }
}

int nf_io_start(struct netfront *nf)
{
    char name[THREAD_NAME_MAX];

    snprintf(name, sizeof(name), "net-%s", nf->info.name);
    nf->io_thread = thread_create(name, io_thread, nf);
    return nf->io_thread ? 0 : -ENOMEM;
}

void nf_io_stop(struct netfront *nf, const char *why, uint64_t deadline_ns)
{
    if (nf->state == NF_CONNECTED)
        nf->state = NF_DOWN;
    wait_queue_wake_all(&nf->room_wq); /* transmitters waiting for room give up */
    wait_event_deadline(&nf->room_wq, nf->tx.in_flight_count == 0, deadline_ns);
    net_fault_set(&nf->tx.fault, "%s", why);
    net_fault_set(&nf->rx.fault, "%s", why);
    nf->stop_io = true;
    nf->io_event = true;
    wait_queue_wake_one(&nf->io_wq);
    thread_join(nf->io_thread);
    nf->io_thread = NULL;
}
