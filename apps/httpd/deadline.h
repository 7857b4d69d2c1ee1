/*
 * When a connection is closed unless it moves on (server.h says why), as arithmetic
 * on milliseconds, apart from the socket loop so that host tests check it without a
 * clock. Each phase of a connection has its own bound, all scaled by the timeout T
 * (httpd-timeout=):
 *
 * - idle (no request begun, or a response being sent): T after a byte last moved;
 * - a request's head: T after its first byte, however it trickles in;
 * - a request's body: T after its last byte moved (a stall), and on average at least
 *   DEADLINE_BODY_MIN_RATE bytes a second after a grace period of T from its start:
 *   received bytes buy received / DEADLINE_BODY_MIN_RATE seconds more.
 *
 * The rate is Apache's mod_reqtimeout default (body=20,MinRate=500): far below any
 * real link (a 100 MB upload on the rig moves at hundreds of KiB/s, and even a GPRS
 * modem carries several KiB/s), but a client that holds a connection with a byte now
 * and then must now send 500 a second to keep it, 64 KB/s to hold every one of
 * SERVER_MAX_CONNECTIONS.
 */
#ifndef APPS_HTTPD_DEADLINE_H
#define APPS_HTTPD_DEADLINE_H

#include <stdint.h>

#define DEADLINE_BODY_MIN_RATE 500 /* bytes per second */

enum deadline_phase {
    DEADLINE_IDLE,
    DEADLINE_HEAD,
    DEADLINE_BODY,
};

struct deadline_times {
    uint64_t moved_ms;   /* a byte last moved either way */
    uint64_t began_ms;   /* the head or the body began (unused when idle) */
    uint64_t received;   /* bytes of the body so far (a body only) */
    uint64_t timeout_ms; /* T, more than 0 */
};

/* The time (ms, as the times given) at which a connection in phase is closed. */
uint64_t deadline_at(enum deadline_phase phase, const struct deadline_times *t);

#endif
