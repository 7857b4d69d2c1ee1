/*
 * The frontend's side of a vif's two rings (xen/io/netif.h, xen/io/ring.h): the tx
 * ring, where our frames go out in slots the backend answers one by one, and the rx
 * ring, where we post empty pages and the backend answers with frames written into
 * them. Nothing here calls Xen, the scheduler or the allocator, so the same code runs
 * in host tests that play the backend with crafted rings.
 *
 * Every request carries an id below the ring's size, free until the request is on
 * the ring. The response paths trust nothing the backend wrote: each reads the
 * producer index once and checks it against the ring size and the requests we made,
 * copies each response out of the shared page once, and accepts it only if its id
 * names a request in flight. A tx response's status must be one xen/io/netif.h
 * defines for a data slot, or NETIF_RSP_NULL for an extra-info slot we put on the
 * tx ring (netback writes only the status there: its id is not read). An rx response
 * must sit in the ring slot of its request (xen/io/netif.h requires it of backends:
 * an extra-info slot overlays the id, so only its place says which buffer it used up)
 * and fit its page (offset + size); only a frame's first slot may announce extra
 * info, which must be one GSO slot of a type we asked for with a nonzero segment
 * size; and a frame's chain of more_data slots must end within NET_RX_MAX_SLOTS.
 * Anything else marks the ring broken, with a sentence saying what the backend did;
 * a broken ring takes no more responses and no more requests.
 */
#ifndef DRIVERS_NETFRONT_NET_RING_H
#define DRIVERS_NETFRONT_NET_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/cpu.h"
/* xen/io/ring.h defines its barriers only for interface versions before 0x00030208. */
#define xen_mb()  mb()
#define xen_rmb() rmb()
#define xen_wmb() wmb()
#include <xen/xen.h>
#include <xen/grant_table.h>
#include <xen/io/netif.h>

/* One shared page per ring: 256 slots each. */
#define NET_RING_BYTES 4096
/* An rx buffer is one page: a slot's offset + size must stay within it. */
#define NET_PAGE_BYTES   4096
#define NET_TX_RING_SIZE __CONST_RING_SIZE(netif_tx, NET_RING_BYTES)
#define NET_RX_RING_SIZE __CONST_RING_SIZE(netif_rx, NET_RING_BYTES)
/* The most slots one frame may take, either way (xen/io/netif.h: XEN_NETIF_NR_SLOTS_MIN). */
#define NET_RX_MAX_SLOTS XEN_NETIF_NR_SLOTS_MIN
#define NET_TX_MAX_SLOTS XEN_NETIF_NR_SLOTS_MIN
/*
 * Extra-info slots an rx frame may add: the one GSO slot of a large TCP segment. Such a
 * segment is at most an IP packet (64 KiB) and an Ethernet header, which netback copies
 * into whole pages one after another: 17 data slots, within NET_RX_MAX_SLOTS.
 */
#define NET_RX_MAX_EXTRAS 1
/* Every slot one rx frame may take, its buffers included. */
#define NET_RX_MAX_FRAME_SLOTS (NET_RX_MAX_SLOTS + NET_RX_MAX_EXTRAS)

/* Why a ring is out of use: the first thing the backend did wrong. */
struct net_fault {
    bool broken;
    char reason[112];
};

/* Mark the ring broken for a reason (printf-style); only the first reason is kept. */
void net_fault_set(struct net_fault *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

struct net_tx_ring {
    netif_tx_front_ring_t front;
    struct net_fault fault;
    bool in_flight[NET_TX_RING_SIZE];
    uint16_t next_free[NET_TX_RING_SIZE];
    uint16_t free_head;    /* first free id, or NET_TX_RING_SIZE when none */
    unsigned int free_ids; /* neither in flight nor kept by the caller */
    unsigned int in_flight_count;
    unsigned int extras_unanswered; /* extra-info slots the backend has not answered */
};

/* Initialise the shared tx page at sring (NET_RING_BYTES) and our side of it. */
void net_tx_init(struct net_tx_ring *r, netif_tx_sring_t *sring);
/* How many requests can be put on the ring now (0 once broken). */
unsigned int net_tx_room(const struct net_tx_ring *r);
/*
 * The next request on the ring, its id taken and filled in, for the caller to complete
 * in place (the page is shared: fill it, never read it back). NULL when no room.
 */
netif_tx_request_t *net_tx_start(struct net_tx_ring *r, uint16_t *id);
/*
 * The next ring slot as an extra-info slot (xen/io/netif.h: it follows the request
 * whose flags have NETTXF_extra_info), zeroed for the caller to fill; it takes no
 * id. NULL when no room.
 */
netif_extra_info_t *net_tx_start_extra(struct net_tx_ring *r);
/* Publish the requests started so far; true when the backend must be notified. */
bool net_tx_push(struct net_tx_ring *r);
/*
 * A tx slot was answered (status 0, or -EIO: dropped, an error, or the ring broke
 * with it in flight). Returns true when its id may be reused now; false when the
 * caller keeps it (a grant the backend has not given back) and frees it later with
 * net_tx_free_id.
 */
typedef bool (*net_tx_done_fn)(void *arg, uint16_t id, int status);
/*
 * Take every tx response published, calling done for each valid one. Stops at the
 * first violation, which marks the ring broken. Returns the number handled; asks for
 * an event at the next response before it returns.
 */
unsigned int net_tx_take_responses(struct net_tx_ring *r, net_tx_done_fn done, void *arg);
/* Once broken: end every slot still in flight with -EIO through done. */
void net_tx_fail_in_flight(struct net_tx_ring *r, net_tx_done_fn done, void *arg);
/* Give back an id the caller kept (done returned false). */
void net_tx_free_id(struct net_tx_ring *r, uint16_t id);

/*
 * One slot of a received frame: which buffer (the id it was posted with), and where
 * its bytes are. An extra-info slot used up a buffer too, with no bytes: len 0.
 */
struct net_rx_slot {
    uint16_t id;
    uint16_t offset;
    uint16_t len;
};

/* A whole received frame, as the frame callback sees it. */
struct net_rx_frame {
    const struct net_rx_slot *slots; /* every buffer it took, in ring order */
    unsigned int n;
    unsigned int flags; /* the first slot's NETRXF_csum_blank, NETRXF_data_validated */
    /* 0, or the backend's negative NETIF_RSP_* when it could not deliver the frame (its
     * buffers come back all the same). */
    int status;
    /* A large TCP segment (the GSO extra-info slot): XEN_NETIF_GSO_TYPE_* and the size
     * of the segments it stands for; type XEN_NETIF_GSO_TYPE_NONE for any other frame. */
    uint8_t gso_type;
    uint16_t gso_size;
};

struct net_rx_ring {
    netif_rx_front_ring_t front;
    struct net_fault fault;
    bool posted[NET_RX_RING_SIZE];
    unsigned int posted_count;
    /* The buffer posted at each slot of the ring (index modulo the size). */
    uint16_t slot_id[NET_RX_RING_SIZE];
    /* The GSO types the backend may send (bit 1 << XEN_NETIF_GSO_TYPE_*): those we
     * asked for with feature-gso-tcpv4/6. Set before the backend connects. */
    unsigned int gso_types;
    /* The frame being gathered: its slots so far (copied once), what it is, and how
     * many extra-info slots are still to come. */
    struct net_rx_slot chain[NET_RX_MAX_FRAME_SLOTS];
    unsigned int chain_len;
    unsigned int chain_data;
    unsigned int chain_extras;
    bool extra_due;
    bool more_data;
    struct net_rx_frame frame;
};

/* Initialise the shared rx page at sring (NET_RING_BYTES) and our side of it. */
void net_rx_init(struct net_rx_ring *r, netif_rx_sring_t *sring);
/*
 * Post buffer id (below NET_RX_RING_SIZE, not posted already), granted as gref, at the
 * ring's next request. false when the id is bad, posted or part of a frame not yet
 * delivered, or the ring is full or broken.
 */
bool net_rx_post(struct net_rx_ring *r, uint16_t id, grant_ref_t gref);
/* Publish the buffers posted so far; true when the backend must be notified. */
bool net_rx_push(struct net_rx_ring *r);
/* A whole frame arrived: each of its buffers is now the caller's to read and post again. */
typedef void (*net_rx_frame_fn)(void *arg, const struct net_rx_frame *frame);
/*
 * Take every rx response published, calling frame for each complete frame; a frame
 * whose last slot is not published yet is kept for the next call. Stops at the first
 * violation, which marks the ring broken. Returns the number of frames delivered.
 */
unsigned int net_rx_take_responses(struct net_rx_ring *r, net_rx_frame_fn frame, void *arg);

#endif
