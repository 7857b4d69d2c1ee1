#ifndef APPS_HTTPD_IPERF_H
#define APPS_HTTPD_IPERF_H

#include <stdbool.h>

/* iperf 2's port, which lwiperf has as LWIPERF_TCP_PORT_DEFAULT. */
#define IPERF_PORT 5001

/* Start the iperf 2 server on IPERF_PORT over IPv4 and over IPv6; says in *ipv4 and
 * *ipv6 which listen (neither: lwIP had no room). */
void iperf_start(bool *ipv4, bool *ipv6);

#endif
