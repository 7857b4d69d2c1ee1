/*
 * The domain's network interfaces in lwIP: one per vif (net/netif_netfront.c), each
 * given its addresses here, each address printed as lwIP reports it up. Everything
 * that touches lwIP's interfaces runs with its core lock held: in the tcpip thread
 * (its callbacks), or between LOCK_TCPIP_CORE and UNLOCK_TCPIP_CORE.
 */
#include "net/net.h"

#include "drivers/netfront/netfront.h"
#include "kernel/cmdline.h"
#include "kernel/wait.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "lwip/dhcp.h"
#include "lwip/ip_addr.h"
#include "lwip/netif.h"
#include "lwip/tcpip.h"
#include "net/addr_text.h"
#include "net/netif_netfront.h"
#include "net/stack.h"

static char cmdline_ip[64], cmdline_netmask[16], cmdline_gw[16], cmdline_ip6[64];
KERNEL_PARAM_STRING(cmdline_ip, "ip", "first interface's IPv4 address, A.B.C.D[/prefix length]");
KERNEL_PARAM_STRING(cmdline_netmask, "netmask", "first interface's IPv4 netmask (with ip=)");
KERNEL_PARAM_STRING(cmdline_gw, "gw", "first interface's IPv4 gateway (with ip=)");
KERNEL_PARAM_STRING(cmdline_ip6, "ip6",
                    "first interface's IPv6 address, beside its link-local one");

/* Set once an interface other than the loopback has a usable address. */
static bool address_up;
static struct wait_queue address_wq = WAIT_QUEUE_INIT(address_wq);
static netif_ext_callback_t address_reporter;

/* An IPv4 address as A.B.C.D or A.B.C.D/N; N alone gives the netmask. */
static bool parse_ip4(const char *text, ip4_addr_t *addr, ip4_addr_t *mask)
{
    char copy[64];
    strlcpy(copy, text, sizeof(copy));
    /* The vif's ip= may list several addresses, space-separated: the first is ours. */
    char *end = strchr(copy, ' ');
    if (end != NULL)
        *end = '\0';
    char *slash = strchr(copy, '/');
    unsigned long prefix = 24; /* no length given: a /24, as on Xen's bridges */
    if (slash != NULL) {
        *slash = '\0';
        if (parse_ulong(slash + 1, strlen(slash + 1), 10, &prefix) != 0 || prefix > 32)
            return false;
    }
    if (!ip4addr_aton(copy, addr))
        return false;
    ip4_addr_set_u32(mask, prefix == 0 ? 0 : lwip_htonl(0xffffffffu << (32 - prefix)));
    return true;
}

/* The interface's IPv4 settings: the command line's (first only), the vif's, or DHCP. */
static void configure_ip4(struct netif *netif, const struct netfront_info *info, bool first)
{
    ip4_addr_t addr, mask, gw;
    const char *from = NULL;

    ip4_addr_set_zero(&gw);
    if (first && cmdline_ip[0] != '\0') {
        if (parse_ip4(cmdline_ip, &addr, &mask))
            from = "command line";
        else
            printk("net: ip=%s is not an IPv4 address\n", cmdline_ip);
        if (cmdline_netmask[0] != '\0' && !ip4addr_aton(cmdline_netmask, &mask))
            printk("net: netmask=%s is not an IPv4 netmask\n", cmdline_netmask);
        if (cmdline_gw[0] != '\0' && !ip4addr_aton(cmdline_gw, &gw))
            printk("net: gw=%s is not an IPv4 address\n", cmdline_gw);
    }
    if (from == NULL && info->ip[0] != '\0') {
        if (parse_ip4(info->ip, &addr, &mask))
            from = "vif";
        else
            printk("net: %s: ip=%s is not an IPv4 address\n", info->name, info->ip);
    }
    if (from != NULL) {
        netif_set_addr(netif, &addr, &mask, &gw);
    } else if (dhcp_start(netif) != ERR_OK) {
        printk("net: %s: DHCP could not start\n", info->name);
    }
}

/* Link-local IPv6 always; the command line's address too on the first interface. */
static void configure_ip6(struct netif *netif, bool first)
{
    netif_create_ip6_linklocal_address(netif, 1);
    netif_set_ip6_autoconfig_enabled(netif, 1);
    if (first && cmdline_ip6[0] != '\0') {
        char copy[64];
        strlcpy(copy, cmdline_ip6, sizeof(copy));
        char *slash = strchr(copy, '/'); /* lwIP learns prefixes from routers, not here */
        if (slash != NULL)
            *slash = '\0';
        ip6_addr_t addr;
        s8_t index;
        if (!ip6addr_aton(copy, &addr) || netif_add_ip6_address(netif, &addr, &index) != ERR_OK)
            printk("net: ip6=%s is not an IPv6 address lwIP takes\n", cmdline_ip6);
        else
            netif_ip6_addr_set_state(netif, index, IP6_ADDR_PREFERRED);
    }
}

/* A vif as an interface, addressed and up; with the core lock held. */
static bool interface_up(struct netfront *nf, bool first)
{
    const struct netfront_info *info = netfront_info(nf);
    struct netif *netif = netif_netfront_add(nf);
    if (netif == NULL) {
        printk("net: %s: no memory for its interface\n", info->name);
        return false;
    }
    printk("net: %c%c%u is %s, MAC %02x:%02x:%02x:%02x:%02x:%02x, MTU %u\n", netif->name[0],
           netif->name[1], netif->num, info->name, info->mac[0], info->mac[1], info->mac[2],
           info->mac[3], info->mac[4], info->mac[5], info->link_mtu);
    if (first)
        netif_set_default(netif);
    netif_set_up(netif);
    netif_set_link_up(netif);
    configure_ip4(netif, info, first);
    configure_ip6(netif, first);
    return true;
}

/* A vif attached later: run in the tcpip thread (the frontend's callback cannot wait). */
static void interface_up_later(void *arg)
{
    interface_up(arg, false);
}

static void vif_connected(struct netfront *nf, void *arg)
{
    (void)arg;
    if (tcpip_try_callback(interface_up_later, nf) != ERR_OK)
        printk("net: %s: no room to bring it up\n", netfront_info(nf)->name);
}

/*
 * The link goes down only when the vif's backend is gone (net/netif_netfront.c:
 * netfront_down): the interface's addresses go with it. lwIP aborts the TCP
 * connections bound to an address that goes, so that their sockets fail now
 * (ECONNABORTED) rather than when TCP gives up retransmitting, after its 12 tries
 * with doubling waits: many minutes. With the core lock held.
 */
static void forget_addresses(struct netif *netif)
{
    dhcp_release_and_stop(netif);
    netif_set_addr(netif, IP4_ADDR_ANY4, IP4_ADDR_ANY4, IP4_ADDR_ANY4);
    for (s8_t i = 0; i < LWIP_IPV6_NUM_ADDRESSES; i++)
        netif_ip6_addr_set_state(netif, i, IP6_ADDR_INVALID);
    printk("net: %c%c%u lost its link, and its addresses with it\n", netif->name[0], netif->name[1],
           netif->num);
}

/* lwIP's report of an interface's change (tcpip thread, or a LOCK_TCPIP_CORE section). */
static void report_address(struct netif *netif, netif_nsc_reason_t reason,
                           const netif_ext_callback_args_t *args)
{
    char text[NET_ADDR_TEXT_MAX];

    if (netif->name[0] == 'l' && netif->name[1] == 'o')
        return;
    if ((reason & LWIP_NSC_LINK_CHANGED) && !args->link_changed.state) {
        forget_addresses(netif);
        return;
    }
    if ((reason & (LWIP_NSC_IPV4_ADDRESS_CHANGED | LWIP_NSC_IPV4_SETTINGS_CHANGED)) &&
        !ip4_addr_isany_val(*netif_ip4_addr(netif))) {
        char mask[IP4ADDR_STRLEN_MAX], gw[IP4ADDR_STRLEN_MAX];
        ip4addr_ntoa_r(netif_ip4_addr(netif), text, sizeof(text));
        ip4addr_ntoa_r(netif_ip4_netmask(netif), mask, sizeof(mask));
        ip4addr_ntoa_r(netif_ip4_gw(netif), gw, sizeof(gw));
        printk("net: %c%c%u has %s netmask %s gateway %s\n", netif->name[0], netif->name[1],
               netif->num, text, mask, gw);
        address_up = true;
    }
    if (reason & LWIP_NSC_IPV6_ADDR_STATE_CHANGED) {
        s8_t index = args->ipv6_addr_state_changed.addr_index;
        const ip_addr_t *addr = netif_ip_addr6(netif, index);
        if (!ip6_addr_isvalid(netif_ip6_addr_state(netif, index)) ||
            ip6_addr_isvalid(args->ipv6_addr_state_changed.old_state))
            return;
        printk("net: %c%c%u has %s\n", netif->name[0], netif->name[1], netif->num,
               net_addr_text(addr, text, sizeof(text)));
        if (!ip6_addr_islinklocal(ip_2_ip6(addr)))
            address_up = true;
    }
    if (address_up)
        wait_queue_wake_all(&address_wq);
}

unsigned int net_start(void)
{
    unsigned int up = 0;

    net_stack_start();
    LOCK_TCPIP_CORE();
    netif_add_ext_callback(&address_reporter, report_address);
    UNLOCK_TCPIP_CORE();

    unsigned int count = netfront_wait_ready(0);
    for (unsigned int i = 0; i < count; i++) {
        struct netfront *nf = netfront_get(i);
        LOCK_TCPIP_CORE();
        up += interface_up(nf, i == 0);
        UNLOCK_TCPIP_CORE();
    }
    netfront_on_connect(vif_connected, NULL);
    return up;
}

bool net_wait_address(uint64_t deadline_ns)
{
    return wait_event_deadline(&address_wq, address_up, deadline_ns);
}
