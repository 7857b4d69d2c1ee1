/*
 * The network frontend from inside, with no IP stack: what every domain can check (the
 * vifs found, the transmits refused before they reach a ring), and with a vif on the
 * rig's bridge, an ARP request for dom0 (10.0.0.1) sent from the vif's ip= address and
 * dom0's reply received; for the full rig, a vif detached while frames flow and one
 * attached to the running domain. Without a vif (the dom0 tier, most domUs) the tests
 * say so and pass.
 */
#include "kernel/sched.h"
#include "kernel/semaphore.h"
#include "kernel/test.h"
#include "lib/errno.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "xen/time.h"
#include "drivers/netfront/netfront.h"

#define ETH_HEADER_BYTES 14
#define ARP_BYTES        28
#define ETHERTYPE_ARP    0x0806
#define ARP_REQUEST      1
#define ARP_REPLY        2
/* The rig's dom0, on the bridge xenbr0 (tools/rig/init). */
static const uint8_t dom0_ip[4] = {10, 0, 0, 1};

static void never_called(struct netfront_tx *tx)
{
    (void)tx;
    printk("netfront: a refused transmit was ended anyway\n");
}

/* "10.0.0.2" (the start of a vif's ip= setting) into ip; false if it is not one. */
static bool parse_ipv4(const char *s, uint8_t ip[4])
{
    for (unsigned int i = 0; i < 4; i++) {
        unsigned int v = 0, digits = 0;

        while (*s >= '0' && *s <= '9' && digits < 3) {
            v = v * 10 + (unsigned int)(*s++ - '0');
            digits++;
        }
        if (digits == 0 || v > 255 || (i < 3 && *s++ != '.'))
            return false;
        ip[i] = (uint8_t)v;
    }
    return *s == '\0' || *s == ' ';
}

/* The first vif with an ip= setting, its address in ip; NULL after saying why not. */
static struct netfront *vif_with_ip(uint8_t ip[4])
{
    unsigned int n = netfront_wait_ready(TEST_DEADLINE_MS(30000));

    for (unsigned int i = 0; i < n; i++) {
        struct netfront *nf = netfront_get(i);

        if (nf && parse_ipv4(netfront_info(nf)->ip, ip))
            return nf;
    }
    printk("netfront: no vif with an ip= setting in this domain: skipped\n");
    return NULL;
}

KERNEL_TEST(netfront_reports_sane_vifs)
{
    unsigned int n = netfront_wait_ready(TEST_DEADLINE_MS(30000));

    printk("netfront: %u vifs\n", n);
    for (unsigned int i = 0; i < n; i++) {
        const struct netfront_info *info = netfront_info(netfront_get(i));

        TEST_ASSERT(info->name[0] != '\0');
        TEST_ASSERT(netfront_is_usable(netfront_get(i)));
        TEST_ASSERT(info->mtu == (info->sg ? 9000u : 1500u));
        /* A unicast address the toolstack chose, not all zeros. */
        TEST_ASSERT_EQ(info->mac[0] & 1, 0);
        TEST_ASSERT(info->mac[0] | info->mac[1] | info->mac[2] | info->mac[3] | info->mac[4] |
                    info->mac[5]);
    }
    TEST_ASSERT(netfront_get(n) == NULL);
}

KERNEL_TEST(netfront_refuses_what_it_cannot_carry)
{
    static uint8_t frame[10000];
    struct netfront_seg seg = {frame, 60}, none = {NULL, 60};
    struct netfront_tx tx = {.segs = &seg, .nsegs = 1, .done = never_called};
    unsigned int n = netfront_wait_ready(TEST_DEADLINE_MS(30000));
    struct netfront *nf = netfront_get(0);

    TEST_ASSERT_EQ(netfront_transmit(NULL, &tx), -EINVAL);
    if (n == 0) {
        printk("netfront: no vif in this domain: skipped\n");
        return;
    }
    TEST_ASSERT_EQ(netfront_transmit(nf, NULL), -EINVAL);
    tx.nsegs = 0;
    TEST_ASSERT_EQ(netfront_transmit(nf, &tx), -EINVAL);
    tx.nsegs = 1;
    seg.len = netfront_info(nf)->mtu + ETH_HEADER_BYTES + 1;
    TEST_ASSERT_EQ(netfront_transmit(nf, &tx), -EINVAL);
    seg.len = 60;
    tx.segs = &none;
    TEST_ASSERT_EQ(netfront_transmit(nf, &tx), -EINVAL);
    tx.segs = &seg;
    tx.flags = 0x80;
    TEST_ASSERT_EQ(netfront_transmit(nf, &tx), -EINVAL);
    tx.flags = NETFRONT_TX_CSUM_BLANK;
    if (!netfront_info(nf)->tx_csum_blank)
        TEST_ASSERT_EQ(netfront_transmit(nf, &tx), -EINVAL);
}

/* What the rx callback saw of ARP replies to us. */
struct arp_watch {
    uint8_t mac[6], ip[4];
    struct semaphore replied;
    uint8_t dom0_mac[6];
    unsigned int replies, frames, segments;
};

/* Byte at offset `at` of a frame in segments. */
static uint8_t frame_byte(const struct netfront_seg *segs, unsigned int nsegs, unsigned int at)
{
    for (unsigned int i = 0; i < nsegs; i++) {
        if (at < segs[i].len)
            return ((const uint8_t *)segs[i].data)[at];
        at -= segs[i].len;
    }
    return 0;
}

/* The rx callback: count frames, and note an ARP reply from dom0 to our address. */
static void arp_rx(void *arg, const struct netfront_seg *segs, unsigned int nsegs,
                   unsigned int flags)
{
    struct arp_watch *w = arg;
    uint8_t b[ETH_HEADER_BYTES + ARP_BYTES];
    unsigned int len = 0;

    (void)flags;
    w->frames++;
    w->segments += nsegs;
    for (unsigned int i = 0; i < nsegs; i++)
        len += segs[i].len;
    if (len < sizeof(b))
        return;
    for (unsigned int i = 0; i < sizeof(b); i++)
        b[i] = frame_byte(segs, nsegs, i);
    if (memcmp(b, w->mac, 6) != 0 || b[12] != ETHERTYPE_ARP >> 8 || b[13] != (ETHERTYPE_ARP & 0xff))
        return;
    /* htype 1 (Ethernet), ptype IPv4, a reply, from 10.0.0.1, to our MAC and address. */
    if (b[15] != 1 || b[16] != 0x08 || b[17] != 0 || b[21] != ARP_REPLY ||
        memcmp(b + 28, dom0_ip, 4) != 0 || memcmp(b + 32, w->mac, 6) != 0 ||
        memcmp(b + 38, w->ip, 4) != 0)
        return;
    memcpy(w->dom0_mac, b + 22, 6);
    w->replies++;
    semaphore_up(&w->replied);
}

static void arp_down(void *arg)
{
    (void)arg;
}

static const struct netfront_ops arp_ops = {.rx = arp_rx, .down = arp_down};

/* An ARP request for dom0 from (mac, ip): the Ethernet header and the ARP body. */
static void build_arp_request(uint8_t header[ETH_HEADER_BYTES], uint8_t body[ARP_BYTES],
                              const uint8_t mac[6], const uint8_t ip[4])
{
    static const uint8_t arp_fixed[8] = {0, 1, 0x08, 0, 6, 4, 0, ARP_REQUEST};

    memset(header, 0xff, 6); /* broadcast */
    memcpy(header + 6, mac, 6);
    header[12] = ETHERTYPE_ARP >> 8;
    header[13] = ETHERTYPE_ARP & 0xff;
    memcpy(body, arp_fixed, sizeof(arp_fixed));
    memcpy(body + 8, mac, 6);
    memcpy(body + 14, ip, 4);
    memset(body + 18, 0, 6);
    memcpy(body + 24, dom0_ip, 4);
}

static void wake_sender(struct netfront_tx *tx)
{
    semaphore_up(tx->arg);
}

/* Transmit segs and wait for done: its status, or the transmit's refusal. */
static int transmit_and_wait(struct netfront *nf, struct netfront_seg *segs, unsigned int nsegs)
{
    struct semaphore done;
    struct netfront_tx tx = {.segs = segs, .nsegs = nsegs, .done = wake_sender, .arg = &done};
    int rc;

    semaphore_init(&done, 0);
    rc = netfront_transmit(nf, &tx);
    if (rc)
        return rc;
    semaphore_down(&done);
    return tx.status;
}

KERNEL_TEST(netfront_arp_for_dom0_is_answered)
{
    static struct arp_watch w;
    struct netfront_stats before, after;
    uint8_t header[ETH_HEADER_BYTES], body[ARP_BYTES + 18]; /* padded to Ethernet's 60 bytes */
    struct netfront_seg segs[2] = {{header, sizeof(header)}, {body, sizeof(body)}};
    struct netfront *nf = vif_with_ip(w.ip);
    const struct netfront_info *info;
    bool answered = false;

    if (!nf)
        return;
    info = netfront_info(nf);
    memcpy(w.mac, info->mac, 6);
    semaphore_init(&w.replied, 0);
    w.replies = w.frames = w.segments = 0;
    netfront_stats(nf, &before);
    netfront_bind(nf, &arp_ops, &w);
    memset(body, 0, sizeof(body));
    build_arp_request(header, body, w.mac, w.ip);
    /* dom0's bridge may take a moment to forward from a new port: ask a few times. */
    for (unsigned int i = 0; i < 20 && !answered; i++) {
        TEST_ASSERT_EQ(transmit_and_wait(nf, segs, 2), 0);
        answered = semaphore_down_until(&w.replied, TEST_DEADLINE_MS(1000));
    }
    netfront_bind(nf, NULL, NULL);
    TEST_ASSERT(answered);
    netfront_stats(nf, &after);
    TEST_ASSERT(after.tx_packets > before.tx_packets);
    TEST_ASSERT(after.tx_bytes >= before.tx_bytes + sizeof(header) + sizeof(body));
    TEST_ASSERT(after.rx_packets > before.rx_packets);
    TEST_ASSERT(after.rx_bytes >= before.rx_bytes + ETH_HEADER_BYTES + ARP_BYTES);
    TEST_ASSERT_EQ(after.tx_errors, before.tx_errors);
    printk("netfront: %s: dom0 (%02x:%02x:%02x:%02x:%02x:%02x) answered ARP for %u.%u.%u.%u; "
           "%u frames in %u segments received, %llu transmitted, %llu copied\n",
           info->name, w.dom0_mac[0], w.dom0_mac[1], w.dom0_mac[2], w.dom0_mac[3], w.dom0_mac[4],
           w.dom0_mac[5], w.ip[0], w.ip[1], w.ip[2], w.ip[3], w.frames, w.segments,
           (unsigned long long)(after.tx_packets - before.tx_packets),
           (unsigned long long)(after.tx_copied - before.tx_copied));
}
