/*
 * The network for applications: the TCP/IP stack (lwIP, net/stack.h) with an
 * interface on each of the domain's vifs, addressed, ready for lwIP's socket API
 * (lwip/sockets.h: lwip_socket, lwip_connect...).
 *
 *   net_start();
 *   if (!net_wait_address(xen_system_time_ns() + 30 * NSEC_PER_SEC))
 *       printk("no address yet\n");
 *
 * The first interface takes its IPv4 address from the command line (ip=A.B.C.D[/N],
 * netmask=, gw=) and, when there is none, from the vif's ip= setting, else from a
 * DHCP server; later ones from their ip= setting or DHCP. Every interface has an IPv6
 * link-local address, the first also ip6= from the command line, and all take what
 * router advertisements offer. Each address is printed as it comes up (IPv6 in
 * lowercase, net/addr_text.h). An interface whose vif goes away loses its addresses,
 * and the TCP connections bound to them are aborted (their sockets see ECONNABORTED).
 */
#ifndef NET_NET_H
#define NET_NET_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Start the stack and bring up the vifs present at boot (waiting for the network
 * frontend to connect them), and those attached later as they connect. Once.
 * Returns the number of interfaces brought up.
 */
unsigned int net_start(void);

/*
 * Wait until an interface other than the loopback one has an IPv4 address or a
 * global IPv6 one, or until system time reaches deadline_ns (0: no limit). False on
 * timeout.
 */
bool net_wait_address(uint64_t deadline_ns);

#endif
