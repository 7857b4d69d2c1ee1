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
    uint64_t event_upcalls, events_unhandled, events_deferred;
    struct net_status net;
    struct server_stats server;
};

void status_gather(struct status *st);

#endif
