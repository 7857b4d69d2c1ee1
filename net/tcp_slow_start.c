/*
 * lwIP's hook on each TCP segment that finds its connection (net/lwip_hooks.h): an
 * ACK that acknowledges new data in slow start grows the congestion window by all it
 * acknowledges, as net/tcp_slow_start.h explains. lwIP then processes the segment as
 * always, adding its own increase.
 */
#include "lwip/priv/tcp_priv.h"
#include "lwip/tcp.h"
#include "net/lwip_hooks.h"
#include "net/tcp_slow_start.h"

err_t tcp_slow_start_input(struct tcp_pcb *pcb, const struct tcp_hdr *hdr)
{
    /* The hook also sees listening and closing connections: only those that send data
     * have a window (a listening one's structure is smaller: nothing past state). */
    if (pcb->state != ESTABLISHED && pcb->state != CLOSE_WAIT)
        return ERR_OK;
    /* tcp_input has put the header's numbers in host order by now. */
    if ((TCPH_FLAGS(hdr) & (TCP_ACK | TCP_RST | TCP_SYN)) != TCP_ACK ||
        !TCP_SEQ_BETWEEN(hdr->ackno, pcb->lastack + 1, pcb->snd_nxt))
        return ERR_OK;
    pcb->cwnd += tcp_slow_start_extra(hdr->ackno - pcb->lastack, pcb->mss, pcb->cwnd, pcb->ssthresh,
                                      (pcb->flags & TF_RTO) != 0);
    return ERR_OK;
}
