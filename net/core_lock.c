/*
 * lwIP's core lock (LWIP_TCPIP_CORE_LOCKING), which lwipopts.h has LOCK_TCPIP_CORE
 * and UNLOCK_TCPIP_CORE take and release here. Whoever holds it runs lwIP: an
 * application thread in a socket call, or the tcpip thread between two waits for its
 * mailbox. What lwIP sends while one holds it is one burst, so the interfaces send
 * the TCP segments they held back to merge just before it is released: no segment
 * waits for a later burst.
 */
#include "lwip/tcpip.h"
#include "net/netif_netfront.h"

void net_core_lock(void)
{
    sys_mutex_lock(&lock_tcpip_core);
}

void net_core_unlock(void)
{
    netif_netfront_flush();
    sys_mutex_unlock(&lock_tcpip_core);
}
