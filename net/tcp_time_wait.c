/*
 * A connection this side closed first lingers in TIME-WAIT for twice lwIP's maximum
 * segment lifetime, and lwIP answers a SYN for its ports there with an ACK of the old
 * connection and ignores the RST that the client sends back (RFC 1337). A client free
 * to use that port again (it closed second and holds nothing) then waits until the
 * TIME-WAIT ends: ab, reusing ports while fetching from httpd, waited minutes for
 * its SYNs to be answered. Linux, as the server, lets a new SYN end a TIME-WAIT
 * (RFC 1122 4.2.2.13, when its sequence number is past the old connection's) and by
 * default lets an RST end one. So does lwIP's hook here (net/lwip_hooks.h): the
 * segment itself is dropped, since lwIP has already chosen the connection for it, and
 * the client's next SYN, a second later, finds the listener. lwIP's own initial
 * sequence numbers only grow (tcp.c:tcp_next_iss), so the new connection starts past
 * what the old one sent, as RFC 1122 asks.
 */
#include <stdbool.h>

#include "lwip/priv/tcp_priv.h"
#include "lwip/tcp.h"
#include "net/lwip_hooks.h"

err_t tcp_time_wait_input(struct tcp_pcb *pcb, const struct tcp_hdr *hdr)
{
    u8_t flags = TCPH_FLAGS(hdr);
    bool new_syn =
        (flags & (TCP_SYN | TCP_ACK | TCP_RST)) == TCP_SYN && TCP_SEQ_GT(hdr->seqno, pcb->rcv_nxt);

    if (pcb->state != TIME_WAIT || !(new_syn || (flags & TCP_RST)))
        return ERR_OK;
    tcp_abort(pcb); /* in TIME-WAIT: removed and freed, nothing sent (tcp.c:tcp_abandon) */
    return ERR_ABRT;
}
