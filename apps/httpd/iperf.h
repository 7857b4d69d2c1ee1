#ifndef APPS_HTTPD_IPERF_H
#define APPS_HTTPD_IPERF_H

#include <stdbool.h>

/* iperf 2's port, which lwiperf has as LWIPERF_TCP_PORT_DEFAULT. */
#define IPERF_PORT 5001

/* Start the iperf 2 server on IPERF_PORT, IPv4 and IPv6 alike; false if lwIP had no
 * room for it. */
bool iperf_start(void);

#endif
