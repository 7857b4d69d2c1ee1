/*
 * lwIP's network interface over the network frontend. Received frames are copied
 * into pool buffers (the frontend reuses its pages once rx returns) and queued for
 * the tcpip thread; transmitted frames are handed to the frontend where they lie,
 * one segment per buffer of the chain, and held (pbuf_ref) until the frontend is
 * done with them. Both callbacks run in the interface's thread and never sleep.
 */
#include "net/netif_netfront.h"

#include "drivers/netfront/netfront.h"
#include "lib/errno.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "lwip/etharp.h"
#include "lwip/ethip6.h"
#include "lwip/inet_chksum.h"
#include "lwip/ip.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/prot/ip4.h"
#include "lwip/prot/ip6.h"
#include "lwip/tcpip.h"
#include "mm/heap.h"
#include "net/tx_offload.h"
#include "netif/ethernet.h"

struct netif_netfront {
    struct netif netif;
    struct netfront *nf;
    /* lwIP leaves TCP and UDP checksums to the backend (tx_offload.h): both IP versions. */
    bool tx_csum_offload;
};

/* A transmit in flight: the frontend's request, the frame it holds, its pieces. */
struct netif_netfront_tx {
    struct netfront_tx tx;
    struct pbuf *frame;
    struct netfront_seg segs[];
};

/* Offset of the checksum field in a TCP or UDP header; 0 for other protocols. */
static u16_t checksum_offset(u8_t proto)
{
    return proto == IP_PROTO_TCP ? 16 : proto == IP_PROTO_UDP ? 6 : 0;
}

/*
 * A frame the backend marked NETFRONT_RX_CSUM_BLANK (another domain on this host
 * sent it with checksum offload, so nobody computed its TCP or UDP checksum) gets
 * its checksum computed here: lwIP then checks it like any other frame's. A frame
 * this cannot parse (IPv6 extension headers, a header split across buffers) is left
 * as it is, and lwIP drops it.
 */
static void fill_blank_checksum(struct pbuf *frame)
{
    const u8_t *bytes = frame->payload;
    u16_t l4, l4_len, field;
    u8_t proto;
    ip_addr_t src, dst;

    if (frame->len < SIZEOF_ETH_HDR)
        return;
    u16_t type = lwip_ntohs(((const struct eth_hdr *)bytes)->type);
    if (type == ETHTYPE_IP && frame->len >= SIZEOF_ETH_HDR + IP_HLEN) {
        const struct ip_hdr *ip4 = (const void *)(bytes + SIZEOF_ETH_HDR);
        u16_t header_len = IPH_HL_BYTES(ip4);
        proto = IPH_PROTO(ip4);
        l4 = SIZEOF_ETH_HDR + header_len;
        l4_len = (u16_t)(lwip_ntohs(IPH_LEN(ip4)) - header_len);
        ip_addr_copy_from_ip4(src, ip4->src);
        ip_addr_copy_from_ip4(dst, ip4->dest);
    } else if (type == ETHTYPE_IPV6 && frame->len >= SIZEOF_ETH_HDR + IP6_HLEN) {
        const struct ip6_hdr *ip6 = (const void *)(bytes + SIZEOF_ETH_HDR);
        proto = IP6H_NEXTH(ip6);
        l4 = SIZEOF_ETH_HDR + IP6_HLEN;
        l4_len = IP6H_PLEN(ip6);
        ip_addr_copy_from_ip6_packed(src, ip6->src);
        ip_addr_copy_from_ip6_packed(dst, ip6->dest);
    } else {
        return;
    }
    field = checksum_offset(proto);
    if (field == 0 || l4 + field + 2 > frame->len || l4 + l4_len > frame->tot_len)
        return;

    u8_t *sum_at = (u8_t *)frame->payload + l4 + field;
    memset(sum_at, 0, 2);
    pbuf_remove_header(frame, l4);
    u16_t sum = ip_chksum_pseudo_partial(frame, proto, l4_len, l4_len, &src, &dst);
    pbuf_add_header(frame, l4);
    if (proto == IP_PROTO_UDP && sum == 0)
        sum = 0xffff; /* UDP's 0 means "no checksum" */
    memcpy(sum_at, &sum, 2);
}

/*
 * A frame arrived (the interface's thread). Frames the backend validated
 * (NETFRONT_RX_DATA_VALIDATED) are checked again by lwIP all the same: lwIP checks
 * per interface, not per frame.
 */
static void netfront_rx(void *arg, const struct netfront_seg *segs, unsigned int nsegs,
                        unsigned int flags)
{
    struct netif_netfront *nn = arg;
    size_t len = 0;

    for (unsigned int i = 0; i < nsegs; i++)
        len += segs[i].len;
    if (len == 0 || len > 0xffff)
        return;
    struct pbuf *frame = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_POOL);
    if (frame == NULL)
        return; /* the pool is full: TCP will send it again */
    u16_t offset = 0;
    for (unsigned int i = 0; i < nsegs; i++) {
        pbuf_take_at(frame, segs[i].data, (u16_t)segs[i].len, offset);
        offset = (u16_t)(offset + segs[i].len);
    }
    if (flags & NETFRONT_RX_CSUM_BLANK)
        fill_blank_checksum(frame);
    /* tcpip_input queues it for the tcpip thread without waiting; it drops on a full queue. */
    if (nn->netif.input(frame, &nn->netif) != ERR_OK)
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
static struct netif_netfront_tx *transmit_of(struct pbuf *frame, unsigned int flags)
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
        .segs = t->segs, .nsegs = nsegs, .flags = flags, .done = transmit_done, .arg = t};
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

/* lwIP's linkoutput: send a whole Ethernet frame. */
static err_t netif_netfront_output(struct netif *netif, struct pbuf *frame)
{
    struct netif_netfront *nn = netif->state;
    unsigned int flags = prepare_checksum(nn, frame);
    struct netif_netfront_tx *t = transmit_of(frame, flags);
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
        t = transmit_of(flat, flags);
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
    /* TCP and UDP checksums are the backend's to compute where it takes both IP versions'. */
    nn->tx_csum_offload = info->tx_csum_blank && info->tx_csum_blank_ipv6;
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
