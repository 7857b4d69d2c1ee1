/*
 * Network interfaces: the PV network frontend's interface for a TCP/IP stack (net/)
 * or an application that speaks Ethernet itself. Each vif in the domain's config
 * (`vif = [...]`) is found under device/vif/, connected to its backend and reported at
 * boot while app_main already runs; a user of interfaces waits for them and binds
 * to each:
 *
 *   netfront_wait_ready(0);
 *   for (unsigned int i = 0; i < netfront_count(); i++)
 *       netfront_bind(netfront_get(i), &my_ops, my_state);
 *   netfront_on_connect(my_new_interface, NULL);   // vifs attached later
 *
 * Frames are whole Ethernet frames (destination MAC first, no FCS), in one or more
 * segments. Received frames live in pages the driver granted to the backend once
 * and reuses: the rx callback copies what it keeps before it returns. A received
 * frame is at most mtu + 14 bytes, or NETFRONT_RX_MAX_GSO_BYTES when it is a large
 * TCP segment (NETFRONT_RX_GSO), whose IP header says how long it is and whose TCP
 * checksum is left to the flags. Transmitted
 * segments are granted to the backend where they lie (read-only, no copy) when they
 * sit in memory the kernel owns; the caller keeps them untouched until done runs.
 *
 * Callbacks (rx, down, a transmit's done, on_connect's) run in the interface's own
 * thread, never in an event upcall: they must not sleep (no xenstore call, no
 * netfront_transmit, no semaphore_down); they may wake threads and post to queues.
 *
 * When the backend breaks the protocol or goes away (xl network-detach, the backend
 * domain dies), transmits in flight end with -EIO, later ones fail with -ENODEV, down
 * is called once, and the rest of the kernel runs on. A vif attached later
 * (xl network-attach) is added, reported, and passed to the on_connect callback.
 */
#ifndef DRIVERS_NETFRONT_NETFRONT_H
#define DRIVERS_NETFRONT_NETFRONT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct netfront;

/* What an interface is and what its backend does, fixed once it has connected. */
struct netfront_info {
    char name[16];       /* "vif0": vif and the N of device/vif/N */
    unsigned int handle; /* that N */
    uint8_t mac[6];      /* from device/vif/N/mac, as the toolstack chose it */
    unsigned int mtu;    /* largest IP packet: 1500, more with feature-sg (MTU 9000) */
    /* The link's MTU as the toolstack set it (device/vif/N/mtu, which its hotplug
     * script writes from the vif's mtu= or the bridge's), 1500 if it says none;
     * never above mtu. What a TCP/IP stack should use. */
    unsigned int link_mtu;
    bool sg;                 /* frames may span several pages (feature-sg) */
    bool rx_csum_blank;      /* rx frames may carry blank checksums (offload left on) */
    bool rx_gso;             /* rx frames may be large TCP segments (NETFRONT_RX_GSO) */
    bool tx_csum_blank;      /* transmits may leave TCP/UDP checksums blank */
    bool tx_csum_blank_ipv6; /* ... over IPv6 too (feature-ipv6-csum-offload) */
    bool tx_gso_tcpv4;       /* transmits may be large TCP/IPv4 segments (feature-gso-tcpv4) */
    bool tx_gso_tcpv6;       /* ... TCP/IPv6 ones (feature-gso-tcpv6) */
    bool split_events;       /* separate event channels for rx and tx */
    char ip[64];             /* the vif's ip= setting as the toolstack wrote it, "" if none */
};

/* One piece of a frame. */
struct netfront_seg {
    void *data;
    unsigned int len;
};

/* Flags of a received frame (from NETRXF_*, xen/io/netif.h). */
#define NETFRONT_RX_CSUM_BLANK     0x1 /* its TCP/UDP checksum was never filled in */
#define NETFRONT_RX_DATA_VALIDATED 0x2 /* the backend checked its checksum */
/* A TCP segment larger than the MTU, up to NETFRONT_RX_MAX_GSO_BYTES (info.rx_gso):
 * another domain's stack made it and nothing cut it into frames (netback's GSO). */
#define NETFRONT_RX_GSO 0x4
/* The longest frame NETFRONT_RX_GSO allows: a 64 KiB IPv6 payload with its IPv6 and
 * Ethernet headers and a VLAN tag (an IPv4 packet is at most 64 KiB all told). */
#define NETFRONT_RX_MAX_GSO_BYTES (14 + 4 + 40 + 0xffff)

/* Flags of a transmit (to NETTXF_*). Only where info.tx_csum_blank. */
#define NETFRONT_TX_CSUM_BLANK 0x1 /* the TCP/UDP checksum holds only the pseudo-header's */
/*
 * A large TCP segment the backend cuts into segments of gso_size payload bytes (only
 * with NETFRONT_TX_CSUM_BLANK, where info.tx_gso_tcpv4 or tx_gso_tcpv6): one
 * Ethernet, IP and TCP header, then the payload, up to NETFRONT_GSO_MAX_FRAME in all.
 */
#define NETFRONT_TX_GSO_TCPV4 0x2
#define NETFRONT_TX_GSO_TCPV6 0x4
/* The largest frame with NETFRONT_TX_GSO_*: a frame's size on the ring is 16 bits. */
#define NETFRONT_GSO_MAX_FRAME 65535
/* The most segments a transmit may have; past what the backend takes, it is copied. */
#define NETFRONT_TX_MAX_SEGS 64

struct netfront_ops {
    /* A frame arrived: segs[0..nsegs) hold it, valid until rx returns. */
    void (*rx)(void *arg, const struct netfront_seg *segs, unsigned int nsegs, unsigned int flags);
    /* The interface is gone or broken: no rx after this, transmits fail. Once. */
    void (*down)(void *arg);
};

/*
 * A transmit, owned by the caller until done runs: fill segs, nsegs, flags, done (and
 * arg), then netfront_transmit. status is 0, or -EIO (the backend dropped it, broke,
 * or went away). A frame in more pieces than the backend takes is copied whole, and
 * its done runs once it is copied, before netfront_transmit returns, with status 0:
 * should the backend drop it later, only the tx_errors counter says so.
 */
struct netfront_tx {
    const struct netfront_seg *segs;
    unsigned int nsegs;
    unsigned int flags;
    unsigned int gso_size; /* with NETFRONT_TX_GSO_*: each segment's TCP payload */
    void (*done)(struct netfront_tx *tx);
    void *arg;
    int status;
    /* The driver's: */
    struct netfront_tx *next_done;
    unsigned int holds;
};

/* Counters since the interface connected. */
struct netfront_stats {
    uint64_t rx_packets, rx_bytes, rx_dropped; /* dropped: not bound, or too large */
    uint64_t tx_packets, tx_bytes, tx_errors;
    uint64_t tx_copied; /* segments copied because they could not be granted in place */
};

/*
 * Wait until the vifs present at boot are connected or have failed, or until system
 * time reaches deadline_ns (0: no limit); returns how many interfaces are usable.
 */
unsigned int netfront_wait_ready(uint64_t deadline_ns);
/* Usable interfaces now, and the index-th of them (in the order found), or NULL. */
unsigned int netfront_count(void);
struct netfront *netfront_get(unsigned int index);
const struct netfront_info *netfront_info(const struct netfront *nf);
bool netfront_is_usable(const struct netfront *nf);
void netfront_stats(const struct netfront *nf, struct netfront_stats *out);

/* Send received frames and the end of the interface to ops (frames before: dropped). */
void netfront_bind(struct netfront *nf, const struct netfront_ops *ops, void *arg);
/* Call fn for each interface that connects from now on (xl network-attach). */
void netfront_on_connect(void (*fn)(struct netfront *nf, void *arg), void *arg);

/*
 * Queue tx on nf; sleeps while the ring is full. 0: done will be called exactly once,
 * from the interface's thread. Otherwise done is never called: -EINVAL (no segment,
 * more than NETFRONT_TX_MAX_SEGS, a frame longer than mtu + 14 bytes, or than
 * NETFRONT_GSO_MAX_FRAME with NETFRONT_TX_GSO_*, flags the backend does not take),
 * -ENODEV (the interface is broken or gone).
 */
int netfront_transmit(struct netfront *nf, struct netfront_tx *tx);

/* Close every interface (the backend sees the frontend close); xl shutdown does it. */
int netfront_close_all(uint64_t deadline_ns);

#endif
