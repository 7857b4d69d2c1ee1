/* What the network tests share: an Ethernet interface of their own, needing no vif. */
#ifndef TESTS_GUEST_NOWHERE_NETIF_H
#define TESTS_GUEST_NOWHERE_NETIF_H

#include "lwip/netif.h"

/*
 * netif_add's init for an Ethernet interface whose state (netif_add's state) is its
 * MAC address, a u8_t[ETH_HWADDR_LEN]. What lwIP sends on it goes nowhere, so
 * frames handed to its input get no answer from the wire.
 */
err_t nowhere_netif_init(struct netif *netif);

/* A frame for netif's input: an Ethernet header to its address, of ethertype type
 * (host order: ETHTYPE_IP...), from a made-up sender, then len zeroed bytes for the
 * caller to fill. NULL when out of memory. */
struct pbuf *nowhere_netif_frame(const struct netif *netif, u16_t type, u16_t len);

#endif
