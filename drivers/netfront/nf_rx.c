/*
 * A vif's receive path (nf_rx.h). A frame arrives in one or more slots, each a part
 * of one of our pages that net_ring.c has checked lies within it, and a large TCP
 * segment also takes an extra-info slot that holds no bytes; the rx callback reads
 * them where they are, so nothing is copied here.
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

/*
 * Whether a frame of len bytes may be handed on: within the MTU, or for a large TCP
 * segment (GSO), within what its data slots can hold.
 */
static bool frame_len_fits(const struct netfront *nf, const struct net_rx_frame *f,
                           unsigned int len)
{
    if (f->gso_type != XEN_NETIF_GSO_TYPE_NONE)
        return len <= NETFRONT_RX_MAX_GSO_BYTES;
    return len <= nf->info.mtu + ETH_HEADER_BYTES;
}

/* One frame from the backend, its slots checked by net_ring.c: hand it on, post it again. */
static void deliver(void *arg, const struct net_rx_frame *f)
{
    struct netfront *nf = arg;
    struct netfront_seg segs[NET_RX_MAX_FRAME_SLOTS];
    unsigned int len = 0, nsegs = 0, rx_flags = 0;

    /* Extra-info slots (and empty ones) hold no bytes: no segment. */
    for (unsigned int i = 0; i < f->n; i++) {
        if (f->slots[i].len == 0)
            continue;
        segs[nsegs].data = (uint8_t *)nf->rx_buffers[f->slots[i].id].page + f->slots[i].offset;
        segs[nsegs].len = f->slots[i].len;
        len += f->slots[i].len;
        nsegs++;
    }
    if (f->flags & NETRXF_csum_blank)
        rx_flags |= NETFRONT_RX_CSUM_BLANK;
    if (f->flags & NETRXF_data_validated)
        rx_flags |= NETFRONT_RX_DATA_VALIDATED;
    if (f->gso_type != XEN_NETIF_GSO_TYPE_NONE)
        rx_flags |= NETFRONT_RX_GSO;
    if (f->status || len == 0 || !frame_len_fits(nf, f, len) || !nf->ops ||
        nf->state != NF_CONNECTED) {
        nf->stats.rx_dropped++;
    } else {
        nf->stats.rx_packets++;
        nf->stats.rx_bytes += len;
        nf->ops->rx(nf->ops_arg, segs, nsegs, rx_flags);
    }
    /* The callback has copied what it keeps: the pages are free for the next frames. */
    for (unsigned int i = 0; i < f->n; i++)
        net_rx_post(&nf->rx, f->slots[i].id, nf->rx_buffers[f->slots[i].id].gref);
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
