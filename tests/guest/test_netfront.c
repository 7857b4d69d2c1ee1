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

/* Ask dom0 for its MAC from the vif's address (w->mac, w->ip); whether it answered. */
static bool ask_dom0(struct netfront *nf, struct arp_watch *w)
{
    uint8_t header[ETH_HEADER_BYTES], body[ARP_BYTES + 18]; /* padded to Ethernet's 60 bytes */
    struct netfront_seg segs[2] = {{header, sizeof(header)}, {body, sizeof(body)}};
    bool answered = false;

    semaphore_init(&w->replied, 0);
    netfront_bind(nf, &arp_ops, w);
    memset(body, 0, sizeof(body));
    build_arp_request(header, body, w->mac, w->ip);
    /* dom0's bridge may take a moment to forward from a new port: ask a few times. */
    for (unsigned int i = 0; i < 20 && !answered; i++) {
        if (transmit_and_wait(nf, segs, 2) != 0)
            break;
        answered = semaphore_down_until(&w->replied, TEST_DEADLINE_MS(1000));
    }
    netfront_bind(nf, NULL, NULL);
    return answered;
}

KERNEL_TEST(netfront_arp_for_dom0_is_answered)
{
    static struct arp_watch w;
    struct netfront_stats before, after;
    struct netfront *nf = vif_with_ip(w.ip);
    const struct netfront_info *info;

    if (!nf)
        return;
    info = netfront_info(nf);
    memcpy(w.mac, info->mac, 6);
    w.replies = w.frames = w.segments = 0;
    netfront_stats(nf, &before);
    TEST_ASSERT(ask_dom0(nf, &w));
    netfront_stats(nf, &after);
    TEST_ASSERT(after.tx_packets > before.tx_packets);
    TEST_ASSERT(after.tx_bytes >= before.tx_bytes + ETH_HEADER_BYTES + ARP_BYTES + 18);
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

/* Whether a transmit's done ran, and with which status. */
struct done_note {
    bool ended;
    int status;
};

static void note_done(struct netfront_tx *tx)
{
    struct done_note *d = tx->arg;

    d->ended = true;
    d->status = tx->status;
}

#define MANY_PIECES 30
#define ASKS        20

/*
 * An ARP request in 30 pieces of two bytes, more than the 18 slots a backend must take
 * (xen/io/netif.h: XEN_NETIF_NR_SLOTS_MIN): the frame is copied whole, its done runs
 * before netfront_transmit returns, the frame is counted sent once the backend answers
 * for it, and dom0 answers the copy.
 */
KERNEL_TEST(netfront_frame_in_many_pieces_is_copied_whole)
{
    static struct arp_watch w;
    static uint8_t frame[2 * MANY_PIECES]; /* Ethernet's 60 bytes: header, ARP, padding */
    static struct netfront_seg segs[MANY_PIECES];
    static struct done_note notes[ASKS];
    static struct netfront_tx txs[ASKS];
    struct netfront_stats before, after;
    struct netfront *nf = vif_with_ip(w.ip);
    unsigned int sent = 0, ended_at_once = 0;
    bool answered = false;
    uint64_t deadline;

    if (!nf)
        return;
    memcpy(w.mac, netfront_info(nf)->mac, 6);
    memset(frame, 0, sizeof(frame));
    build_arp_request(frame, frame + ETH_HEADER_BYTES, w.mac, w.ip);
    for (unsigned int i = 0; i < MANY_PIECES; i++)
        segs[i] = (struct netfront_seg){.data = frame + 2 * i, .len = 2};
    semaphore_init(&w.replied, 0);
    netfront_stats(nf, &before);
    netfront_bind(nf, &arp_ops, &w);
    /* dom0's bridge may take a moment to forward from a new port: ask a few times. Each
     * transmit and its note outlive the test, should a done come late. */
    for (unsigned int i = 0; i < ASKS && !answered; i++) {
        notes[i] = (struct done_note){.ended = false, .status = -1};
        txs[i] = (struct netfront_tx){
            .segs = segs, .nsegs = MANY_PIECES, .done = note_done, .arg = &notes[i]};
        if (netfront_transmit(nf, &txs[i]) != 0)
            break;
        sent++;
        ended_at_once += notes[i].ended && notes[i].status == 0;
        answered = semaphore_down_until(&w.replied, TEST_DEADLINE_MS(1000));
    }
    netfront_bind(nf, NULL, NULL);
    /* The backend's answers may come after dom0's reply: wait for them to be counted. */
    deadline = TEST_DEADLINE_MS(10000);
    for (;;) {
        netfront_stats(nf, &after);
        if (after.tx_packets - before.tx_packets >= sent || xen_system_time_ns() >= deadline)
            break;
        thread_sleep_ns(NSEC_PER_MSEC);
    }
    TEST_ASSERT(answered);
    TEST_ASSERT_EQ(ended_at_once, sent);
    TEST_ASSERT_EQ(after.tx_copied - before.tx_copied, (uint64_t)sent * MANY_PIECES);
    TEST_ASSERT(after.tx_packets - before.tx_packets >= sent);
    TEST_ASSERT_EQ(after.tx_errors, before.tx_errors);
    printk("netfront: %s: an ARP request in %u pieces was copied whole and ended at once; dom0 "
           "answered it\n",
           netfront_info(nf)->name, MANY_PIECES);
}

/*
 * More ARP exchanges than the rx ring has pages: each reply lands in a page posted
 * again after an earlier frame, so the ring runs dry if a page is not.
 */
KERNEL_TEST_FLAGS(netfront_rx_pages_are_posted_again, TEST_ON_REQUEST)
{
    static struct arp_watch w;
    uint8_t header[ETH_HEADER_BYTES], body[ARP_BYTES + 18];
    struct netfront_seg segs[2] = {{header, sizeof(header)}, {body, sizeof(body)}};
    struct netfront *nf = vif_with_ip(w.ip);
    struct netfront_stats before, after;
    unsigned int answered = 0;

    if (!nf)
        return;
    memcpy(w.mac, netfront_info(nf)->mac, 6);
    semaphore_init(&w.replied, 0);
    w.replies = 0;
    memset(body, 0, sizeof(body));
    build_arp_request(header, body, w.mac, w.ip);
    netfront_stats(nf, &before);
    netfront_bind(nf, &arp_ops, &w);
    for (unsigned int i = 0; i < 300; i++) {
        if (transmit_and_wait(nf, segs, 2) != 0 ||
            !semaphore_down_until(&w.replied, TEST_DEADLINE_MS(2000)))
            break;
        answered++;
    }
    netfront_bind(nf, NULL, NULL);
    netfront_stats(nf, &after);
    TEST_ASSERT_EQ(answered, 300);
    TEST_ASSERT(after.rx_packets - before.rx_packets >= 300);
    printk("netfront: %s: 300 ARP exchanges with dom0 through a ring of 256 rx pages\n",
           netfront_info(nf)->name);
}

#define ETHERTYPE_IPV4  0x0800
#define IPV4_HEADER     20
#define ICMP_HEADER     8
#define ICMP_ECHO       8
#define ICMP_ECHO_REPLY 0
#define PING_ID         0x4e46
/* An IP packet of 8000 bytes: its frame spans three pages. */
#define PING_IP_BYTES    8000
#define PING_FRAME_BYTES (ETH_HEADER_BYTES + PING_IP_BYTES)

/* The Internet checksum (RFC 1071) of len bytes, big-endian 16-bit words. */
static uint16_t inet_checksum(const uint8_t *p, unsigned int len)
{
    uint32_t sum = 0;

    for (unsigned int i = 0; i + 1 < len; i += 2)
        sum += (uint32_t)p[i] << 8 | p[i + 1];
    if (len & 1)
        sum += (uint32_t)p[len - 1] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

/* What the rx callback saw of echo replies. */
struct ping_watch {
    const uint8_t *request; /* the frame sent, to compare the payload with */
    uint8_t ip[4];
    struct semaphore replied;
    unsigned int segments, replies;
    unsigned int rx_flags;
};

/* The rx callback: note an echo reply from dom0 carrying our payload whole. */
static void ping_rx(void *arg, const struct netfront_seg *segs, unsigned int nsegs,
                    unsigned int flags)
{
    struct ping_watch *w = arg;
    const uint8_t *req = w->request;
    unsigned int len = 0, at = ETH_HEADER_BYTES + IPV4_HEADER + ICMP_HEADER;
    uint8_t b[ETH_HEADER_BYTES + IPV4_HEADER + ICMP_HEADER];

    for (unsigned int i = 0; i < nsegs; i++)
        len += segs[i].len;
    if (len != PING_FRAME_BYTES)
        return;
    for (unsigned int i = 0; i < sizeof(b); i++)
        b[i] = frame_byte(segs, nsegs, i);
    if (b[12] != ETHERTYPE_IPV4 >> 8 || b[13] != 0 || b[23] != 1 || memcmp(b + 26, dom0_ip, 4) ||
        memcmp(b + 30, w->ip, 4) || b[34] != ICMP_ECHO_REPLY || b[38] != PING_ID >> 8 ||
        b[39] != (PING_ID & 0xff))
        return;
    for (unsigned int s = 0, off = 0; s < nsegs; off += segs[s].len, s++) {
        const uint8_t *d = segs[s].data;

        for (; at < off + segs[s].len; at++) {
            if (d[at - off] != req[at])
                return;
        }
    }
    w->segments = nsegs;
    w->rx_flags = flags;
    w->replies++;
    semaphore_up(&w->replied);
}

static const struct netfront_ops ping_ops = {.rx = ping_rx, .down = arp_down};

/* An ICMP echo request from (mac, ip) to dom0 (dom0_mac) in frame. */
static void build_ping(uint8_t *frame, const uint8_t mac[6], const uint8_t ip[4],
                       const uint8_t dom0_mac[6])
{
    uint8_t *iph = frame + ETH_HEADER_BYTES, *icmp = iph + IPV4_HEADER;

    memcpy(frame, dom0_mac, 6);
    memcpy(frame + 6, mac, 6);
    put16(frame + 12, ETHERTYPE_IPV4);
    memset(iph, 0, IPV4_HEADER);
    iph[0] = 0x45;                 /* version 4, 5 words of header */
    put16(iph + 2, PING_IP_BYTES); /* total length */
    put16(iph + 6, 0x4000);        /* don't fragment */
    iph[8] = 64;                   /* time to live */
    iph[9] = 1;                    /* ICMP */
    memcpy(iph + 12, ip, 4);
    memcpy(iph + 16, dom0_ip, 4);
    put16(iph + 10, inet_checksum(iph, IPV4_HEADER));
    memset(icmp, 0, ICMP_HEADER);
    icmp[0] = ICMP_ECHO;
    put16(icmp + 4, PING_ID);
    put16(icmp + 6, 1);
    for (unsigned int i = ICMP_HEADER; i < PING_IP_BYTES - IPV4_HEADER; i++)
        icmp[i] = (uint8_t)(i * 7 + 3);
    put16(icmp + 2, inet_checksum(icmp, PING_IP_BYTES - IPV4_HEADER));
}

/*
 * For the full rig, once dom0 has raised the MTU of the bridge and the vif to 9000: an
 * 8000-byte ping to dom0, granted in place over three pages, and the reply, received in
 * several slots, carrying the same payload.
 */
KERNEL_TEST_FLAGS(netfront_jumbo_ping_to_dom0, TEST_ON_REQUEST | TEST_DOMU_ONLY)
{
    /* Starting near a page's end, so that the frame spans three pages. */
    static uint8_t buffer[4 * 4096] __attribute__((aligned(4096)));
    static struct arp_watch arp;
    static struct ping_watch w;
    uint8_t *frame = buffer + 4096 - 100;
    struct netfront_seg segs[2] = {{frame, ETH_HEADER_BYTES},
                                   {frame + ETH_HEADER_BYTES, PING_IP_BYTES}};
    struct netfront *nf = vif_with_ip(arp.ip);
    struct netfront_stats before, after;
    bool answered = false;

    if (!nf)
        return;
    if (!netfront_info(nf)->sg) {
        printk("netfront: %s: no sg, no jumbo frames: skipped\n", netfront_info(nf)->name);
        return;
    }
    memcpy(arp.mac, netfront_info(nf)->mac, 6);
    TEST_ASSERT(ask_dom0(nf, &arp));
    build_ping(frame, arp.mac, arp.ip, arp.dom0_mac);
    w.request = frame;
    memcpy(w.ip, arp.ip, 4);
    semaphore_init(&w.replied, 0);
    netfront_stats(nf, &before);
    netfront_bind(nf, &ping_ops, &w);
    printk("netfront: %s: pinging dom0 with %u bytes, raise its MTU now\n", netfront_info(nf)->name,
           PING_IP_BYTES);
    for (unsigned int i = 0; i < 60 && !answered; i++) {
        if (transmit_and_wait(nf, segs, 2) != 0)
            break;
        answered = semaphore_down_until(&w.replied, TEST_DEADLINE_MS(1000));
    }
    netfront_bind(nf, NULL, NULL);
    netfront_stats(nf, &after);
    TEST_ASSERT(answered);
    TEST_ASSERT(w.segments >= 2);
    TEST_ASSERT_EQ(after.tx_copied, before.tx_copied);
    printk("netfront: %s: an %u-byte frame went to dom0 from three pages in place, and its "
           "echo came back in %u slots (rx flags %#x)\n",
           netfront_info(nf)->name, PING_FRAME_BYTES, w.segments, w.rx_flags);
}

/* What a vif attached to the running domain brought. */
static struct netfront *attached;
static struct semaphore attached_sem;

static void note_attached(struct netfront *nf, void *arg)
{
    (void)arg;
    attached = nf;
    semaphore_up(&attached_sem);
}

/*
 * For the full rig: dom0 runs `xl network-attach` once the line below is printed; the
 * new vif must be found through the watch on device/vif, connected, reported and
 * passed to the on_connect callback.
 */
KERNEL_TEST_FLAGS(netfront_finds_an_attached_vif, TEST_ON_REQUEST | TEST_DOMU_ONLY)
{
    unsigned int before = netfront_wait_ready(TEST_DEADLINE_MS(60000));
    const struct netfront_info *info;

    semaphore_init(&attached_sem, 0);
    attached = NULL;
    netfront_on_connect(note_attached, NULL);
    printk("netfront: %u vifs, waiting for a vif to be attached\n", before);
    /* The attach runs dom0's hotplug scripts, slow on a loaded host. */
    semaphore_down_until(&attached_sem, TEST_DEADLINE_MS(120000));
    netfront_on_connect(NULL, NULL);
    TEST_ASSERT(attached != NULL);
    TEST_ASSERT(netfront_is_usable(attached));
    TEST_ASSERT_EQ(netfront_count(), before + 1);
    info = netfront_info(attached);
    printk("netfront: %s attached: %02x:%02x:%02x:%02x:%02x:%02x\n", info->name, info->mac[0],
           info->mac[1], info->mac[2], info->mac[3], info->mac[4], info->mac[5]);
}

#define DETACH_FRAMES 8

/* Frames kept in flight while the vif is detached, and what became of them. */
struct detach_watch {
    struct netfront_tx tx[DETACH_FRAMES];
    bool in_flight[DETACH_FRAMES];
    unsigned int sent, ok, failed, downs;
    struct semaphore ended;
};

static void detach_done(struct netfront_tx *tx)
{
    struct detach_watch *w = tx->arg;

    w->in_flight[tx - w->tx] = false;
    if (tx->status == 0)
        w->ok++;
    else
        w->failed++;
    semaphore_up(&w->ended);
}

static void detach_rx(void *arg, const struct netfront_seg *segs, unsigned int nsegs,
                      unsigned int flags)
{
    (void)arg;
    (void)segs;
    (void)nsegs;
    (void)flags;
}

static void detach_down(void *arg)
{
    struct detach_watch *w = arg;

    w->downs++;
    semaphore_up(&w->ended);
}

static const struct netfront_ops detach_ops = {.rx = detach_rx, .down = detach_down};

static unsigned int frames_in_flight(const struct detach_watch *w)
{
    unsigned int n = 0;

    for (unsigned int i = 0; i < DETACH_FRAMES; i++)
        n += w->in_flight[i];
    return n;
}

/*
 * For the full rig: dom0 runs `xl network-detach` on vif 0 once the line below is
 * printed, while frames are in flight: down must be called once, the frames end, and
 * a transmit after that fails with -ENODEV.
 */
KERNEL_TEST_FLAGS(netfront_goes_down_when_detached, TEST_ON_REQUEST | TEST_DOMU_ONLY)
{
    static struct detach_watch w;
    static uint8_t header[ETH_HEADER_BYTES], body[ARP_BYTES + 18];
    struct netfront_seg segs[2] = {{header, sizeof(header)}, {body, sizeof(body)}};
    uint64_t deadline = TEST_DEADLINE_MS(120000);
    struct netfront_tx late = {.segs = segs, .nsegs = 2, .done = detach_done, .arg = &w};
    uint8_t ip[4] = {10, 0, 0, 2};
    struct netfront *nf;
    int rc = 0;

    netfront_wait_ready(TEST_DEADLINE_MS(60000));
    nf = netfront_get(0);
    if (!nf) {
        printk("netfront: no vif in this domain: skipped\n");
        return;
    }
    memset(&w, 0, sizeof(w));
    semaphore_init(&w.ended, 0);
    build_arp_request(header, body, netfront_info(nf)->mac, ip);
    netfront_bind(nf, &detach_ops, &w);
    printk("netfront: %s: sending, detach it now\n", netfront_info(nf)->name);
    while (rc == 0 && w.downs == 0 && xen_system_time_ns() < deadline) {
        for (unsigned int i = 0; rc == 0 && i < DETACH_FRAMES; i++) {
            if (w.in_flight[i])
                continue;
            w.tx[i] =
                (struct netfront_tx){.segs = segs, .nsegs = 2, .done = detach_done, .arg = &w};
            w.in_flight[i] = true;
            rc = netfront_transmit(nf, &w.tx[i]);
            if (rc)
                w.in_flight[i] = false;
            else
                w.sent++;
        }
        semaphore_down_until(&w.ended, TEST_DEADLINE_MS(1000));
    }
    /* Every frame accepted ends, down or not. */
    while (frames_in_flight(&w) && xen_system_time_ns() < deadline)
        semaphore_down_until(&w.ended, TEST_DEADLINE_MS(1000));
    while (w.downs == 0 && xen_system_time_ns() < deadline)
        semaphore_down_until(&w.ended, TEST_DEADLINE_MS(1000));
    TEST_ASSERT(rc == 0 || rc == -ENODEV);
    TEST_ASSERT_EQ(frames_in_flight(&w), 0);
    TEST_ASSERT_EQ(w.downs, 1);
    TEST_ASSERT(!netfront_is_usable(nf));
    TEST_ASSERT_EQ(netfront_transmit(nf, &late), -ENODEV);
    TEST_ASSERT_EQ(w.ok + w.failed, w.sent);
    printk("netfront: %s went down after %u frames sent (%u ended with an error); a transmit "
           "now gets ENODEV\n",
           netfront_info(nf)->name, w.sent, w.failed);
}
