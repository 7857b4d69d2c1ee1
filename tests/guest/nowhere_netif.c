/* An Ethernet interface for the network tests (nowhere_netif.h). */
#include "tests/guest/nowhere_netif.h"

#include "lib/string.h"
#include "lwip/etharp.h"
#include "lwip/ethip6.h"
#include "netif/ethernet.h"

static err_t send_nowhere(struct netif *netif, struct pbuf *p)
{
    (void)netif, (void)p;
    return ERR_OK;
}

err_t nowhere_netif_init(struct netif *netif)
{
    netif->name[0] = 't';
    netif->name[1] = 'n';
    netif->hwaddr_len = ETH_HWADDR_LEN;
    memcpy(netif->hwaddr, netif->state, ETH_HWADDR_LEN);
    netif->mtu = 1500;
    netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
    netif->output = etharp_output;
    netif->output_ip6 = ethip6_output;
    netif->linkoutput = send_nowhere;
    return ERR_OK;
}

struct pbuf *nowhere_netif_frame(const struct netif *netif, u16_t type, u16_t len)
{
    struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)(SIZEOF_ETH_HDR + len), PBUF_RAM);

    if (p == NULL)
        return NULL;
    memset(p->payload, 0, p->len);
    struct eth_hdr *eth = p->payload;
    memcpy(eth->dest.addr, netif->hwaddr, ETH_HWADDR_LEN);
    eth->src.addr[0] = 0x02;
    eth->type = lwip_htons(type);
    return p;
}
