/*
 * A vif's receive path (nf_rx.h). A frame arrives in one or more slots, each a part
 * of one of our pages that net_ring.c has checked lies within it; the rx callback
 * reads them where they are, so nothing is copied here.
 */
#include "arch/page.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/page_alloc.h"
#include "xen/events.h"
#include "xen/gnttab.h"
#include "drivers/netfront/nf_rx.h"
#include "drivers/xenbus/xenbus_grant.h"

/* An Ethernet header: two MAC addresses and the type. */
#define ETH_HEADER_BYTES 14

int nf_rx_setup(struct netfront *nf)
{
    for (unsigned int id = 0; id < NET_RX_RING_SIZE; id++) {
        struct nf_rx_buffer *b = &nf->rx_buffers[id];

        b->page = alloc_page();
        if (!b->page)
            return -ENOMEM;
        /* The backend writes the frames: a writable grant. */
        if (gnttab_grant_access(nf->xb.backend_id, pfn_to_mfn(virt_to_pfn(b->page)), false,
                                &b->gref)) {
            free_page(b->page);
            b->page = NULL;
            return -ENOSPC;
        }
        nf->rx_buffer_count = id + 1;
        net_rx_post(&nf->rx, (uint16_t)id, b->gref);
    }
    net_rx_push(&nf->rx);
    return 0;
}

/* One frame from the backend, its slots checked by net_ring.c: hand it on, post it again. */
static void deliver(void *arg, const struct net_rx_slot *slots, unsigned int n, unsigned int flags,
                    int status)
{
    struct netfront *nf = arg;
    struct netfront_seg segs[NET_RX_MAX_SLOTS];
    unsigned int len = 0, rx_flags = 0;

    for (unsigned int i = 0; i < n; i++) {
        segs[i].data = (uint8_t *)nf->rx_buffers[slots[i].id].page + slots[i].offset;
        segs[i].len = slots[i].len;
        len += slots[i].len;
    }
    if (flags & NETRXF_csum_blank)
        rx_flags |= NETFRONT_RX_CSUM_BLANK;
    if (flags & NETRXF_data_validated)
        rx_flags |= NETFRONT_RX_DATA_VALIDATED;
    if (status || len == 0 || len > nf->info.mtu + ETH_HEADER_BYTES || !nf->ops ||
        nf->state != NF_CONNECTED) {
        nf->stats.rx_dropped++;
    } else {
        nf->stats.rx_packets++;
        nf->stats.rx_bytes += len;
        nf->ops->rx(nf->ops_arg, segs, n, rx_flags);
    }
    /* The callback has copied what it keeps: the pages are free for the next frames. */
    for (unsigned int i = 0; i < n; i++)
        net_rx_post(&nf->rx, slots[i].id, nf->rx_buffers[slots[i].id].gref);
}

void nf_rx_poll(struct netfront *nf)
{
    if (net_rx_take_responses(&nf->rx, deliver, nf) && net_rx_push(&nf->rx))
        evtchn_send(nf->rx_port);
}

void nf_rx_release(struct netfront *nf, uint64_t deadline_ns)
{
    for (unsigned int id = 0; id < nf->rx_buffer_count; id++) {
        struct nf_rx_buffer *b = &nf->rx_buffers[id];

        if (xenbus_end_grant(b->gref, deadline_ns))
            free_page(b->page);
        else
            nf->pages_withheld++; /* the backend's page now, forever */
        b->page = NULL;
    }
    nf->rx_buffer_count = 0;
}
