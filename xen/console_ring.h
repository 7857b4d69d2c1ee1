/*
 * The guest's side of a console ring page (xen/io/console.h), without hypercalls:
 * index arithmetic, copying in and out, and the bounded buffer that holds output
 * while the backend is slow or stalled. xen/xencons.c puts it on the real page and
 * supplies the event-channel kick and the yield; host tests and the fuzz target
 * supply their own.
 */
#ifndef XEN_CONSOLE_RING_H
#define XEN_CONSOLE_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/io/console.h>

/* Output held while the backend is stalled; a power of two. */
#define CONSOLE_PENDING_SIZE 16384
/* Room for what a fault report or NMI prints while a write is in progress. */
#define CONSOLE_NESTED_SIZE 2048
/* Yields without any progress by the backend before it counts as stalled. */
#define CONSOLE_STALL_YIELDS 1000

struct console_ring;
struct console_ring_ops {
    void (*notify)(struct console_ring *r); /* tell the backend there is output */
    void (*yield)(struct console_ring *r);  /* give the backend a chance to run */
};

struct console_ring {
    struct xencons_interface *page;
    const struct console_ring_ops *ops;
    /* The backend's indices made no sense once: the page is left alone from then on. */
    bool broken;
    /* The backend took nothing for CONSOLE_STALL_YIELDS yields; cleared when it does. */
    bool stalled;
    /* Our own indices: what the page says of them is never read back. */
    XENCONS_RING_IDX out_prod, in_cons;
    /* out_cons as last seen: a change means the backend is draining. */
    XENCONS_RING_IDX seen_cons;
    /* Output bytes (after "\n" became "\r\n") in pending[tail..head), free-running. */
    char pending[CONSOLE_PENDING_SIZE];
    uint32_t pending_head, pending_tail;
    /* Bytes of messages dropped since the last "bytes dropped" line, and in all. */
    uint64_t dropped, dropped_total;
    /* Set while a write runs: a write that finds it set is nested inside it. */
    bool writing;
    /* Messages from nested writes, reserved atomically, queued when the write ends. */
    char nested[CONSOLE_NESTED_SIZE];
    uint32_t nested_len;
};

void console_ring_init(struct console_ring *r, struct xencons_interface *page,
                       const struct console_ring_ops *ops);

/*
 * Put one message into the ring whole. While the backend is live, wait for it (by
 * yielding) until the message is in the ring; once it has stalled, hold the message
 * in the buffer, or drop it whole and count its bytes when the buffer is full. The
 * caller keeps other writers out (events disabled); a write nested inside another
 * one (a fault or NMI) is held until the outer write ends.
 */
void console_ring_write(struct console_ring *r, const char *text, size_t len);

/*
 * Move pending output into the ring as far as it has room, and notify the backend
 * when any moved. Called when the backend signals that it has drained some.
 */
void console_ring_push(struct console_ring *r);

/* Copy up to size bytes of input out of in[]; 0 when there is none or the ring is broken. */
size_t console_ring_read(struct console_ring *r, char *buf, size_t size);

/* Bytes queued and not yet in the ring. */
static inline uint32_t console_ring_pending(const struct console_ring *r)
{
    return r->pending_head - r->pending_tail;
}

#endif
