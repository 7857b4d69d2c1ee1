/*
 * One connection's HTTP: the requests that arrive on it and the responses it sends,
 * independent of how bytes come and go (server.c moves them over sockets; host tests
 * move them by hand). Requests are answered in order, one at a time: while a
 * response is being sent, no more input is taken, and what is left of it waits for
 * the next request.
 *
 *   session_init(&s);
 *   used = session_receive(&s, data, len);    // bytes taken (0 while sending)
 *   len = session_output(&s, &out);           // the next bytes to send, if any
 *   more = session_output_continues(&s, len); // the response goes on past them
 *   session_sent(&s, n);                      // n of them are gone
 *   if (session_finished(&s)) close;
 *
 * How long a client may take is for the caller to watch: session_idle says none of a
 * request has come, session_head_partial that a head has begun and not ended,
 * session_body_left and session_body_taken how far a body is, and session_timed_out
 * answers a request that took too long.
 *
 * The routes: GET or HEAD of / (the status page, HTML), /status.json (the same
 * figures as JSON), /bytes?n=N (N bytes of the pattern below); POST or PUT of
 * /upload (Content-Length bytes, answered with their SHA-256 in hex and a newline).
 */
#ifndef APPS_HTTPD_SESSION_H
#define APPS_HTTPD_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/sha256.h"
#include "apps/httpd/http_request.h"

#define SESSION_OUT_SIZE 4096
/* Largest /bytes?n=N: 1 TiB. */
#define SESSION_BYTES_MAX (1ULL << 40)
/* Largest upload, and largest body of another request (read and dropped). */
#define SESSION_UPLOAD_MAX  (1ULL << 40)
#define SESSION_DISCARD_MAX (1ULL << 20)

/*
 * What /bytes sends: the byte at offset i is SESSION_PATTERN[i % 63], so that dom0
 * can compute what n bytes should be with
 * `yes 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ | head -c n`.
 */
#define SESSION_PATTERN     "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ\n"
#define SESSION_PATTERN_LEN 63

enum session_state {
    SESSION_READING_HEAD,
    SESSION_READING_BODY,
    SESSION_SENDING,
    SESSION_FINISHED, /* everything sent; the connection is to be closed */
};

struct session {
    enum session_state state;
    struct http_parser parser;
    bool keep_alive;    /* after this response */
    uint64_t body_left; /* request body bytes still to read */
    bool upload;        /* hash the body (else drop it) */
    struct sha256 sha;
    char out[SESSION_OUT_SIZE];            /* status line, headers and small bodies */
    size_t out_start, out_end;             /* what of out is still to send */
    uint64_t pattern_offset, pattern_left; /* /bytes body still to send after out */
    uint64_t requests;                     /* answered on this connection */
};

void session_init(struct session *s);
size_t session_receive(struct session *s, const char *data, size_t len);
size_t session_output(struct session *s, const char **data);
/* Whether the response goes on past the len bytes session_output gave: a caller that
 * sends them may let the stack wait to fill its segments (server.c). */
bool session_output_continues(const struct session *s, size_t len);
void session_sent(struct session *s, size_t n);
bool session_finished(const struct session *s);
/* Whether the session takes input now (it does not while a response is being sent). */
bool session_wants_input(const struct session *s);
/* How many bytes of a request's body it still takes (0 unless it reads a body). */
uint64_t session_body_left(const struct session *s);
/* How many bytes of a request's body it has taken (0 unless it reads a body). */
uint64_t session_body_taken(const struct session *s);
/* Whether it waits for a request of which nothing has come yet (a kept connection). */
bool session_idle(const struct session *s);
/* Whether part of a request's head has come, and not the rest. */
bool session_head_partial(const struct session *s);
/* The request (its head or its body) took too long to come whole: answer 408 Request
 * Timeout, then finish. */
void session_timed_out(struct session *s);

#endif
