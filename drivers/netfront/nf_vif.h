/*
 * One vif's connection to its backend: the xenstore handshake with the features it
 * negotiates (xen/io/netif.h lists them), the two shared rings and their event
 * channels, and the close that ends it. The receive path is in nf_rx.c, the transmit
 * path in nf_tx.c, the interface's thread that runs both in nf_io.c.
 */
#ifndef DRIVERS_NETFRONT_NF_VIF_H
#define DRIVERS_NETFRONT_NF_VIF_H

#include <stdbool.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>

#include "kernel/thread.h"
#include "kernel/wait.h"
#include "lib/list.h"
#include "drivers/netfront/net_ring.h"
#include "drivers/netfront/netfront.h"
#include "drivers/xenbus/xenbus.h"

/* An rx buffer: one page of ours, granted to the backend once and posted again and again. */
struct nf_rx_buffer {
    void *page;
    grant_ref_t gref;
};

/* A tx slot's own state, by id: the frame it carries and the page it lent the backend. */
struct nf_tx_shadow {
    struct netfront_tx *tx;
    void *copy; /* a page of ours holding a copy of the slot's bytes, or NULL: in place */
    grant_ref_t gref;
    bool kept; /* answered, but the backend has not given the grant back yet */
};

enum nf_state {
    NF_CONNECTING,
    NF_CONNECTED,
    NF_DOWN,   /* broken or closing: no rx, transmits fail; down has been called */
    NF_CLOSED, /* the rings are gone */
    NF_FAILED, /* never connected */
};

struct netfront {
    struct list_node link; /* the list of every vif (netfront.c) */
    struct netfront_info info;
    enum nf_state state;
    struct xenbus_device xb;
    bool found_at_boot;    /* netfront_wait_ready waits for it */
    const char *close_why; /* set by netfront_close_all: the vif's thread closes it */
    bool thread_done;      /* the vif's thread has ended: closed or failed */

    /* What the backend offered, for the boot line. */
    bool offered_sg, offered_split, offered_rx_notify, offered_ipv6_csum;

    /* The rings and their event channels (one port for both unless split). */
    netif_tx_sring_t *tx_sring;
    netif_rx_sring_t *rx_sring;
    grant_ref_t tx_ring_ref, rx_ring_ref;
    bool tx_ring_granted, rx_ring_granted;
    evtchn_port_t tx_port, rx_port;
    struct net_tx_ring tx;
    struct net_rx_ring rx;
    struct nf_rx_buffer rx_buffers[NET_RX_RING_SIZE];
    unsigned int rx_buffer_count; /* granted so far: ids [0, rx_buffer_count) */
    struct nf_tx_shadow tx_shadows[NET_TX_RING_SIZE];

    /* The interface's thread (nf_io.c), and who waits for it. */
    struct thread *io_thread;
    struct wait_queue io_wq; /* the thread: an event, or a request to stop */
    bool io_event;           /* set by the event handlers */
    bool stop_io;
    struct wait_queue room_wq;    /* transmitters waiting for room on the ring */
    struct netfront_tx *to_end;   /* transmits whose last slot ended outside the thread */
    unsigned int tx_kept;         /* tx slots whose grant the backend has not given back */
    unsigned long pages_withheld; /* kept for good: the backend kept their grants */

    /* Who receives, and what happened. */
    const struct netfront_ops *ops;
    void *ops_arg;
    bool down_called;
    struct netfront_stats stats;
};

/*
 * Connect device/vif/index: the handshake, the rings, the rx buffers, the features,
 * the interface's thread. 0 with the vif NF_CONNECTED, or an error with everything
 * undone (NF_FAILED).
 */
int nf_vif_connect(struct netfront *nf, unsigned int index);
/*
 * End the connection: the interface goes down (transmits in flight end with -EIO),
 * then the handshake's close and the rings' release (grants the backend keeps are
 * withheld, never freed). why is printed.
 */
void nf_vif_close(struct netfront *nf, const char *why, uint64_t deadline_ns);
/* Print the vif's boot line: name, MAC, ip, features offered and taken. */
void nf_vif_report(const struct netfront *nf);

#endif
