/*
 * lwIP's network interface over the network frontend. Received frames are copied
 * into pool buffers (the frontend reuses its pages once rx returns) and queued for
 * the tcpip thread, large TCP segments of up to 64 KiB included; transmitted frames
 * are handed to the frontend where they lie, one segment per buffer of the chain, and
 * held (pbuf_ref) until the frontend is done with them. Both callbacks run in the
 * interface's thread and never sleep.
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
#include "net/tx_offload.h"
#include "netif/ethernet.h"

struct netif_netfront {
    struct netif netif;
    struct netfront *nf;
    /* lwIP leaves TCP and UDP checksums to the backend (tx_offload.h): both IP versions. */
    bool tx_csum_offload;
    /* The backend cuts large TCP segments, over IPv4, over IPv6. */
    bool tx_gso_ipv4, tx_gso_ipv6;
    /*
     * TCP segments of one stream held back to go as one large segment: sent when a
     * frame that does not continue them comes, or when lwIP's core lock is released
     * (net_core_unlock), which ends what lwIP sends in one go.
     */
    struct tx_merge merge;
    struct pbuf *held[TX_MERGE_MAX_FRAMES];
    unsigned int held_pieces; /* their payloads' pieces */
};

/*
 * A transmit in flight: the frontend's request, the frames it holds (one, or the TCP
 * segments merged into a large one), the large one's headers, its pieces.
 */
struct netif_netfront_tx {
    struct netfront_tx tx;
    unsigned int nframes;
    struct pbuf **frames; /* after segs */
    u8_t header[TX_MAX_HEADER];
    struct netfront_seg segs[];
};

/* Copy a frame's segments into frame, a pool buffer chain as long as they are less
 * skip bytes at the start. */
static void copy_segments(struct pbuf *frame, const struct netfront_seg *segs, unsigned int nsegs,
                          size_t skip)
{
    u16_t at = 0;

    for (unsigned int i = 0; i < nsegs; i++) {
        size_t skipped = LWIP_MIN(skip, (size_t)segs[i].len);

        skip -= skipped;
        pbuf_take_at(frame, (const u8_t *)segs[i].data + skipped, (u16_t)(segs[i].len - skipped),
                     at);
        at = (u16_t)(at + segs[i].len - skipped);
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

/* The frontend is done with a transmit: lwIP may free or resend its frames now. */
static void transmit_done(struct netfront_tx *tx)
{
    struct netif_netfront_tx *t = tx->arg;
    for (unsigned int i = 0; i < t->nframes; i++)
        pbuf_free(t->frames[i]);
    xfree(t);
}

/* How many non-empty pieces frame's buffers hold from byte skip on. */
static unsigned int pieces_after(const struct pbuf *frame, unsigned int skip)
{
    unsigned int n = 0;
    for (const struct pbuf *q = frame; q != NULL; q = q->next) {
        n += q->len > skip;
        skip = q->len > skip ? 0 : skip - q->len;
    }
    return n;
}

/* Add the pieces of frame from byte skip on to segs; how many. */
static unsigned int add_pieces(struct netfront_seg *segs, struct pbuf *frame, unsigned int skip)
{
    unsigned int n = 0;
    for (struct pbuf *q = frame; q != NULL; q = q->next) {
        if (q->len > skip)
            segs[n++] =
                (struct netfront_seg){.data = (u8_t *)q->payload + skip, .len = q->len - skip};
        skip = q->len > skip ? 0 : skip - q->len;
    }
    return n;
}

/* A transmit with room for nsegs pieces and nframes frames; NULL out of memory. */
static struct netif_netfront_tx *transmit_alloc(unsigned int nsegs, unsigned int nframes)
{
    struct netif_netfront_tx *t =
        xmalloc(sizeof(*t) + nsegs * sizeof(t->segs[0]) + nframes * sizeof(t->frames[0]), 0);
    if (t == NULL)
        return NULL;
    t->frames = (struct pbuf **)&t->segs[nsegs];
    t->nframes = 0;
    t->tx = (struct netfront_tx){.segs = t->segs, .nsegs = nsegs, .done = transmit_done, .arg = t};
    return t;
}

/* A transmit of frame's buffers, each a segment, holding frame; NULL out of memory. */
static struct netif_netfront_tx *transmit_of(struct pbuf *frame, unsigned int flags)
{
    struct netif_netfront_tx *t = transmit_alloc(pieces_after(frame, 0), 1);
    if (t == NULL)
        return NULL;
    add_pieces(t->segs, frame, 0);
    /* lwIP leaves a segment alone while someone else holds its buffer (a resend waits). */
    pbuf_ref(frame);
    t->frames[t->nframes++] = frame;
    t->tx.flags = flags;
    return t;
}

/*
 * The transmit flags for frame: with checksum offload, a TCP or UDP frame's checksum
 * field gets the pseudo-header's sum (lwIP left it 0) and the backend completes it.
 */
static unsigned int prepare_checksum(const struct netif_netfront *nn, struct pbuf *frame)
{
    struct tx_frame f;

    if (!nn->tx_csum_offload || !tx_offload_parse(frame->payload, frame->len, frame->tot_len, &f))
        return 0;
    tx_offload_set_pseudo_sum(frame->payload, &f, f.l4_len);
    return NETFRONT_TX_CSUM_BLANK;
}

/* Send one whole Ethernet frame now. */
static err_t send_frame(struct netif_netfront *nn, struct pbuf *frame)
{
    unsigned int flags = prepare_checksum(nn, frame);
    struct netif_netfront_tx *t = transmit_of(frame, flags);
    if (t == NULL)
        return ERR_MEM;
    int rc = netfront_transmit(nn->nf, &t->tx);
    if (rc == -EINVAL && t->tx.nsegs > 1) {
        /* More pieces than the backend takes: send one copy in a single buffer. */
        struct pbuf *flat = pbuf_clone(PBUF_RAW, PBUF_RAM, frame);
        transmit_done(&t->tx);
        if (flat == NULL)
            return ERR_MEM;
        t = transmit_of(flat, flags);
        pbuf_free(flat); /* t holds it now, or nothing does */
        if (t == NULL)
            return ERR_MEM;
        rc = netfront_transmit(nn->nf, &t->tx);
    }
    if (rc != 0) {
        transmit_done(&t->tx);
        return rc == -ENODEV ? ERR_IF : ERR_VAL;
    }
    return ERR_OK;
}

/* The held segments as one large one, which then holds them; false if it cannot go. */
static bool send_merged(struct netif_netfront *nn)
{
    const struct tx_merge *m = &nn->merge;
    struct netif_netfront_tx *t = transmit_alloc(1 + nn->held_pieces, m->frames);
    if (t == NULL)
        return false;
    tx_merge_header(m, t->header);
    t->segs[0] = (struct netfront_seg){.data = t->header, .len = m->first.hdr_len};
    unsigned int n = 1;
    for (unsigned int i = 0; i < m->frames; i++) {
        n += add_pieces(&t->segs[n], nn->held[i], m->first.hdr_len);
        t->frames[t->nframes++] = nn->held[i];
    }
    t->tx.flags =
        NETFRONT_TX_CSUM_BLANK | (m->first.ipv6 ? NETFRONT_TX_GSO_TCPV6 : NETFRONT_TX_GSO_TCPV4);
    t->tx.gso_size = m->seg_size;
    if (netfront_transmit(nn->nf, &t->tx) != 0) {
        xfree(t); /* the frames are still held */
        return false;
    }
    return true;
}

/* Send what is held: alone when one segment, or when the large one cannot go. */
static void send_held(struct netif_netfront *nn)
{
    unsigned int n = nn->merge.frames;

    if (n > 1 && send_merged(nn)) {
        n = 0; /* the transmit holds them now */
    }
    for (unsigned int i = 0; i < n; i++) {
        send_frame(nn, nn->held[i]); /* an error is a segment lost: TCP sends it again */
        pbuf_free(nn->held[i]);
    }
    tx_merge_reset(&nn->merge);
    nn->held_pieces = 0;
}

static err_t netif_netfront_output(struct netif *netif, struct pbuf *frame);

void netif_netfront_flush(void)
{
    struct netif *netif;

    NETIF_FOREACH(netif)
    {
        if (netif->linkoutput == netif_netfront_output)
            send_held(netif->state);
    }
}

/*
 * lwIP's linkoutput: send a whole Ethernet frame, or hold a TCP segment that may go
 * with the next ones as one large segment. Frames go out in the order they came.
 */
static err_t netif_netfront_output(struct netif *netif, struct pbuf *frame)
{
    struct netif_netfront *nn = netif->state;
    struct tx_frame f;

    if (!(nn->tx_gso_ipv4 || nn->tx_gso_ipv6) ||
        !tx_offload_parse(frame->payload, frame->len, frame->tot_len, &f) ||
        !tx_merge_candidate(&f) || !(f.ipv6 ? nn->tx_gso_ipv6 : nn->tx_gso_ipv4)) {
        send_held(nn);
        return send_frame(nn, frame);
    }
    unsigned int pieces = pieces_after(frame, f.hdr_len);
    if (nn->merge.frames > 0 && (1 + nn->held_pieces + pieces > NETFRONT_TX_MAX_SEGS ||
                                 !tx_merge_add(&nn->merge, frame->payload, &f)))
        send_held(nn);
    if (nn->merge.frames == 0)
        tx_merge_add(&nn->merge, frame->payload, &f);
    /* Held as a transmit holds it: lwIP leaves it alone until it is sent. */
    pbuf_ref(frame);
    nn->held[nn->merge.frames - 1] = frame;
    nn->held_pieces += pieces;
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
    /* TCP and UDP checksums are the backend's to compute where it takes both IP versions'. */
    nn->tx_csum_offload = info->tx_csum_blank && info->tx_csum_blank_ipv6;
    nn->tx_gso_ipv4 = nn->tx_csum_offload && info->tx_gso_tcpv4;
    nn->tx_gso_ipv6 = nn->tx_csum_offload && info->tx_gso_tcpv6;
    if (nn->tx_csum_offload)
        NETIF_SET_CHECKSUM_CTRL(netif, NETIF_CHECKSUM_ENABLE_ALL &
                                           ~(NETIF_CHECKSUM_GEN_TCP | NETIF_CHECKSUM_GEN_UDP));
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
