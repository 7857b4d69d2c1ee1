/*
 * A vif's two rings and their checked response paths (net_ring.h says what is
 * checked and why).
 */
#include <stdarg.h>

#include "lib/errno.h"
#include "lib/string.h"
#include "lib/vsnprintf.h"
#include "drivers/netfront/net_ring.h"

void net_fault_set(struct net_fault *f, const char *fmt, ...)
{
    va_list ap;

    if (f->broken)
        return; /* the first violation is the one worth telling */
    va_start(ap, fmt);
    vsnprintf(f->reason, sizeof(f->reason), fmt, ap);
    va_end(ap);
    f->broken = true;
}

/*
 * Read the response producer once and check it: no further than the ring's size past
 * our consumer, nor past the last request we made. The index, or false (and broken).
 */
static bool checked_producer(struct net_fault *f, RING_IDX prod, RING_IDX cons, RING_IDX req_prod,
                             unsigned int size)
{
    if (prod - cons > size) {
        net_fault_set(f, "response producer at %u, %u past our %u: more than the ring's %u", prod,
                      prod - cons, cons, size);
        return false;
    }
    if (prod - cons > req_prod - cons) {
        net_fault_set(f, "response producer at %u, past our last request at %u", prod, req_prod);
        return false;
    }
    return true;
}

void net_tx_init(struct net_tx_ring *r, netif_tx_sring_t *sring)
{
    memset(r, 0, sizeof(*r));
    SHARED_RING_INIT(sring);
    FRONT_RING_INIT(&r->front, sring, NET_RING_BYTES);
    for (unsigned int i = 0; i < NET_TX_RING_SIZE; i++)
        r->next_free[i] = (uint16_t)(i + 1);
    r->free_ids = NET_TX_RING_SIZE;
}

unsigned int net_tx_room(const struct net_tx_ring *r)
{
    unsigned int places = NET_TX_RING_SIZE - (r->front.req_prod_pvt - r->front.rsp_cons);

    if (r->fault.broken)
        return 0;
    return places < r->free_ids ? places : r->free_ids;
}

netif_tx_request_t *net_tx_start(struct net_tx_ring *r, uint16_t *id)
{
    netif_tx_request_t *req;
    uint16_t i;

    if (net_tx_room(r) == 0)
        return NULL;
    i = r->free_head;
    r->free_head = r->next_free[i];
    r->free_ids--;
    r->in_flight[i] = true;
    r->in_flight_count++;
    req = RING_GET_REQUEST(&r->front, r->front.req_prod_pvt);
    r->front.req_prod_pvt++;
    req->id = i;
    *id = i;
    return req;
}

netif_extra_info_t *net_tx_start_extra(struct net_tx_ring *r)
{
    netif_extra_info_t *extra;

    if (r->fault.broken || r->front.req_prod_pvt - r->front.rsp_cons >= NET_TX_RING_SIZE)
        return NULL;
    extra = (netif_extra_info_t *)RING_GET_REQUEST(&r->front, r->front.req_prod_pvt);
    r->front.req_prod_pvt++;
    memset(extra, 0, sizeof(*extra));
    r->extras_unanswered++;
    return extra;
}

bool net_tx_push(struct net_tx_ring *r)
{
    bool notify;

    RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&r->front, notify);
    return notify;
}

void net_tx_free_id(struct net_tx_ring *r, uint16_t id)
{
    r->next_free[id] = r->free_head;
    r->free_head = id;
    r->free_ids++;
}

/* The slot is answered: done decides whether its id is free now. */
static void end_tx_slot(struct net_tx_ring *r, uint16_t id, int status, net_tx_done_fn done,
                        void *arg)
{
    r->in_flight[id] = false;
    r->in_flight_count--;
    if (done(arg, id, status))
        net_tx_free_id(r, id);
}

static bool tx_response_is_valid(struct net_tx_ring *r, const netif_tx_response_t *rsp)
{
    if (rsp->status == NETIF_RSP_NULL) {
        /* An extra-info slot's answer: netback leaves its id as the slot held it. */
        if (r->extras_unanswered == 0) {
            net_fault_set(&r->fault,
                          "tx response with status %d (no response) but no extra-info "
                          "slot unanswered",
                          rsp->status);
            return false;
        }
        return true;
    }
    if (rsp->id >= NET_TX_RING_SIZE) {
        net_fault_set(&r->fault, "tx response with id %u, beyond the ring's %u", rsp->id,
                      (unsigned int)NET_TX_RING_SIZE);
        return false;
    }
    if (!r->in_flight[rsp->id]) {
        net_fault_set(&r->fault, "tx response for id %u, which has no request in flight", rsp->id);
        return false;
    }
    if (rsp->status != NETIF_RSP_OKAY && rsp->status != NETIF_RSP_ERROR &&
        rsp->status != NETIF_RSP_DROPPED) {
        net_fault_set(&r->fault, "tx response with status %d, not one a data slot may have",
                      rsp->status);
        return false;
    }
    return true;
}

unsigned int net_tx_take_responses(struct net_tx_ring *r, net_tx_done_fn done, void *arg)
{
    unsigned int handled = 0;
    int more;

    do {
        RING_IDX prod, cons;

        if (r->fault.broken)
            return handled;
        prod = READ_ONCE(r->front.sring->rsp_prod);
        if (!checked_producer(&r->fault, prod, r->front.rsp_cons, r->front.req_prod_pvt,
                              NET_TX_RING_SIZE))
            return handled;
        rmb(); /* the responses up to prod, not older contents */
        for (cons = r->front.rsp_cons; cons != prod; cons++) {
            netif_tx_response_t rsp;

            RING_COPY_RESPONSE(&r->front, cons, &rsp);
            if (!tx_response_is_valid(r, &rsp)) {
                r->front.rsp_cons = cons;
                return handled;
            }
            r->front.rsp_cons = cons + 1;
            if (rsp.status == NETIF_RSP_NULL) {
                r->extras_unanswered--;
                continue;
            }
            end_tx_slot(r, rsp.id, rsp.status == NETIF_RSP_OKAY ? 0 : -EIO, done, arg);
            handled++;
        }
        RING_FINAL_CHECK_FOR_RESPONSES(&r->front, more);
    } while (more);
    return handled;
}

void net_tx_fail_in_flight(struct net_tx_ring *r, net_tx_done_fn done, void *arg)
{
    for (unsigned int id = 0; id < NET_TX_RING_SIZE; id++) {
        if (r->in_flight[id])
            end_tx_slot(r, (uint16_t)id, -EIO, done, arg);
    }
}

void net_rx_init(struct net_rx_ring *r, netif_rx_sring_t *sring)
{
    memset(r, 0, sizeof(*r));
    SHARED_RING_INIT(sring);
    FRONT_RING_INIT(&r->front, sring, NET_RING_BYTES);
}

bool net_rx_post(struct net_rx_ring *r, uint16_t id, grant_ref_t gref)
{
    netif_rx_request_t *req;

    if (r->fault.broken || id >= NET_RX_RING_SIZE || r->posted[id] || RING_FULL(&r->front))
        return false;
    /* A buffer of the frame being gathered is not the caller's yet. */
    for (unsigned int i = 0; i < r->chain_len; i++) {
        if (r->chain[i].id == id)
            return false;
    }
    req = RING_GET_REQUEST(&r->front, r->front.req_prod_pvt);
    req->id = id;
    req->gref = gref;
    r->front.req_prod_pvt++;
    r->posted[id] = true;
    r->posted_count++;
    return true;
}

bool net_rx_push(struct net_rx_ring *r)
{
    bool notify;

    RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&r->front, notify);
    return notify;
}

/* Check one rx response, copied out already, and add it to the frame being gathered. */
static bool rx_response_fits(struct net_rx_ring *r, const netif_rx_response_t *rsp)
{
    if (rsp->id >= NET_RX_RING_SIZE) {
        net_fault_set(&r->fault, "rx response with id %u, beyond the ring's %u", rsp->id,
                      (unsigned int)NET_RX_RING_SIZE);
        return false;
    }
    if (!r->posted[rsp->id]) {
        net_fault_set(&r->fault, "rx response for id %u, which has no buffer posted", rsp->id);
        return false;
    }
    if (rsp->flags & (NETRXF_extra_info | NETRXF_gso_prefix)) {
        net_fault_set(&r->fault, "rx response with flags %#x: extra info we never asked for",
                      rsp->flags);
        return false;
    }
    if (rsp->offset >= NET_PAGE_BYTES ||
        (rsp->status > 0 &&
         (unsigned int)rsp->offset + (unsigned int)rsp->status > NET_PAGE_BYTES)) {
        net_fault_set(&r->fault, "rx response of %d bytes at offset %u: past its page's end",
                      rsp->status, rsp->offset);
        return false;
    }
    if (r->chain_len == NET_RX_MAX_SLOTS) {
        net_fault_set(&r->fault, "rx frame of more than %u slots (more_data never ends)",
                      NET_RX_MAX_SLOTS);
        return false;
    }
    return true;
}

unsigned int net_rx_take_responses(struct net_rx_ring *r, net_rx_frame_fn frame, void *arg)
{
    unsigned int frames = 0;
    int more;

    do {
        RING_IDX prod, cons;

        if (r->fault.broken)
            return frames;
        prod = READ_ONCE(r->front.sring->rsp_prod);
        if (!checked_producer(&r->fault, prod, r->front.rsp_cons, r->front.req_prod_pvt,
                              NET_RX_RING_SIZE))
            return frames;
        rmb(); /* the responses up to prod, not older contents */
        for (cons = r->front.rsp_cons; cons != prod; cons++) {
            netif_rx_response_t rsp;
            struct net_rx_slot *slot;
            unsigned int n;

            RING_COPY_RESPONSE(&r->front, cons, &rsp);
            if (!rx_response_fits(r, &rsp)) {
                r->front.rsp_cons = cons;
                return frames;
            }
            r->front.rsp_cons = cons + 1;
            r->posted[rsp.id] = false;
            r->posted_count--;
            if (r->chain_len == 0) {
                r->chain_flags = rsp.flags;
                r->chain_status = 0;
            }
            slot = &r->chain[r->chain_len++];
            slot->id = rsp.id;
            slot->offset = rsp.offset;
            slot->len = rsp.status > 0 ? (uint16_t)rsp.status : 0;
            if (rsp.status < 0 && r->chain_status == 0)
                r->chain_status = rsp.status;
            if (rsp.flags & NETRXF_more_data)
                continue;
            /* Whole: its buffers are the caller's, to post again from within frame. */
            n = r->chain_len;
            r->chain_len = 0;
            frame(arg, r->chain, n, r->chain_flags & ~NETRXF_more_data,
                  r->chain_status < 0 ? -EIO : 0);
            frames++;
        }
        RING_FINAL_CHECK_FOR_RESPONSES(&r->front, more);
    } while (more);
    return frames;
}
