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

/* The place of ring index i in our record of what was posted where. */
static unsigned int rx_slot_of(RING_IDX i)
{
    return i & (NET_RX_RING_SIZE - 1);
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
    r->slot_id[rx_slot_of(r->front.req_prod_pvt)] = id;
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

/* Check a data response at ring index cons, copied out already. */
static bool rx_data_is_valid(struct net_rx_ring *r, RING_IDX cons, const netif_rx_response_t *rsp)
{
    uint16_t expected = r->slot_id[rx_slot_of(cons)];

    if (rsp->id >= NET_RX_RING_SIZE) {
        net_fault_set(&r->fault, "rx response with id %u, beyond the ring's %u", rsp->id,
                      (unsigned int)NET_RX_RING_SIZE);
        return false;
    }
    if (!r->posted[rsp->id]) {
        net_fault_set(&r->fault, "rx response for id %u, which has no buffer posted", rsp->id);
        return false;
    }
    if (rsp->id != expected) {
        net_fault_set(&r->fault, "rx response for id %u in the ring slot of buffer %u", rsp->id,
                      expected);
        return false;
    }
    if (rsp->flags & NETRXF_gso_prefix) {
        net_fault_set(&r->fault, "rx response with flags %#x: a GSO prefix we never asked for",
                      rsp->flags);
        return false;
    }
    if ((rsp->flags & NETRXF_extra_info) && (r->chain_len > 0 || r->gso_types == 0)) {
        net_fault_set(&r->fault, "rx response with flags %#x: extra info we never asked for%s",
                      rsp->flags, r->chain_len > 0 ? " past a frame's first slot" : "");
        return false;
    }
    if (rsp->offset >= NET_PAGE_BYTES ||
        (rsp->status > 0 &&
         (unsigned int)rsp->offset + (unsigned int)rsp->status > NET_PAGE_BYTES)) {
        net_fault_set(&r->fault, "rx response of %d bytes at offset %u: past its page's end",
                      rsp->status, rsp->offset);
        return false;
    }
    if (r->chain_data == NET_RX_MAX_SLOTS) {
        net_fault_set(&r->fault, "rx frame of more than %u slots (more_data never ends)",
                      NET_RX_MAX_SLOTS);
        return false;
    }
    return true;
}

/* Check an extra-info slot (the response copied out, read as one) and take what it says. */
static bool rx_extra_is_valid(struct net_rx_ring *r, const struct netif_extra_info *extra)
{
    if (extra->type != XEN_NETIF_EXTRA_TYPE_GSO) {
        net_fault_set(&r->fault, "rx extra-info slot of type %u: only GSO was asked for",
                      extra->type);
        return false;
    }
    if (r->chain_extras == NET_RX_MAX_EXTRAS || (extra->flags & XEN_NETIF_EXTRA_FLAG_MORE)) {
        net_fault_set(&r->fault, "rx extra-info slots past the frame's one GSO slot");
        return false;
    }
    if (extra->u.gso.type >= 8 * sizeof(r->gso_types) ||
        !(r->gso_types & (1u << extra->u.gso.type))) {
        net_fault_set(&r->fault, "rx GSO of type %u, which we never asked for", extra->u.gso.type);
        return false;
    }
    if (extra->u.gso.size == 0) {
        net_fault_set(&r->fault, "rx GSO with segments of 0 bytes");
        return false;
    }
    r->frame.gso_type = extra->u.gso.type;
    r->frame.gso_size = extra->u.gso.size;
    return true;
}

/*
 * Take the response at ring index cons into the frame being gathered: true when it was
 * valid (the frame may now be whole), false when it broke the ring.
 */
static bool rx_take_slot(struct net_rx_ring *r, RING_IDX cons)
{
    netif_rx_response_t rsp;
    struct net_rx_slot *slot = &r->chain[r->chain_len];

    RING_COPY_RESPONSE(&r->front, cons, &rsp);
    if (r->extra_due) {
        struct netif_extra_info extra;

        _Static_assert(sizeof(extra) == sizeof(rsp), "an extra-info slot is a response's size");
        memcpy(&extra, &rsp, sizeof(extra));
        if (!rx_extra_is_valid(r, &extra))
            return false;
        r->chain_extras++;
        r->extra_due = false;
        slot->id = r->slot_id[rx_slot_of(cons)];
        slot->offset = 0;
        slot->len = 0;
    } else {
        if (!rx_data_is_valid(r, cons, &rsp))
            return false;
        if (r->chain_len == 0) {
            memset(&r->frame, 0, sizeof(r->frame));
            r->frame.flags = rsp.flags & (NETRXF_csum_blank | NETRXF_data_validated);
            r->extra_due = rsp.flags & NETRXF_extra_info;
        }
        r->more_data = rsp.flags & NETRXF_more_data;
        r->chain_data++;
        slot->id = rsp.id;
        slot->offset = rsp.offset;
        slot->len = rsp.status > 0 ? (uint16_t)rsp.status : 0;
        if (rsp.status < 0 && r->frame.status == 0)
            r->frame.status = -EIO;
    }
    r->chain_len++;
    r->posted[slot->id] = false;
    r->posted_count--;
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
            if (!rx_take_slot(r, cons)) {
                r->front.rsp_cons = cons;
                return frames;
            }
            r->front.rsp_cons = cons + 1;
            /* The first slot's more_data holds across its extra-info slots. */
            if (r->extra_due || r->more_data)
                continue;
            /* Whole: its buffers are the caller's, to post again from within frame. */
            r->frame.slots = r->chain;
            r->frame.n = r->chain_len;
            r->chain_len = 0;
            r->chain_data = 0;
            r->chain_extras = 0;
            frame(arg, &r->frame);
            frames++;
        }
        RING_FINAL_CHECK_FOR_RESPONSES(&r->front, more);
    } while (more);
    return frames;
}
