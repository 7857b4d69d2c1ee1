/*
 * lwIP's network interface over the network frontend. Received frames are copied
 * into pool buffers (the frontend reuses its pages once rx returns) and queued for
 * the tcpip thread, large TCP segments of up to 64 KiB included; transmitted frames are handed to
 * the frontend where they lie, one segment per buffer of the chain, and held (pbuf_ref) until the
 * frontend is done with them. Both callbacks run in the interface's thread and never sleep.
 */
#include "net/netif_netfront.h"

#include "drivers/netfront/netfront.h"
#include "lib/errno.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "lwip/etharp.h"
#include "lwip/ethip6.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/tcpip.h"
#include "mm/heap.h"
#include "net/netif_input.h"
#include "netif/ethernet.h"

struct netif_netfront {
    struct netif netif;
    struct netfront *nf;
};

/* A transmit in flight: the frontend's request, the frame it holds, its pieces. */
struct netif_netfront_tx {
    struct netfront_tx tx;
    struct pbuf *frame;
    struct netfront_seg segs[];
};

/*
 * Copy a frame's segments into frame, a chain of pool buffers as long as they are less
 * skip bytes at the start: one pass over both, one memcpy per piece.
 */
static void copy_segments(struct pbuf *frame, const struct netfront_seg *segs, unsigned int nsegs,
                          size_t skip)
{
    struct pbuf *q = frame;
    u16_t at = 0;

    for (unsigned int i = 0; i < nsegs; i++) {
        const u8_t *from = segs[i].data;
        size_t left = segs[i].len;
        size_t skipped = LWIP_MIN(skip, left);

        from += skipped;
        left -= skipped;
        skip -= skipped;
        while (left > 0) {
            if (at == q->len) {
                q = q->next;
                at = 0;
            }
            u16_t n = (u16_t)LWIP_MIN(left, (size_t)(q->len - at));
            memcpy((u8_t *)q->payload + at, from, n);
            at = (u16_t)(at + n);
            from += n;
            left -= n;
        }
    }
}

/*
 * How much of a frame of len bytes to leave out so that lwIP can take it, and where
 * what is left starts; false to drop it. lwIP's lengths are 16 bits: a large TCP
 * segment (NETFRONT_RX_GSO) of a 64 KiB IP packet is more with its Ethernet header,
 * and goes in as its IP packet alone.
 */
static bool fit_for_lwip(const struct netfront_seg *segs, size_t len, unsigned int flags,
                         size_t *skip, enum netif_input_from *from)
{
    *skip = 0;
    *from = NETIF_INPUT_ETHERNET;
    if (len <= 0xffff)
        return true;
    if (!(flags & NETFRONT_RX_GSO) || segs[0].len < SIZEOF_ETH_HDR || len - SIZEOF_ETH_HDR > 0xffff)
        return false;
    u16_t type = ((const struct eth_hdr *)segs[0].data)->type;
    if (type != PP_HTONS(ETHTYPE_IP) && type != PP_HTONS(ETHTYPE_IPV6))
        return false;
    *skip = SIZEOF_ETH_HDR;
    *from = NETIF_INPUT_IP;
    return true;
}

/*
 * A frame arrived (the interface's thread). A frame whose TCP or UDP checksum the
 * backend validated, or left blank because another domain's stack made the frame on
 * this host, skips lwIP's check of it (net/netif_input.h); any other is checked.
 */
static void netfront_rx(void *arg, const struct netfront_seg *segs, unsigned int nsegs,
                        unsigned int flags)
{
    struct netif_netfront *nn = arg;
    size_t len = 0, skip;
    enum netif_input_from from;

    for (unsigned int i = 0; i < nsegs; i++)
        len += segs[i].len;
    if (len == 0 || !fit_for_lwip(segs, len, flags, &skip, &from))
        return;
    struct pbuf *frame = pbuf_alloc(PBUF_RAW, (u16_t)(len - skip), PBUF_POOL);
    if (frame == NULL)
        return; /* the pool is full: TCP will send it again */
    copy_segments(frame, segs, nsegs, skip);
    bool vouched = flags & (NETFRONT_RX_CSUM_BLANK | NETFRONT_RX_DATA_VALIDATED);
    /* Queued for the tcpip thread without waiting; dropped when its queue is full. */
    if (netif_input_frame(&nn->netif, frame, from, vouched) != ERR_OK)
        pbuf_free(frame);
}

static void link_down(void *arg)
{
    netif_set_link_down(arg);
}

/* The backend is gone: no more frames either way (the interface's thread). */
static void netfront_down(void *arg)
{
    struct netif_netfront *nn = arg;
    printk("net: %s is down\n", netfront_info(nn->nf)->name);
    if (tcpip_try_callback(link_down, &nn->netif) != ERR_OK)
        printk("net: %s: could not mark the link down\n", netfront_info(nn->nf)->name);
}

static const struct netfront_ops netfront_ops = {
    .rx = netfront_rx,
    .down = netfront_down,
};

/* The frontend is done with a frame: lwIP may free or resend it now. */
static void transmit_done(struct netfront_tx *tx)
{
    struct netif_netfront_tx *t = tx->arg;
    pbuf_free(t->frame);
    xfree(t);
}

/* A transmit of frame's buffers, each a segment, holding frame; NULL out of memory. */
static struct netif_netfront_tx *transmit_of(struct pbuf *frame)
{
    unsigned int nsegs = 0;
    for (struct pbuf *q = frame; q != NULL; q = q->next)
        nsegs += q->len > 0;
    struct netif_netfront_tx *t = xmalloc(sizeof(*t) + nsegs * sizeof(t->segs[0]), 0);
    if (t == NULL)
        return NULL;
    nsegs = 0;
    for (struct pbuf *q = frame; q != NULL; q = q->next)
        if (q->len > 0)
            t->segs[nsegs++] = (struct netfront_seg){.data = q->payload, .len = q->len};
    /* lwIP leaves a segment alone while someone else holds its buffer (a resend waits). */
    pbuf_ref(frame);
    t->frame = frame;
    t->tx = (struct netfront_tx){
        .segs = t->segs, .nsegs = nsegs, .flags = 0, .done = transmit_done, .arg = t};
    return t;
}

/* lwIP's linkoutput: send a whole Ethernet frame (checksums already filled in). */
static err_t netif_netfront_output(struct netif *netif, struct pbuf *frame)
{
    struct netif_netfront *nn = netif->state;
    struct netif_netfront_tx *t = transmit_of(frame);
    if (t == NULL)
        return ERR_MEM;
    int rc = netfront_transmit(nn->nf, &t->tx);
    if (rc == -EINVAL && t->tx.nsegs > 1) {
        /* More pieces than the backend takes: send one copy in a single buffer. */
        struct pbuf *flat = pbuf_clone(PBUF_RAW, PBUF_RAM, frame);
        pbuf_free(t->frame);
        xfree(t);
        if (flat == NULL)
            return ERR_MEM;
        t = transmit_of(flat);
        pbuf_free(flat); /* t holds it now, or nothing does */
        if (t == NULL)
            return ERR_MEM;
        rc = netfront_transmit(nn->nf, &t->tx);
    }
    if (rc != 0) {
        pbuf_free(t->frame);
        xfree(t);
        return rc == -ENODEV ? ERR_IF : ERR_VAL;
    }
    return ERR_OK;
}

/* lwIP's init callback for the interface (netif_add). */
static err_t netif_netfront_init(struct netif *netif)
{
    struct netif_netfront *nn = netif->state;
    const struct netfront_info *info = netfront_info(nn->nf);

    netif->name[0] = 'e';
    netif->name[1] = 'n';
    netif->hwaddr_len = ETH_HWADDR_LEN;
    memcpy(netif->hwaddr, info->mac, ETH_HWADDR_LEN);
    netif->mtu = (u16_t)info->link_mtu;
#if LWIP_ND6_ALLOW_RA_UPDATES
    netif->mtu6 = netif->mtu;
#endif
    /* Multicast is not filtered below: every frame for the bridge reaches us. */
    netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET | NETIF_FLAG_MLD6;
    netif->output = etharp_output;
    netif->output_ip6 = ethip6_output;
    netif->linkoutput = netif_netfront_output;
    return ERR_OK;
}

struct netif *netif_netfront_add(struct netfront *nf)
{
    struct netif_netfront *nn = xzalloc(sizeof(*nn), 0);
    if (nn == NULL)
        return NULL;
    nn->nf = nf;
    if (netif_add(&nn->netif, NULL, NULL, NULL, nn, netif_netfront_init, tcpip_input) == NULL) {
        xfree(nn);
        return NULL;
    }
    netfront_bind(nf, &netfront_ops, nn);
    return &nn->netif;
}
