/*
 * The frontend's side of one blkif ring (xen/io/blkif.h, xen/io/ring.h): the ids of
 * the requests in flight, and the response path, which trusts nothing the backend
 * wrote. Nothing here calls Xen, the scheduler or the allocator, so the same code runs
 * in host tests that play the backend with crafted rings.
 *
 * Every request carries an id below the ring's size, taken from a free list when the
 * request is put on the ring and given back when its response has been handled. The
 * response path reads the producer index once and checks it against the ring size,
 * copies each response out of the shared page once, and accepts it only if its id
 * names a request in flight, its operation is that request's and its status is one
 * the ABI defines. Anything else marks the ring broken, with a sentence saying what
 * the backend did; a broken ring takes no more responses and no more requests.
 */
#ifndef DRIVERS_BLKFRONT_BLK_RING_H
#define DRIVERS_BLKFRONT_BLK_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/cpu.h"
/* xen/io/ring.h defines its barriers only for interface versions before 0x00030208. */
#define xen_mb()  mb()
#define xen_rmb() rmb()
#define xen_wmb() wmb()
#include <xen/xen.h>
#include <xen/io/blkif.h>

/* What the ring knows of one id. */
struct blk_slot {
    bool in_flight;
    uint8_t operation; /* the operation its response must carry */
    uint16_t next_free;
};

struct blk_ring {
    blkif_front_ring_t front;
    struct blk_slot *slots; /* RING_SIZE entries, the caller's */
    unsigned int size;      /* RING_SIZE(&front) */
    unsigned int in_flight;
    uint16_t free_head; /* first free id, or size when none */
    bool broken;
    char broken_reason[96];
};

/*
 * Initialise the shared ring of `bytes` bytes (a power-of-two number of pages) at
 * sring, and the front ring over it; slots must hold ring_entries(bytes) entries.
 */
void blk_ring_init(struct blk_ring *r, blkif_sring_t *sring, size_t bytes, struct blk_slot *slots);
/* How many requests a shared ring of that many bytes holds. */
unsigned int blk_ring_entries(size_t bytes);

/* Whether a request can be put on the ring now (not broken, an id and a place free). */
bool blk_ring_has_room(const struct blk_ring *r);

/*
 * The id blk_ring_start_request will take next, so that the caller can prepare that
 * id's own state first; only meaningful while blk_ring_has_room.
 */
uint16_t blk_ring_next_id(const struct blk_ring *r);

/*
 * The next request on the ring, its id taken and filled in, to be completed by the
 * caller in place (the page is shared: fill it, never read it back). `response_op`
 * is the operation its response must carry: the request's own, or for
 * BLKIF_OP_INDIRECT the indirect operation. NULL when !blk_ring_has_room.
 */
blkif_request_t *blk_ring_start_request(struct blk_ring *r, uint8_t response_op, uint16_t *id);

/* Publish the requests started so far; true when the backend must be notified. */
bool blk_ring_push(struct blk_ring *r);

/*
 * What happened to one request: 0, -EIO (BLKIF_RSP_ERROR, or the ring broke with it in
 * flight) or -EOPNOTSUPP's stand-in -ENOTSUP (BLKIF_RSP_EOPNOTSUPP).
 */
typedef void (*blk_ring_done_fn)(void *arg, uint16_t id, int status);

/*
 * Take every response the backend has published, calling done for each valid one
 * (its id is free again once done returns). Stops at the first violation, which marks
 * the ring broken. Returns the number of responses handled. Checks once more for
 * late responses before it returns, and asks for an event at the next one.
 */
unsigned int blk_ring_take_responses(struct blk_ring *r, blk_ring_done_fn done, void *arg);

/* Mark the ring broken for a reason of the caller's (printf-style). */
void blk_ring_break(struct blk_ring *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Once broken: end every request still in flight with -EIO through done, freeing
 * its id. Its grants are the caller's to end (the backend may still map them).
 */
void blk_ring_fail_in_flight(struct blk_ring *r, blk_ring_done_fn done, void *arg);

#endif
