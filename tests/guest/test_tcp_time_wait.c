/*
 * lwIP's hook for connections in TIME-WAIT (net/tcp_time_wait.c): a new SYN, past
 * what the old connection received, or an RST ends the TIME-WAIT and is dropped; an
 * old duplicate SYN, an ACK or a connection in another state is left to lwIP. The
 * hook is called as tcp_input would call it, on a TIME-WAIT of the test's own making.
 */
#include "kernel/test.h"
#include "lib/string.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/tcp.h"
#include "lwip/tcpip.h"
#include "net/lwip_hooks.h"

#define RCV_NXT 5000000u

/* A connection in TIME-WAIT on lwIP's list, as one this side closed first. */
static struct tcp_pcb *time_wait(void)
{
    struct tcp_pcb *pcb = tcp_alloc(TCP_PRIO_NORMAL);

    if (pcb != NULL) {
        pcb->state = TIME_WAIT;
        pcb->rcv_nxt = RCV_NXT;
        TCP_REG(&tcp_tw_pcbs, pcb);
    }
    return pcb;
}

static bool in_time_wait(const struct tcp_pcb *pcb)
{
    for (const struct tcp_pcb *p = tcp_tw_pcbs; p != NULL; p = p->next)
        if (p == pcb)
            return true;
    return false;
}

/* What the hook says of a segment with these flags and sequence number. */
static err_t hook(struct tcp_pcb *pcb, u16_t flags, u32_t seqno)
{
    struct tcp_hdr hdr;

    memset(&hdr, 0, sizeof(hdr));
    TCPH_HDRLEN_FLAGS_SET(&hdr, 5, flags);
    hdr.seqno = seqno; /* host order, as tcp_input leaves it */
    return tcp_time_wait_input(pcb, &hdr);
}

KERNEL_TEST(tcp_time_wait_ends_for_a_new_syn_or_a_reset)
{
    LOCK_TCPIP_CORE();
    struct tcp_pcb *a = time_wait(), *b = time_wait();
    bool made = a != NULL && b != NULL;
    err_t syn = made ? hook(a, TCP_SYN, RCV_NXT + 1000) : ERR_OK;
    err_t rst = made ? hook(b, TCP_RST | TCP_ACK, RCV_NXT) : ERR_OK;
    bool a_left = made && in_time_wait(a), b_left = made && in_time_wait(b);
    UNLOCK_TCPIP_CORE();

    TEST_ASSERT(made);
    TEST_ASSERT(syn != ERR_OK);
    TEST_ASSERT(!a_left);
    TEST_ASSERT(rst != ERR_OK);
    TEST_ASSERT(!b_left);
}

KERNEL_TEST(tcp_time_wait_stays_for_old_syns_and_acks)
{
    struct tcp_pcb established;
    err_t results[5];

    LOCK_TCPIP_CORE();
    struct tcp_pcb *pcb = time_wait();
    bool made = pcb != NULL, stayed = false;
    if (made) {
        results[0] = hook(pcb, TCP_SYN, RCV_NXT);        /* an old duplicate */
        results[1] = hook(pcb, TCP_SYN, RCV_NXT - 1000); /* another */
        results[2] = hook(pcb, TCP_ACK, RCV_NXT + 1000); /* a stray ACK: lwIP answers */
        results[3] = hook(pcb, TCP_SYN | TCP_ACK, RCV_NXT + 1000);
        stayed = in_time_wait(pcb);
        tcp_abort(pcb); /* in TIME-WAIT: off the list and freed */
    }
    memset(&established, 0, sizeof(established));
    established.state = ESTABLISHED;
    results[4] = hook(&established, TCP_RST, 0); /* lwIP's own handling of a reset */
    UNLOCK_TCPIP_CORE();

    TEST_ASSERT(made);
    TEST_ASSERT(stayed);
    for (unsigned int i = 0; i < 5; i++)
        TEST_ASSERT_EQ(results[i], ERR_OK);
}
