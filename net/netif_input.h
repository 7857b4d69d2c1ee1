/*
 * Received frames into lwIP, each with what its link vouches for. lwIP checks
 * checksums per interface (LWIP_CHECKSUM_CTRL_PER_NETIF), not per frame: a frame
 * whose TCP or UDP checksum the link has checked already, or that never crossed a
 * wire (another domain's stack made it and left its checksum blank), is handed in
 * with that check switched off for it alone; every other frame is checked as usual.
 * Called from any thread; the frame is queued for the tcpip thread.
 */
#ifndef NET_NETIF_INPUT_H
#define NET_NETIF_INPUT_H

#include <stdbool.h>

#include "lwip/netif.h"

/* How a received frame starts. */
enum netif_input_from {
    NETIF_INPUT_ETHERNET, /* its Ethernet header */
    NETIF_INPUT_IP,       /* its IP header: the Ethernet header taken off already */
};

/*
 * Queue frame for netif's input in the tcpip thread, its TCP/UDP checksum checked
 * there unless l4_checked. ERR_OK, or an error with frame still the caller's (the
 * tcpip thread's queue is full).
 */
err_t netif_input_frame(struct netif *netif, struct pbuf *frame, enum netif_input_from from,
                        bool l4_checked);

#endif
