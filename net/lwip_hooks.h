/*
 * lwIP's hooks (LWIP_HOOK_FILENAME in lwipopts.h): points where lwIP, unmodified,
 * calls the port. lwIP includes this file in several of its sources, so it declares
 * only what the hooks name.
 */
#ifndef NET_LWIP_HOOKS_H
#define NET_LWIP_HOOKS_H

#include "lwip/err.h"

struct tcp_pcb;
struct tcp_hdr;
struct pbuf;

/* Called by tcp_input for every segment that finds its connection (tcp_in.c). */
err_t tcp_slow_start_input(struct tcp_pcb *pcb, const struct tcp_hdr *hdr);
#define LWIP_HOOK_TCP_INPACKET_PCB(pcb, hdr, optlen, opt1len, opt2, p)                             \
    tcp_slow_start_input((pcb), (hdr))

#endif
