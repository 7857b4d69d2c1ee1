/*
 * Received frames into lwIP (net/netif_input.c): a UDP datagram whose checksum is wrong
 * is dropped unless its link vouches for it, one whose checksum is right arrives
 * either way, and a vouched-for frame leaves the next one checked. The frames go into
 * an Ethernet interface of the test's own, which sends nowhere; needs no vif.
 */
#include "kernel/test.h"
#include "lib/string.h"
#include "lwip/inet_chksum.h"
#include "lwip/ip.h"
#include "lwip/netif.h"
#include "lwip/prot/ip4.h"
#include "lwip/prot/udp.h"
#include "lwip/sys.h"
#include "lwip/tcpip.h"
#include "lwip/udp.h"
#include "net/netif_input.h"
#include "net/stack.h"
#include "netif/ethernet.h"
#include "tests/guest/nowhere_netif.h"

#define TEST_PORT     7301
#define PAYLOAD_BYTES 32

static unsigned int datagrams;

static void count_datagram(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr,
                           u16_t port)
{
    (void)arg, (void)pcb, (void)addr, (void)port;
    datagrams++;
    pbuf_free(p);
}

/* The test interface's MAC address (nowhere_netif_init). */
static u8_t test_mac[ETH_HWADDR_LEN] = {0x02, 0, 0, 0x77, 0, 2};

/* A UDP datagram from 10.77.0.1 to the interface's 10.77.0.2, its checksum right or not. */
static struct pbuf *udp_frame(const struct netif *netif, bool right_sum)
{
    const u16_t ip_len = IP_HLEN + UDP_HLEN + PAYLOAD_BYTES;
    struct pbuf *p = nowhere_netif_frame(netif, ETHTYPE_IP, ip_len);
    ip_addr_t src, dst;

    if (p == NULL)
        return NULL;
    struct ip_hdr *ip = (struct ip_hdr *)((u8_t *)p->payload + SIZEOF_ETH_HDR);
    IP_ADDR4(&src, 10, 77, 0, 1);
    IP_ADDR4(&dst, 10, 77, 0, 2);
    IPH_VHL_SET(ip, 4, IP_HLEN / 4);
    IPH_LEN_SET(ip, lwip_htons(ip_len));
    IPH_TTL_SET(ip, 64);
    IPH_PROTO_SET(ip, IP_PROTO_UDP);
    ip4_addr_copy(ip->src, *ip_2_ip4(&src));
    ip4_addr_copy(ip->dest, *ip_2_ip4(&dst));
    IPH_CHKSUM_SET(ip, inet_chksum(ip, IP_HLEN));
    struct udp_hdr *udp = (struct udp_hdr *)((u8_t *)ip + IP_HLEN);
    udp->src = PP_HTONS(9);
    udp->dest = PP_HTONS(TEST_PORT);
    udp->len = lwip_htons(UDP_HLEN + PAYLOAD_BYTES);
    for (unsigned int i = 0; i < PAYLOAD_BYTES; i++)
        ((u8_t *)(udp + 1))[i] = (u8_t)(i * 7 + 1);

    pbuf_remove_header(p, SIZEOF_ETH_HDR + IP_HLEN);
    u16_t sum = ip_chksum_pseudo(p, IP_PROTO_UDP, p->tot_len, &src, &dst);
    pbuf_add_header(p, SIZEOF_ETH_HDR + IP_HLEN);
    if (sum == 0)
        sum = 0xffff; /* UDP's 0 means "no checksum" */
    /* Wrong: any other value but 0, which would mean none. */
    udp->chksum = right_sum ? sum : (u16_t)(sum == 0x1234 ? 0x4321 : 0x1234);
    return p;
}

static void signal_sem(void *arg)
{
    sys_sem_signal(arg);
}

/* Hand in one frame and wait until the tcpip thread has taken it; the datagrams since. */
static unsigned int arrived(struct netif *netif, bool right_sum, bool vouched)
{
    unsigned int before = datagrams;
    struct pbuf *p = udp_frame(netif, right_sum);
    sys_sem_t done;

    if (p == NULL || netif_input_frame(netif, p, NETIF_INPUT_ETHERNET, vouched) != ERR_OK)
        return 99;
    /* The tcpip thread's queue keeps its order: the callback runs after the frame. */
    if (sys_sem_new(&done, 0) != ERR_OK)
        return 99;
    if (tcpip_callback(signal_sem, &done) == ERR_OK)
        sys_arch_sem_wait(&done, 5000);
    sys_sem_free(&done);
    return datagrams - before;
}

KERNEL_TEST(net_input_checks_udp_checksums_unless_the_link_vouches)
{
    static struct netif netif;
    ip4_addr_t addr, mask, gw;
    struct udp_pcb *pcb;

    net_stack_start();
    IP4_ADDR(&addr, 10, 77, 0, 2);
    IP4_ADDR(&mask, 255, 255, 255, 0);
    IP4_ADDR(&gw, 0, 0, 0, 0);
    LOCK_TCPIP_CORE();
    TEST_ASSERT(netif_add(&netif, &addr, &mask, &gw, test_mac, nowhere_netif_init, tcpip_input) !=
                NULL);
    netif_set_link_up(&netif);
    netif_set_up(&netif);
    pcb = udp_new();
    TEST_ASSERT(pcb != NULL);
    TEST_ASSERT_EQ(udp_bind(pcb, IP4_ADDR_ANY, TEST_PORT), ERR_OK);
    udp_recv(pcb, count_datagram, NULL);
    UNLOCK_TCPIP_CORE();

    TEST_ASSERT_EQ(arrived(&netif, true, false), 1);
    TEST_ASSERT_EQ(arrived(&netif, false, false), 0); /* checked, and dropped */
    TEST_ASSERT_EQ(arrived(&netif, false, true), 1);  /* vouched for: not checked */
    TEST_ASSERT_EQ(arrived(&netif, true, true), 1);
    TEST_ASSERT_EQ(arrived(&netif, false, false), 0); /* checked again after one vouched for */
    TEST_ASSERT_EQ(netif.chksum_flags, NETIF_CHECKSUM_ENABLE_ALL);

    LOCK_TCPIP_CORE();
    udp_remove(pcb);
    netif_remove(&netif);
    UNLOCK_TCPIP_CORE();
}
