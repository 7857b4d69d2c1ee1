/*
 * lwIP's hook for connections in TIME-WAIT (net/tcp_time_wait.c). A new SYN, past
 * what the old connection received, ends the TIME-WAIT and reaches the listener, over
 * IPv4 and over IPv6, even with a checksum only its link vouched for; passed on, it
 * ends no second TIME-WAIT. An RST ends one and is dropped; an old duplicate SYN, an
 * ACK or a connection in another state is left to lwIP. The SYNs go in as frames
 * into an Ethernet interface of the test's own, which sends nowhere, so the
 * listener's new connection waits in SYN-RCVD for the test to find it; the other
 * segments are given to the hook as tcp_input would give them. The TIME-WAITs are of
 * the test's own making.
 */
#include "kernel/test.h"
#include "lib/string.h"
#include "lwip/inet_chksum.h"
#include "lwip/ip.h"
#include "lwip/netif.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/prot/ip4.h"
#include "lwip/prot/ip6.h"
#include "lwip/sys.h"
#include "lwip/tcp.h"
#include "lwip/tcpip.h"
#include "net/lwip_hooks.h"
#include "net/netif_input.h"
#include "net/stack.h"
#include "netif/ethernet.h"
#include "tests/guest/nowhere_netif.h"

#define RCV_NXT     5000000u
#define LISTEN_PORT 7311
#define CLIENT_PORT 40000

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

/* What the hook says of a segment with these flags and sequence number, without
 * options or data. Not for a new SYN, which the hook copies from what lwIP's input
 * holds (ip_data): those go in as frames below. */
static err_t hook(struct tcp_pcb *pcb, u16_t flags, u32_t seqno)
{
    struct tcp_hdr hdr;

    memset(&hdr, 0, sizeof(hdr));
    TCPH_HDRLEN_FLAGS_SET(&hdr, 5, flags);
    hdr.seqno = seqno; /* host order, as tcp_input leaves it */
    return tcp_time_wait_input(pcb, &hdr, 0, 0, NULL, NULL);
}

KERNEL_TEST(tcp_time_wait_ends_for_a_reset)
{
    LOCK_TCPIP_CORE();
    struct tcp_pcb *pcb = time_wait();
    bool made = pcb != NULL;
    err_t rst = made ? hook(pcb, TCP_RST | TCP_ACK, RCV_NXT) : ERR_OK;
    bool left = made && in_time_wait(pcb);
    UNLOCK_TCPIP_CORE();

    TEST_ASSERT(made);
    TEST_ASSERT(rst != ERR_OK); /* dropped: no listener sees it */
    TEST_ASSERT(!left);
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

/* A TIME-WAIT on the test's ports between ours and client. */
static struct tcp_pcb *time_wait_between(const ip_addr_t *ours, const ip_addr_t *client)
{
    struct tcp_pcb *pcb = time_wait();

    if (pcb != NULL) {
        ip_addr_copy(pcb->local_ip, *ours);
        ip_addr_copy(pcb->remote_ip, *client);
        pcb->local_port = LISTEN_PORT;
        pcb->remote_port = CLIENT_PORT;
    }
    return pcb;
}

/* The test interface's MAC address (nowhere_netif_init). */
static u8_t test_mac[ETH_HWADDR_LEN] = {0x02, 0, 0, 0x77, 0, 3};

/*
 * A new SYN from client to ours, in an Ethernet frame for netif, with an MSS option.
 * Its TCP checksum is wrong: only a link that vouches for the frame gets it in, as a
 * backend does for the blank checksums of another domain's stack.
 */
static struct pbuf *syn_frame(const struct netif *netif, const ip_addr_t *client,
                              const ip_addr_t *ours)
{
    static const u8_t mss_option[4] = {2, 4, 1460 >> 8, 1460 & 0xff};
    bool v6 = IP_IS_V6(ours);
    u16_t ip_len = v6 ? IP6_HLEN : IP_HLEN, tcp_len = TCP_HLEN + sizeof(mss_option);
    struct pbuf *p = nowhere_netif_frame(netif, v6 ? ETHTYPE_IPV6 : ETHTYPE_IP, ip_len + tcp_len);

    if (p == NULL)
        return NULL;
    u8_t *ip = (u8_t *)p->payload + SIZEOF_ETH_HDR;
    if (v6) {
        struct ip6_hdr *ip6 = (struct ip6_hdr *)ip;
        IP6H_VTCFL_SET(ip6, 6, 0, 0);
        IP6H_PLEN_SET(ip6, tcp_len);
        IP6H_NEXTH_SET(ip6, IP6_NEXTH_TCP);
        IP6H_HOPLIM_SET(ip6, 64);
        ip6_addr_copy_to_packed(ip6->src, *ip_2_ip6(client));
        ip6_addr_copy_to_packed(ip6->dest, *ip_2_ip6(ours));
    } else {
        struct ip_hdr *ip4 = (struct ip_hdr *)ip;
        IPH_VHL_SET(ip4, 4, IP_HLEN / 4);
        IPH_LEN_SET(ip4, lwip_htons(ip_len + tcp_len));
        IPH_TTL_SET(ip4, 64);
        IPH_PROTO_SET(ip4, IP_PROTO_TCP);
        ip4_addr_copy(ip4->src, *ip_2_ip4(client));
        ip4_addr_copy(ip4->dest, *ip_2_ip4(ours));
        IPH_CHKSUM_SET(ip4, inet_chksum(ip4, IP_HLEN));
    }
    struct tcp_hdr *tcp = (struct tcp_hdr *)(ip + ip_len);
    tcp->src = PP_HTONS(CLIENT_PORT);
    tcp->dest = PP_HTONS(LISTEN_PORT);
    tcp->seqno = PP_HTONL(RCV_NXT + 1000);
    tcp->wnd = PP_HTONS(65535);
    TCPH_HDRLEN_FLAGS_SET(tcp, tcp_len / 4, TCP_SYN);
    memcpy(tcp + 1, mss_option, sizeof(mss_option));

    pbuf_remove_header(p, SIZEOF_ETH_HDR + ip_len);
    u16_t right = ip_chksum_pseudo(p, IP_PROTO_TCP, tcp_len, client, ours);
    pbuf_add_header(p, SIZEOF_ETH_HDR + ip_len);
    tcp->chksum = right == 0x1234 ? 0x4321 : 0x1234;
    return p;
}

static void signal_sem(void *arg)
{
    sys_sem_signal(arg);
}

/* Wait until the tcpip thread has done what is queued for it, and then what that
 * queued in turn (a SYN passed on); false if it never did. */
static bool tcpip_thread_done_twice(void)
{
    sys_sem_t done;
    bool ok = sys_sem_new(&done, 0) == ERR_OK;

    if (!ok)
        return false;
    /* The tcpip thread's queue keeps its order: each callback runs after what came
     * before it. */
    for (int round = 0; ok && round < 2; round++)
        ok = tcpip_callback(signal_sem, &done) == ERR_OK &&
             sys_arch_sem_wait(&done, 10000) != SYS_ARCH_TIMEOUT;
    sys_sem_free(&done);
    return ok;
}

/* The connection the listener made of the client's SYN, or NULL: in SYN-RCVD, its
 * SYN-ACK waiting for the client's address to resolve. */
static struct tcp_pcb *listener_answer(const ip_addr_t *client)
{
    for (struct tcp_pcb *p = tcp_active_pcbs; p != NULL; p = p->next)
        if (p->state == SYN_RCVD && p->local_port == LISTEN_PORT && p->remote_port == CLIENT_PORT &&
            ip_addr_cmp(&p->remote_ip, client))
            return p;
    return NULL;
}

struct syn_outcome {
    bool made;         /* the TIME-WAITs and the frame */
    bool answered;     /* by the listener */
    unsigned int left; /* TIME-WAITs still there */
};

/*
 * With time_waits TIME-WAITs between ours and client (1 or 2), the client's new SYN
 * arrives on netif, vouched for by its link; what became of it once the tcpip thread
 * is done. The connection and the TIME-WAITs left are then ended.
 */
static struct syn_outcome new_syn(struct netif *netif, const ip_addr_t *ours,
                                  const ip_addr_t *client, unsigned int time_waits)
{
    struct syn_outcome out = {.made = true};
    struct tcp_pcb *made[2] = {NULL, NULL};

    LOCK_TCPIP_CORE();
    for (unsigned int i = 0; i < time_waits; i++) {
        made[i] = time_wait_between(ours, client);
        out.made = out.made && made[i] != NULL;
    }
    UNLOCK_TCPIP_CORE();
    struct pbuf *frame = out.made ? syn_frame(netif, client, ours) : NULL;
    if (frame != NULL && netif_input_frame(netif, frame, NETIF_INPUT_ETHERNET, true) != ERR_OK) {
        pbuf_free(frame);
        frame = NULL;
    }
    out.made = frame != NULL && tcpip_thread_done_twice();

    LOCK_TCPIP_CORE();
    struct tcp_pcb *answer = listener_answer(client);
    out.answered = answer != NULL;
    if (answer != NULL)
        tcp_abort(answer);
    for (unsigned int i = 0; i < time_waits; i++)
        if (made[i] != NULL && in_time_wait(made[i])) {
            out.left++;
            tcp_abort(made[i]);
        }
    UNLOCK_TCPIP_CORE();
    return out;
}

/* The test's interface with the addresses ours4 and ours6, up; false if lwIP refused. */
static bool test_netif_up(struct netif *netif, const ip_addr_t *ours4, const ip_addr_t *ours6)
{
    ip4_addr_t mask, gw;
    s8_t index;

    IP4_ADDR(&mask, 255, 255, 255, 0);
    IP4_ADDR(&gw, 0, 0, 0, 0);
    if (netif_add(netif, ip_2_ip4(ours4), &mask, &gw, test_mac, nowhere_netif_init, tcpip_input) ==
        NULL)
        return false;
    if (netif_add_ip6_address(netif, ip_2_ip6(ours6), &index) != ERR_OK) {
        netif_remove(netif);
        return false;
    }
    netif_ip6_addr_set_state(netif, index, IP6_ADDR_PREFERRED); /* no duplicate to detect */
    netif_set_link_up(netif);
    netif_set_up(netif);
    return true;
}

KERNEL_TEST(tcp_time_wait_passes_a_new_syn_to_the_listener)
{
    static struct netif netif;
    ip_addr_t ours4, client4, ours6, client6;
    struct syn_outcome v4 = {0}, v6 = {0}, twice = {0};
    struct tcp_pcb *listener = NULL;

    IP_ADDR4(&ours4, 10, 77, 2, 2);
    IP_ADDR4(&client4, 10, 77, 2, 1);
    IP_ADDR6(&ours6, PP_HTONL(0xfd770002), 0, 0, PP_HTONL(2));
    IP_ADDR6(&client6, PP_HTONL(0xfd770002), 0, 0, PP_HTONL(1));
    net_stack_start();
    LOCK_TCPIP_CORE();
    bool up = test_netif_up(&netif, &ours4, &ours6);
    /* One listener for both versions, as a dual-stack server has. */
    struct tcp_pcb *pcb = up ? tcp_new_ip_type(IPADDR_TYPE_ANY) : NULL;
    if (pcb != NULL && tcp_bind(pcb, IP_ANY_TYPE, LISTEN_PORT) == ERR_OK)
        listener = tcp_listen(pcb); /* frees pcb when it succeeds */
    if (pcb != NULL && listener == NULL)
        tcp_abort(pcb);
    UNLOCK_TCPIP_CORE();

    if (listener != NULL) {
        v4 = new_syn(&netif, &ours4, &client4, 1);
        v6 = new_syn(&netif, &ours6, &client6, 1);
        /* The SYN that ends the first of two TIME-WAITs meets the second, passed on:
         * lwIP answers it there as for any SYN in TIME-WAIT, and no listener sees it. */
        twice = new_syn(&netif, &ours4, &client4, 2);
    }

    LOCK_TCPIP_CORE();
    if (listener != NULL)
        tcp_close(listener); /* a listener closes at once: ERR_OK */
    if (up)
        netif_remove(&netif); /* ends the connections on its addresses */
    UNLOCK_TCPIP_CORE();

    TEST_ASSERT(up);
    TEST_ASSERT(listener != NULL);
    TEST_ASSERT(v4.made);
    TEST_ASSERT(v4.answered);
    TEST_ASSERT_EQ(v4.left, 0);
    TEST_ASSERT(v6.made);
    TEST_ASSERT(v6.answered);
    TEST_ASSERT_EQ(v6.left, 0);
    TEST_ASSERT(twice.made);
    TEST_ASSERT(!twice.answered);
    TEST_ASSERT_EQ(twice.left, 1);
}
