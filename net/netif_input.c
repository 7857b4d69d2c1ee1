/*
 * Received frames into lwIP (netif_input.h). The tcpip thread takes each frame from
 * its queue with the input function queued beside it; for a frame whose checksum is
 * vouched for, that function switches the interface's TCP and UDP checks off around
 * lwIP's own input and back on after it. The tcpip thread holds the core lock the
 * while (LWIP_TCPIP_CORE_LOCKING), so no other frame and no other thread sees the
 * interface in that state; what input sends in reply (an ACK) still gets its
 * checksums, which are other flags.
 */
#include "net/netif_input.h"

#include "lwip/ip.h"
#include "lwip/tcpip.h"
#include "netif/ethernet.h"

/* The checks a vouched-for frame skips: the ones over its whole payload. */
#define CHECKS_VOUCHED_FOR (NETIF_CHECKSUM_CHECK_TCP | NETIF_CHECKSUM_CHECK_UDP)

/* In the tcpip thread: input with the TCP/UDP checks off for this frame only. */
static err_t input_checked_below(struct pbuf *frame, struct netif *netif, netif_input_fn input)
{
    /* Only the checks change: what the interface generates (net/netif_netfront.c may
     * leave TCP and UDP checksums to the backend) stays as it was. */
    u16_t flags = netif->chksum_flags;

    NETIF_SET_CHECKSUM_CTRL(netif, flags & ~CHECKS_VOUCHED_FOR);
    err_t err = input(frame, netif);
    NETIF_SET_CHECKSUM_CTRL(netif, flags);
    return err;
}

static err_t ethernet_input_checked_below(struct pbuf *frame, struct netif *netif)
{
    return input_checked_below(frame, netif, ethernet_input);
}

static err_t ip_input_checked_below(struct pbuf *frame, struct netif *netif)
{
    return input_checked_below(frame, netif, ip_input);
}

err_t netif_input_frame(struct netif *netif, struct pbuf *frame, enum netif_input_from from,
                        bool l4_checked)
{
    netif_input_fn input;

    if (from == NETIF_INPUT_ETHERNET)
        input = l4_checked ? ethernet_input_checked_below : ethernet_input;
    else
        input = l4_checked ? ip_input_checked_below : ip_input;
    return tcpip_inpkt(frame, netif, input);
}
