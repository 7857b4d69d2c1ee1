/*
 * IP addresses as text, the way people write them: IPv4 as A.B.C.D, IPv6 in
 * lowercase hex with :: for the longest run of zeros (fd00::50,
 * fe80::216:3eff:fe0b:3). lwIP's own functions (ip6addr_ntoa_r, lwip_inet_ntop) write
 * IPv6 in uppercase; everything the kernel prints or reports goes through here.
 */
#ifndef NET_ADDR_TEXT_H
#define NET_ADDR_TEXT_H

#include <stddef.h>

#include "lwip/ip_addr.h"
#include "lwip/sockets.h"

/* Room for any address's text, the NUL included. */
#define NET_ADDR_TEXT_MAX IPADDR_STRLEN_MAX

/* addr as text in buf (size bytes, NET_ADDR_TEXT_MAX is enough); returns buf. */
char *net_addr_text(const ip_addr_t *addr, char *buf, size_t size);

/* inet_ntop for the socket API's addresses (AF_INET, AF_INET6): NULL if af is another. */
const char *net_inet_ntop(int af, const void *src, char *buf, size_t size);

#endif
