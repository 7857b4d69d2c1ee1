/*
 * Slow start for a sender whose segments are acknowledged in large pieces. lwIP grows
 * a connection's congestion window in slow start by at most two segments per ACK (RFC
 * 3465's limit L). That assumes an ACK for every one or two segments; but the network
 * frontend merges a burst of segments into one large one (net/tx_offload.h), and the
 * receiver acknowledges that once, so lwIP's window would grow by two segments per
 * round trip instead of doubling. As Linux does, an ACK in slow start earns the window
 * every byte it acknowledges, up to the slow-start threshold; after a retransmission
 * timeout lwIP's own cautious increase (one segment per ACK) stands.
 */
#ifndef NET_TCP_SLOW_START_H
#define NET_TCP_SLOW_START_H

#include <stdbool.h>
#include <stdint.h>

/*
 * How much to add to the congestion window cwnd, before lwIP adds its own increase,
 * for an ACK of acked new bytes in slow start (cwnd below ssthresh), so that the two
 * together come to every byte acknowledged without passing ssthresh.
 */
static inline uint32_t tcp_slow_start_extra(uint32_t acked, uint32_t mss, uint32_t cwnd,
                                            uint32_t ssthresh, bool after_timeout)
{
    uint32_t lwip_increase = acked < 2 * mss ? acked : 2 * mss;

    if (after_timeout || cwnd >= ssthresh || ssthresh - cwnd <= lwip_increase)
        return 0;
    uint32_t room = ssthresh - cwnd - lwip_increase;
    uint32_t extra = acked - lwip_increase;
    return extra < room ? extra : room;
}

#endif
