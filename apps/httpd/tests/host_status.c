/*
 * Host builds of the server: fixed figures in place of the kernel's (status.c asks
 * the kernel), and the server's own counters as they are.
 */
#include "apps/httpd/status.h"

#include <string.h>

void status_gather(struct status *st)
{
    memset(st, 0, sizeof(*st));
    st->uptime_ms = 12345;
    st->pages_total = 32768;
    st->pages_free = 30000;
    st->threads = 3;
    st->vcpu_running_ms = 1500;
    st->vcpu_waiting_ms = 20;
    st->vcpu_blocked_ms = 10825;
    st->event_upcalls = 7;
    st->net.interfaces = 1;
    server_stats(&st->server);
}
