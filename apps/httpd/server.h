/*
 * The HTTP server's socket loop: one thread polls the listening socket and every
 * connection, and moves bytes between the sockets and their sessions (session.h),
 * never waiting on one connection while others could go on. At most
 * SERVER_MAX_CONNECTIONS are open at once; a connection beyond them is closed as
 * soon as it is accepted.
 */
#ifndef APPS_HTTPD_SERVER_H
#define APPS_HTTPD_SERVER_H

#include <stdint.h>

#define SERVER_MAX_CONNECTIONS 128
#define SERVER_DEFAULT_PORT    80

struct server_stats {
    unsigned int open;
    uint64_t accepted, refused; /* refused: accepted beyond the cap, and closed */
    uint64_t requests;          /* answered, on every connection so far */
};

/* A socket listening on TCP port (any address), or -1 if that fails. */
int server_listen(unsigned int port);

/* Serve connections on listen_fd until poll fails; returns -1 then. */
int server_run(int listen_fd);

void server_stats(struct server_stats *out);

#endif
