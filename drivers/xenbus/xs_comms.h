/*
 * The xenstore transport: the shared ring page (xen/io/xs_wire.h: struct
 * xenstore_domain_interface; Xen's docs/misc/xenstore-ring.txt) and the requests in
 * flight over it. It copies requests onto the request ring, takes messages off the
 * response ring, and gives each reply to the request with the same req_id and each
 * watch event to a callback. The operations (read, write, watches, ...) are in
 * drivers/xenbus/xenstore.c.
 *
 * Nothing here calls Xen or the scheduler: event-channel notification and blocking go
 * through struct xs_comms_ops, so that the same code runs, and is tested and fuzzed,
 * on the host.
 *
 * Each request has a deadline. A reply that has not come by then ends the request with
 * -ETIMEDOUT; if it comes later it is dropped as stray. Once the peer breaks the
 * protocol (impossible indices, an impossible header) the connection is broken for
 * good: every request in flight and every later one gets -ENOTCONN.
 */
#ifndef DRIVERS_XENBUS_XS_COMMS_H
#define DRIVERS_XENBUS_XS_COMMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/list.h"
#include "drivers/xenbus/xs_wire.h"

/* What the transport needs from its surroundings; ctx is passed back to each. */
struct xs_comms_ops {
    /* Tell the peer that an index moved (evtchn_send on the ring's port). */
    void (*notify)(void *ctx);
    /*
     * Block until ready(arg) holds, or until system time reaches deadline_ns if it is
     * not 0; false when the deadline came first. ready is re-checked after every wake.
     */
    bool (*wait)(void *ctx, bool (*ready)(void *arg), void *arg, uint64_t deadline_ns);
    /* Something a waiter may be waiting for changed: a reply, free ring space, a break. */
    void (*wake)(void *ctx);
    /* A watch event arrived; false when no watch has this token (counted as stray). */
    bool (*watch_event)(void *ctx, const char *path, const char *token);
};

struct xs_comms_stats {
    unsigned long requests;     /* requests sent */
    unsigned long replies;      /* replies matched to a request */
    unsigned long watch_events; /* watch events delivered to a watch */
    unsigned long stray;        /* replies or events nobody was waiting for, dropped */
    unsigned long timeouts;     /* requests that gave up at their deadline */
};

struct xs_comms {
    struct xenstore_domain_interface *ring;
    const struct xs_comms_ops *ops;
    void *ctx;
    bool broken;  /* the peer broke the protocol: nothing more is sent or read */
    bool writing; /* a thread is copying onto the request ring (the write lock) */
    uint32_t next_req_id;
    struct list_node pending; /* struct xs_comms_request, sent and not yet answered */
    struct xs_reader reader;
    /* The message being sent: tx_buf[tx_off, tx_len) has not reached the ring yet. It
     * can outlive its request, which may time out half sent; the next writer finishes
     * it first, since the daemon cannot find where a message ends without its tail. */
    size_t tx_off, tx_len;
    char tx_buf[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
    struct xs_comms_stats stats;
};

void xs_comms_init(struct xs_comms *c, struct xenstore_domain_interface *ring,
                   const struct xs_comms_ops *ops, void *ctx);

/*
 * Send one request and wait for its reply until deadline_ns (0: no deadline). On
 * success *reply (if asked for) is the payload with a NUL after it, from xmalloc, and
 * *reply_len its length. Errors: what xs_wire_build and xs_wire_reply_status say,
 * -ENOMEM, -ENOTCONN, and -ETIMEDOUT (the request may or may not have been carried
 * out: its reply is dropped when it comes).
 */
int xs_comms_request(struct xs_comms *c, enum xsd_sockmsg_type type, uint32_t tx_id,
                     const char *const *strings, size_t n_strings, const void *data,
                     size_t data_len, uint64_t deadline_ns, char **reply, uint32_t *reply_len);

/* Take everything the response ring holds now, handing over each message as it completes. */
void xs_comms_drain(struct xs_comms *c);
/* The reader's whole life: wait for replies and drain them, until the connection breaks. */
void xs_comms_run_reader(struct xs_comms *c);

bool xs_comms_broken(const struct xs_comms *c);

/*
 * The ring alone, without the requests. Copy up to len bytes onto the request ring:
 * returns how many went (0 when it is full), or -EBADMSG when req_prod - req_cons
 * says more than XENSTORE_RING_SIZE bytes are waiting, which no daemon can mean.
 */
int xs_ring_write(struct xenstore_domain_interface *ring, const void *data, size_t len);
/* Whether the request ring has room (or impossible indices, which a write reports). */
bool xs_ring_has_room(const struct xenstore_domain_interface *ring);
/* Whether the response ring holds bytes not yet taken. */
bool xs_ring_has_responses(const struct xenstore_domain_interface *ring);

#endif
