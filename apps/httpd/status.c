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
    struct xen_vcpu_times vcpu = {0};

    st->uptime_ms = kernel_uptime_ns() / NSEC_PER_MSEC;
    st->pages_total = pages_total_count();
    st->pages_free = pages_free_count();
    st->threads = thread_count();
    if (xen_vcpu_times(&vcpu) == 0) {
        st->vcpu_running_ms = vcpu.running_ns / NSEC_PER_MSEC;
        st->vcpu_waiting_ms = vcpu.runnable_ns / NSEC_PER_MSEC;
        st->vcpu_blocked_ms = vcpu.blocked_ns / NSEC_PER_MSEC;
    }
    evtchn_get_stats(&ev);
    st->event_upcalls = ev.upcalls;
    st->events_unhandled = ev.unhandled;
    st->events_deferred = ev.deferred;
    net_status_gather(&st->net);
    server_stats(&st->server);
}
