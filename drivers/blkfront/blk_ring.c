/*
 * One blkif ring's ids and its checked response path (blk_ring.h says what is
 * checked and why).
 */
#include <stdarg.h>

#include "lib/errno.h"
#include "lib/string.h"
#include "lib/vsnprintf.h"
#include "drivers/blkfront/blk_ring.h"

unsigned int blk_ring_entries(size_t bytes)
{
    return __CONST_RING_SIZE(blkif, bytes);
}

void blk_ring_init(struct blk_ring *r, blkif_sring_t *sring, size_t bytes, struct blk_slot *slots)
{
    memset(r, 0, sizeof(*r));
    XEN_FRONT_RING_INIT(&r->front, sring, bytes);
    r->slots = slots;
    r->size = RING_SIZE(&r->front);
    for (unsigned int i = 0; i < r->size; i++)
        slots[i] = (struct blk_slot){.in_flight = false, .next_free = (uint16_t)(i + 1)};
    r->free_head = 0;
}

void blk_ring_break(struct blk_ring *r, const char *fmt, ...)
{
    va_list ap;

    if (r->broken)
        return; /* the first violation is the one worth telling */
    va_start(ap, fmt);
    vsnprintf(r->broken_reason, sizeof(r->broken_reason), fmt, ap);
    va_end(ap);
    r->broken = true;
}

bool blk_ring_has_room(const struct blk_ring *r)
{
    return !r->broken && r->free_head < r->size && !RING_FULL(&r->front);
}

uint16_t blk_ring_next_id(const struct blk_ring *r)
{
    return r->free_head;
}

blkif_request_t *blk_ring_start_request(struct blk_ring *r, uint8_t response_op, uint16_t *id)
{
    blkif_request_t *req;
    uint16_t i;

    if (!blk_ring_has_room(r))
        return NULL;
    i = r->free_head;
    r->free_head = r->slots[i].next_free;
    r->slots[i].in_flight = true;
    r->slots[i].operation = response_op;
    r->in_flight++;
    req = RING_GET_REQUEST(&r->front, r->front.req_prod_pvt);
    r->front.req_prod_pvt++;
    req->id = i;
    *id = i;
    return req;
}

bool blk_ring_push(struct blk_ring *r)
{
    bool notify;

    RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&r->front, notify);
    return notify;
}

static void free_id(struct blk_ring *r, uint16_t id)
{
    r->slots[id].in_flight = false;
    r->slots[id].next_free = r->free_head;
    r->free_head = id;
    r->in_flight--;
}

static int status_of(int16_t status)
{
    return status == BLKIF_RSP_OKAY ? 0 : status == BLKIF_RSP_EOPNOTSUPP ? -ENOTSUP : -EIO;
}

/* Check one response, copied out of the ring already; false (and broken) if it is bad. */
static bool response_is_valid(struct blk_ring *r, const blkif_response_t *rsp)
{
    if (rsp->id >= r->size) {
        blk_ring_break(r, "response with id %llu, beyond the ring's %u",
                       (unsigned long long)rsp->id, r->size);
        return false;
    }
    if (!r->slots[rsp->id].in_flight) {
        blk_ring_break(r, "response for id %llu, which has no request in flight (a duplicate?)",
                       (unsigned long long)rsp->id);
        return false;
    }
    if (rsp->operation != r->slots[rsp->id].operation) {
        blk_ring_break(r, "response with operation %u to a request of operation %u", rsp->operation,
                       r->slots[rsp->id].operation);
        return false;
    }
    if (rsp->status != BLKIF_RSP_OKAY && rsp->status != BLKIF_RSP_ERROR &&
        rsp->status != BLKIF_RSP_EOPNOTSUPP) {
        blk_ring_break(r, "response with status %d, which xen/io/blkif.h does not define",
                       rsp->status);
        return false;
    }
    return true;
}

unsigned int blk_ring_take_responses(struct blk_ring *r, blk_ring_done_fn done, void *arg)
{
    unsigned int handled = 0;
    int more;

    do {
        RING_IDX prod, cons;

        if (r->broken)
            return handled;
        prod = READ_ONCE(r->front.sring->rsp_prod);
        if (RING_RESPONSE_PROD_OVERFLOW(&r->front, prod)) {
            blk_ring_break(r, "response producer at %u, %u past our %u: more than the ring's %u",
                           prod, prod - r->front.rsp_cons, r->front.rsp_cons, r->size);
            return handled;
        }
        /*
         * Nor may it publish a response to a request we have not made: every
         * response answers one request in flight.
         */
        if (prod - r->front.rsp_cons > r->front.req_prod_pvt - r->front.rsp_cons) {
            blk_ring_break(r, "response producer at %u, past our last request at %u", prod,
                           r->front.req_prod_pvt);
            return handled;
        }
        rmb(); /* the responses up to prod, not older contents */
        for (cons = r->front.rsp_cons; cons != prod; cons++) {
            blkif_response_t rsp;

            RING_COPY_RESPONSE(&r->front, cons, &rsp);
            if (!response_is_valid(r, &rsp)) {
                r->front.rsp_cons = cons;
                return handled;
            }
            done(arg, (uint16_t)rsp.id, status_of(rsp.status));
            free_id(r, (uint16_t)rsp.id);
            handled++;
        }
        r->front.rsp_cons = cons;
        RING_FINAL_CHECK_FOR_RESPONSES(&r->front, more);
    } while (more);
    return handled;
}

void blk_ring_fail_in_flight(struct blk_ring *r, blk_ring_done_fn done, void *arg)
{
    for (unsigned int id = 0; id < r->size; id++) {
        if (!r->slots[id].in_flight)
            continue;
        done(arg, (uint16_t)id, -EIO);
        free_id(r, (uint16_t)id);
    }
}
