/*
 * What the network frontend's transmit offloads need from the frames lwIP sends,
 * as pure byte work on Ethernet frames (no lwIP, no driver, tested on the host):
 *
 * - Checksum offload: a TCP or UDP checksum field the backend completes holds the
 *   sum of the pseudo-header only (Linux's CHECKSUM_PARTIAL: netback takes the
 *   field as it is and adds the data's sum), so tx_offload_set_pseudo_sum writes it.
 * - Segmentation offload: lwIP sends TCP in segments of the peer's MSS; consecutive
 *   segments of one connection sent in one burst merge into one large segment
 *   (struct tx_merge), which the backend cuts again into segments of the first one's
 *   size. Segments merge only where cutting the large one gives back the same
 *   segments: the same headers but for sequence number, lengths, IP id and
 *   checksums, contiguous sequence numbers, every segment but the last full.
 */
#ifndef NET_TX_OFFLOAD_H
#define NET_TX_OFFLOAD_H

#include <stdbool.h>
#include <stdint.h>

#define TX_ETH_HLEN 14
/* Ethernet, the longest IPv4 header, the longest TCP header. */
#define TX_MAX_HEADER (TX_ETH_HLEN + 60 + 60)

/* Where a frame's headers are. */
struct tx_frame {
    bool ipv6;
    uint8_t proto;        /* 6 (TCP), 17 (UDP), or another IP protocol */
    unsigned int l4;      /* offset of the TCP or UDP header */
    unsigned int l4_len;  /* TCP or UDP header and payload, as the IP header says */
    unsigned int hdr_len; /* TCP: through its header (options included); else l4 */
    unsigned int payload; /* TCP: bytes after the header */
    uint32_t seq;         /* TCP: the sequence number */
    uint8_t tcp_flags;    /* TCP: the flags byte */
};

/*
 * Parse the headers of a frame of frame_len bytes whose first avail bytes are at hdr.
 * true for an IPv4 packet that is not a fragment or an IPv6 one whose next header is
 * TCP or UDP, with its IP and TCP/UDP headers within avail and its lengths within
 * frame_len. false for anything else (ARP, ICMP, extension headers...).
 */
bool tx_offload_parse(const uint8_t *hdr, unsigned int avail, unsigned int frame_len,
                      struct tx_frame *f);
/*
 * Write the pseudo-header's sum (addresses, protocol, l4_len) into the TCP or UDP
 * checksum field of the frame f describes, for the backend to complete.
 */
void tx_offload_set_pseudo_sum(uint8_t *hdr, const struct tx_frame *f, unsigned int l4_len);

/* The largest merged frame, Ethernet header included: the size the frontend's ring
 * gives a frame is 16 bits (xen/io/netif.h), which also keeps IP's lengths in theirs. */
#define TX_MERGE_MAX_FRAME 65535
/* At most this many segments in one merged segment. */
#define TX_MERGE_MAX_FRAMES 64

/* A large TCP segment being built: the first segment's headers and what follows. */
struct tx_merge {
    unsigned int frames; /* segments merged; 0: empty */
    struct tx_frame first;
    uint8_t header[TX_MAX_HEADER]; /* the first segment's headers */
    unsigned int seg_size;         /* the first segment's payload: gso_size */
    unsigned int payload;          /* all of them */
    uint32_t next_seq;             /* the sequence number that may follow */
    uint8_t flags;                 /* the flags of all of them, ORed */
    bool full;                     /* the last one was short, or no more fits */
};

/* Whether a TCP segment may be merged at all: data, and no flag but ACK and PSH. */
bool tx_merge_candidate(const struct tx_frame *f);
/*
 * Add the segment whose headers are at hdr (f parsed them, tx_merge_candidate said
 * yes) to m: true if it was added (m empty, or it continues m's stream); false if m
 * must be sent first (then m starts over with it).
 */
bool tx_merge_add(struct tx_merge *m, const uint8_t *hdr, const struct tx_frame *f);
/*
 * The merged segment's headers into out (m->first.hdr_len bytes): the first one's,
 * with the total lengths, PSH if any had it, the IPv4 header checksum, and the
 * pseudo-header's sum in the TCP checksum.
 */
void tx_merge_header(const struct tx_merge *m, uint8_t *out);
/* Start over, empty. */
void tx_merge_reset(struct tx_merge *m);

#endif
