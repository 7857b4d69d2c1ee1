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
 * reads nothing; not a response waiting for the stack's buffers, which other
 * connections hold, with nothing of its own in flight), once a request's head has been coming for
 * that long without ending (a client sending it a byte now and then), and once a request's body
 * falls behind a minimum average rate after a grace period of that long (a body sent a byte now and
 * then; deadline.h); a request cut short is answered 408 first, and every such close is counted in
 * timed_out. A connection that ends with an error (reset by the peer, aborted because its interface
 * went away) is logged in one line:
 *
 *   httpd: connection from 10.0.0.1:41234 ended: ECONNABORTED
 */
#ifndef APPS_HTTPD_SERVER_H
#define APPS_HTTPD_SERVER_H

#include <stdbool.h>
#include <stdint.h>

#define SERVER_MAX_CONNECTIONS 128
#define SERVER_DEFAULT_PORT    80
#define SERVER_DEFAULT_TIMEOUT 30 /* s: the idle timeout */

struct server_stats {
    unsigned int open;
    uint64_t accepted, refused; /* refused: accepted beyond the cap, and closed */
    uint64_t timed_out;         /* closed by the idle timeout or a request's deadline */
    uint64_t requests;          /* answered, on every connection so far */
};

/*
 * A socket listening on TCP port (0: any free one), on any address of either IP
 * version: an IPv6 socket bound to :: with IPV6_V6ONLY off, which takes IPv4
 * connections too (lwIP's accept gives their peers as AF_INET addresses, Linux's as
 * IPv4-mapped IPv6 ones). Where IPv6 is missing (a host without it), an IPv4 socket;
 * *ipv6 says which. Returns the socket, or -1.
 */
int server_listen(unsigned int port, bool *ipv6);

/*
 * Serve connections on the listening socket until poll fails; returns -1 then.
 * timeout_ms is the idle timeout above; 0: none.
 */
int server_run(int listen_fd, uint64_t timeout_ms);

void server_stats(struct server_stats *out);

#endif
