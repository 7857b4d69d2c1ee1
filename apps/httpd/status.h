/*
 * The figures the status page shows, gathered at each request from the parts of
 * the kernel that own them (status.c), so that a page is a snapshot of one moment.
 */
#ifndef APPS_HTTPD_STATUS_H
#define APPS_HTTPD_STATUS_H

#include <stdint.h>

#include "apps/httpd/net_status.h"
#include "apps/httpd/server.h"

struct status {
    uint64_t uptime_ms;
    unsigned long pages_total, pages_free; /* of 4 KiB */
    unsigned int threads;
    /* Where the vCPU's time went since boot (xen/time.h: xen_vcpu_times): running,
     * waiting for a physical CPU Xen gave to another vCPU, blocked with nothing to do. */
    uint64_t vcpu_running_ms, vcpu_waiting_ms, vcpu_blocked_ms;
    uint64_t event_upcalls, events_unhandled, events_deferred;
    struct net_status net;
    struct server_stats server;
};

void status_gather(struct status *st);

#endif
