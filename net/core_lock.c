/*
 * lwIP's core lock (LWIP_TCPIP_CORE_LOCKING), which lwipopts.h has LOCK_TCPIP_CORE
 * and UNLOCK_TCPIP_CORE take and release here. Whoever holds it runs lwIP: an
 * application thread in a socket call, or the tcpip thread between two waits for its
 * mailbox. What lwIP sends while one holds it is one burst, so the interfaces send
 * the TCP segments they held back to merge just before it is released: no segment
 * waits for a later burst.
 *
 * A burst also has one time, lwIP's sys_now: net/burst_clock.h says why. Xen running
 * another domain in the middle of a burst can age it by one time slice.
 */
#include "kernel/sched.h"
#include "kernel/thread.h"
#include "lwip/tcpip.h"
#include "net/burst_clock.h"
#include "net/netif_netfront.h"
#include "xen/time.h"

static struct burst_clock burst;

void net_core_lock(void)
{
    sys_mutex_lock(&lock_tcpip_core);
    burst_clock_begin(&burst, thread_current());
}

void net_core_unlock(void)
{
    netif_netfront_flush();
    burst_clock_end(&burst);
    sys_mutex_unlock(&lock_tcpip_core);
}

static uint32_t clock_ms(void)
{
    return (uint32_t)(xen_system_time_ns() / NSEC_PER_MSEC);
}

uint32_t net_core_now_ms(void)
{
    struct sched_stats stats;

    sched_get_stats(&stats);
    return burst_clock_now_ms(&burst, thread_current(), stats.switches, clock_ms);
}
