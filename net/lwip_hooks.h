/*
 * lwIP's hooks (LWIP_HOOK_FILENAME in lwipopts.h): points where lwIP, unmodified,
 * calls the port. lwIP includes this file in several of its sources, so it declares
 * only what the hooks name.
 */
#ifndef NET_LWIP_HOOKS_H
#define NET_LWIP_HOOKS_H

#include "lwip/err.h"

struct pbuf;
struct tcp_pcb;
struct tcp_hdr;

/*
 * Called by tcp_input for every segment that finds its connection, a listening or a
 * TIME-WAIT one included (tcp_in.c), before lwIP acts on it; anything but ERR_OK
 * drops the segment. optlen bytes of options follow the TCP header hdr, opt1len of
 * them right after it and the others at opt2 (past a pbuf boundary); rest holds the
 * data. First a new SYN or an RST may end a TIME-WAIT, the SYN going on to the
 * listener (net/tcp_time_wait.c), then an ACK may open the window
 * (net/tcp_slow_start.c).
 */
err_t tcp_time_wait_input(struct tcp_pcb *pcb, const struct tcp_hdr *hdr, u16_t optlen,
                          u16_t opt1len, const u8_t *opt2, struct pbuf *rest);
err_t tcp_slow_start_input(struct tcp_pcb *pcb, const struct tcp_hdr *hdr);
#define LWIP_HOOK_TCP_INPACKET_PCB(pcb, hdr, optlen, opt1len, opt2, p)                             \
    (tcp_time_wait_input((pcb), (hdr), (optlen), (opt1len), (opt2), (p)) != ERR_OK                 \
         ? ERR_ABRT                                                                                \
         : tcp_slow_start_input((pcb), (hdr)))

#endif
