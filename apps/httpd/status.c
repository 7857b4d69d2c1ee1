/*
 * The status page's figures, each asked of the part of the kernel that keeps it.
 */
#include "mm/page_alloc.h"
#include "xen/events.h"
#include "xen/time.h"
#include "kernel/start_kernel.h"
#include "kernel/thread.h"
#include "apps/httpd/status.h"

void status_gather(struct status *st)
{
    struct evtchn_stats ev;

    st->uptime_ms = kernel_uptime_ns() / NSEC_PER_MSEC;
    st->pages_total = pages_total_count();
    st->pages_free = pages_free_count();
    st->threads = thread_count();
    evtchn_get_stats(&ev);
    st->event_upcalls = ev.upcalls;
    st->events_unhandled = ev.unhandled;
    st->events_deferred = ev.deferred;
    net_status_gather(&st->net);
    server_stats(&st->server);
}
