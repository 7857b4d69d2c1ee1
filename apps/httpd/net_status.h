/*
 * The network's counters for the status page: the frontend's, summed over the
 * interfaces, and the TCP/IP stack's. Kept apart from status.c because it is the
 * only part that depends on which stack and frontend the image carries.
 */
#ifndef APPS_HTTPD_NET_STATUS_H
#define APPS_HTTPD_NET_STATUS_H

#include <stdint.h>

struct net_status {
    unsigned int interfaces;
    uint64_t rx_packets, rx_bytes, rx_dropped;
    uint64_t tx_packets, tx_bytes, tx_errors;
};

void net_status_gather(struct net_status *net);

#endif
