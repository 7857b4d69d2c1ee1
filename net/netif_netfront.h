/*
 * An lwIP network interface over a network frontend (drivers/netfront/netfront.h):
 * Ethernet frames in and out, with the MAC address and MTU the vif has.
 */
#ifndef NET_NETIF_NETFRONT_H
#define NET_NETIF_NETFRONT_H

struct netfront;
struct netif;

/*
 * Add nf to lwIP as an interface with no address yet, down, and bind nf's frames to
 * it. With lwIP's core lock held (LOCK_TCPIP_CORE, or in the tcpip thread). NULL
 * when memory runs out.
 */
struct netif *netif_netfront_add(struct netfront *nf);

/*
 * Send the TCP segments every interface holds back to merge (netif_netfront.c). With
 * lwIP's core lock held, just before it is released: net_core_unlock.
 */
void netif_netfront_flush(void);

#endif
