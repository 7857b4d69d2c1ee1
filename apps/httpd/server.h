/*
 * The HTTP server's socket loop: one thread polls the listening socket and every
 * connection, and moves bytes between the sockets and their sessions (session.h),
 * never waiting on one connection while others could go on. At most
 * SERVER_MAX_CONNECTIONS are open at once; a connection beyond them is closed as
 * soon as it is accepted.
 *
 * So that clients that hold a connection and do nothing cannot keep others out, a
 * connection is closed once it has moved no byte either way for the idle timeout
 * (a kept connection waiting for its next request, a stalled upload, a client that
 * reads nothing), and once a request's head has been coming for that long without
 * ending (a client sending it a byte now and then), the latter answered 408 first.
 * A connection that ends with an error (reset by the peer, aborted because its
 * interface went away) is logged in one line:
 *
 *   httpd: connection from 10.0.0.1:41234 ended: ECONNABORTED
 */
#ifndef APPS_HTTPD_SERVER_H
#define APPS_HTTPD_SERVER_H

#include <stdint.h>

#define SERVER_MAX_CONNECTIONS 128
#define SERVER_DEFAULT_PORT    80
#define SERVER_DEFAULT_TIMEOUT 30 /* s: the idle timeout */

struct server_stats {
    unsigned int open;
    uint64_t accepted, refused; /* refused: accepted beyond the cap, and closed */
    uint64_t timed_out;         /* closed by the idle timeout */
    uint64_t requests;          /* answered, on every connection so far */
};

/*
 * A socket listening on TCP port, on any address, IPv4 and IPv6 alike (IPv4 only
 * where the system has no IPv6), or -1 if that fails.
 */
int server_listen(unsigned int port);

/* Serve connections on listen_fd until poll fails; returns -1 then. timeout_ms 0: none. */
int server_run(int listen_fd, uint64_t timeout_ms);

void server_stats(struct server_stats *out);

#endif
