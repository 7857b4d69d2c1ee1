/*
 * A connection this side closed first lingers in TIME-WAIT for twice lwIP's maximum
 * segment lifetime, and lwIP answers a SYN for its ports there with an ACK of the old
 * connection and ignores the RST that the client sends back (RFC 1337). A client free
 * to use that port again (it closed second and holds nothing) then waits until the
 * TIME-WAIT ends: ab, reusing ports while fetching from httpd, waited minutes for
 * its SYNs to be answered. Linux, as the server, lets a new SYN end a TIME-WAIT
 * (RFC 1122 4.2.2.13, when its sequence number is past the old connection's) and by
 * default lets an RST end one. So does lwIP's hook here (net/lwip_hooks.h). An RST
 * has done its work once the TIME-WAIT is gone and is dropped. A SYN is for the
 * listener, as on Linux, but lwIP has chosen the TIME-WAIT for it already and frees
 * the segment once the hook returns: the hook queues a copy of it for the tcpip
 * thread's input, headers and all, which finds the listener after the segment at
 * hand is done, and the client gets its SYN-ACK at once instead of after its next
 * SYN a second later. Without memory or room in that queue the SYN is dropped and
 * that next SYN finds the listener. lwIP's own initial sequence numbers only grow
 * (tcp.c:tcp_next_iss), so the new connection starts past what the old one sent, as
 * RFC 1122 asks.
 */
#include <stdbool.h>

#include "lib/string.h"
#include "lwip/inet_chksum.h"
#include "lwip/ip.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/tcp.h"
#include "lwip/tcpip.h"
#include "net/lwip_hooks.h"

/* Set while a copy goes through input: it ends no TIME-WAIT of its own, so a SYN is
 * passed on once at most, whatever lwIP holds by then. */
static bool passing_on;

/* In the tcpip thread, after the frames queued before it: the SYN, matched again. */
static err_t input_passed_on(struct pbuf *syn, struct netif *netif)
{
    passing_on = true;
    err_t err = ip_input(syn, netif);
    passing_on = false;
    return err;
}

/*
 * The segment tcp_input holds, as it arrived: the IP header (and IPv6's extension
 * headers) still in front of the TCP header (ip_data), the TCP header whose ports,
 * numbers and window tcp_input turned to host order, its options in one or two
 * parts (opt2: where a pbuf boundary split them) and the data in rest. The copy's
 * TCP checksum is computed anew: the original's may be blank, its link having
 * vouched for it (net/netif_input.h), and the copy's input checks it. NULL when out
 * of memory.
 */
static struct pbuf *segment_copy(const struct tcp_hdr *hdr, u16_t optlen, u16_t opt1len,
                                 const u8_t *opt2, struct pbuf *rest)
{
    const void *ip_header = ip_current_is_v6() ? (const void *)ip6_current_header()
                                               : (const void *)ip4_current_header();
    u16_t ip_len = ip_current_header_tot_len();
    u16_t tcp_len = (u16_t)(TCP_HLEN + optlen + rest->tot_len);
    struct pbuf *copy = pbuf_alloc(PBUF_RAW, (u16_t)(ip_len + tcp_len), PBUF_RAM);

    if (copy == NULL)
        return NULL;
    u8_t *ip = copy->payload; /* PBUF_RAM: all in one piece */
    struct tcp_hdr *tcp = (struct tcp_hdr *)(ip + ip_len);
    u8_t *options = (u8_t *)tcp + TCP_HLEN;

    memcpy(ip, ip_header, ip_len);
    memcpy(tcp, hdr, TCP_HLEN);
    tcp->src = lwip_htons(hdr->src);
    tcp->dest = lwip_htons(hdr->dest);
    tcp->seqno = lwip_htonl(hdr->seqno);
    tcp->ackno = lwip_htonl(hdr->ackno);
    tcp->wnd = lwip_htons(hdr->wnd);
    tcp->chksum = 0;
    memcpy(options, (const u8_t *)hdr + TCP_HLEN, opt1len);
    if (optlen > opt1len)
        memcpy(options + opt1len, opt2, optlen - opt1len);
    pbuf_copy_partial(rest, options + optlen, rest->tot_len, 0);

    pbuf_remove_header(copy, ip_len);
    tcp->chksum = ip_chksum_pseudo(copy, IP_PROTO_TCP, tcp_len, ip_current_src_addr(),
                                   ip_current_dest_addr());
    pbuf_add_header(copy, ip_len);
    return copy;
}

/* Queue the SYN at hand for input again, or drop it (see the top of the file). */
static void pass_on(const struct tcp_hdr *hdr, u16_t optlen, u16_t opt1len, const u8_t *opt2,
                    struct pbuf *rest)
{
    struct pbuf *syn = segment_copy(hdr, optlen, opt1len, opt2, rest);

    if (syn != NULL && tcpip_inpkt(syn, ip_current_input_netif(), input_passed_on) != ERR_OK)
        pbuf_free(syn);
}

err_t tcp_time_wait_input(struct tcp_pcb *pcb, const struct tcp_hdr *hdr, u16_t optlen,
                          u16_t opt1len, const u8_t *opt2, struct pbuf *rest)
{
    u8_t flags = TCPH_FLAGS(hdr);
    bool new_syn = !passing_on && (flags & (TCP_SYN | TCP_ACK | TCP_RST)) == TCP_SYN &&
                   TCP_SEQ_GT(hdr->seqno, pcb->rcv_nxt);

    if (pcb->state != TIME_WAIT || !(new_syn || (flags & TCP_RST)))
        return ERR_OK;
    if (new_syn)
        pass_on(hdr, optlen, opt1len, opt2, rest);
    tcp_abort(pcb);  /* in TIME-WAIT: removed and freed, nothing sent (tcp.c:tcp_abandon) */
    return ERR_ABRT; /* tcp_input frees the segment */
}
