/*
 * lwIP's hook for slow start under merged segments (net/tcp_slow_start.c): an ACK of
 * new data on a connection in slow start grows its window by all it acknowledges
 * (lwIP adds its own two segments afterwards); a segment that is not such an ACK, or a
 * connection not in slow start or just after a timeout, is left alone. The hook is
 * called as tcp_input would call it, on a connection of the test's own making.
 */
#include "kernel/test.h"
#include "lib/string.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/tcp.h"
#include "net/lwip_hooks.h"

#define MSS       1460
#define LASTACK   1000000u
#define IN_FLIGHT (64 * MSS)

static struct tcp_pcb pcb;
static struct tcp_hdr hdr;
static unsigned int hook_errors; /* the hook never stops a segment */

/* A connection in slow start with 64 segments in flight, its window 4 segments. */
static void set_up(void)
{
    memset(&pcb, 0, sizeof(pcb));
    pcb.state = ESTABLISHED;
    pcb.mss = MSS;
    pcb.cwnd = 4 * MSS;
    pcb.ssthresh = 128 * 1024;
    pcb.lastack = LASTACK;
    pcb.snd_nxt = LASTACK + IN_FLIGHT;
    memset(&hdr, 0, sizeof(hdr));
    TCPH_HDRLEN_FLAGS_SET(&hdr, 5, TCP_ACK);
}

/* The window after the hook sees a segment acknowledging up to ackno (host order,
 * as tcp_input leaves the header). */
static tcpwnd_size_t window_after(u32_t ackno)
{
    hdr.ackno = ackno;
    hook_errors += tcp_slow_start_input(&pcb, &hdr) != ERR_OK;
    return pcb.cwnd;
}

KERNEL_TEST(tcp_slow_start_credits_every_byte_a_large_ack_acknowledges)
{
    hook_errors = 0;
    set_up();
    /* 44 segments acknowledged at once: 42 now, lwIP's own 2 to come. */
    TEST_ASSERT_EQ(window_after(LASTACK + 44 * MSS), 46 * MSS);
    set_up();
    TEST_ASSERT_EQ(window_after(LASTACK + 2 * MSS), 4 * MSS); /* lwIP's 2 are enough */
    set_up();
    pcb.ssthresh = 20 * MSS;
    TEST_ASSERT_EQ(window_after(LASTACK + 44 * MSS), 18 * MSS); /* lwIP's 2 reach 20 */
    set_up();
    pcb.state = CLOSE_WAIT; /* the peer is done; this side still sends */
    TEST_ASSERT_EQ(window_after(LASTACK + 10 * MSS), 12 * MSS);
    TEST_ASSERT_EQ(hook_errors, 0);
}

KERNEL_TEST(tcp_slow_start_leaves_other_segments_alone)
{
    hook_errors = 0;
    set_up();
    TEST_ASSERT_EQ(window_after(LASTACK), 4 * MSS);                 /* nothing new */
    TEST_ASSERT_EQ(window_after(LASTACK - 10 * MSS), 4 * MSS);      /* old */
    TEST_ASSERT_EQ(window_after(LASTACK + IN_FLIGHT + 1), 4 * MSS); /* past what was sent */
    TCPH_HDRLEN_FLAGS_SET(&hdr, 5, TCP_ACK | TCP_RST);
    TEST_ASSERT_EQ(window_after(LASTACK + 10 * MSS), 4 * MSS);
    TCPH_HDRLEN_FLAGS_SET(&hdr, 5, TCP_ACK | TCP_SYN);
    TEST_ASSERT_EQ(window_after(LASTACK + 10 * MSS), 4 * MSS);
    TCPH_HDRLEN_FLAGS_SET(&hdr, 5, TCP_PSH);
    TEST_ASSERT_EQ(window_after(LASTACK + 10 * MSS), 4 * MSS);

    set_up();
    pcb.flags = TF_RTO; /* just after a timeout: lwIP's one segment per ACK */
    TEST_ASSERT_EQ(window_after(LASTACK + 10 * MSS), 4 * MSS);
    set_up();
    pcb.cwnd = pcb.ssthresh; /* congestion avoidance */
    TEST_ASSERT_EQ(window_after(LASTACK + 10 * MSS), pcb.ssthresh);
    set_up();
    pcb.state = SYN_RCVD;
    TEST_ASSERT_EQ(window_after(LASTACK + 10 * MSS), 4 * MSS);
    set_up();
    pcb.state = LISTEN;
    TEST_ASSERT_EQ(window_after(LASTACK + 10 * MSS), 4 * MSS);
    TEST_ASSERT_EQ(hook_errors, 0);
}
