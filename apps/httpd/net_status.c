/*
 * The network's counters: the PV frontend's, summed over its interfaces
 * (drivers/netfront/netfront.h). The TCP/IP stack's own counters (lwIP's lwip_stats,
 * when built with LWIP_STATS) are not shown yet.
 */
#include "lib/string.h"
#include "drivers/netfront/netfront.h"
#include "apps/httpd/net_status.h"

void net_status_gather(struct net_status *net)
{
    memset(net, 0, sizeof(*net));
    net->interfaces = netfront_count();
    for (unsigned int i = 0; i < net->interfaces; i++) {
        struct netfront_stats s;

        netfront_stats(netfront_get(i), &s);
        net->rx_packets += s.rx_packets;
        net->rx_bytes += s.rx_bytes;
        net->rx_dropped += s.rx_dropped;
        net->tx_packets += s.tx_packets;
        net->tx_bytes += s.tx_bytes;
        net->tx_errors += s.tx_errors;
    }
}
