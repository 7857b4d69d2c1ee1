/*
 * A vif's connection (nf_vif.h). Linux's netback publishes its features before it
 * goes to InitWait, reads ours when it sees us Connected (not Initialised, as blkback
 * does), and refuses a frontend that does not ask for rx-copy.
 */
#include "arch/page.h"
#include "lib/errno.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "lib/vsnprintf.h"
#include "mm/page_alloc.h"
#include "xen/events.h"
#include "xen/gnttab.h"
#include "xen/time.h"
#include "drivers/netfront/nf_io.h"
#include "drivers/netfront/nf_rx.h"
#include "drivers/netfront/nf_tx.h"
#include "drivers/netfront/nf_vif.h"
#include "drivers/xenbus/xenbus_grant.h"

/* A backend that has not connected by then is not coming (dom0's hotplug scripts are slow). */
#define CONNECT_TIMEOUT_NS (60 * NSEC_PER_SEC)
/* How long a closing backend gets to give back the pages it maps. */
#define UNMAP_TIMEOUT_NS (2 * NSEC_PER_SEC)
/* The largest IP packet: Ethernet's, or with frames over several pages, a jumbo frame's. */
#define MTU_ONE_PAGE 1500
#define MTU_SG       9000

/* Whether the backend's directory holds key with a value other than 0. */
static bool backend_offers(struct netfront *nf, const char *key)
{
    char path[128];
    uint32_t v;

    snprintf(path, sizeof(path), "%s/%s", nf->xb.backend, key);
    return xenstore_read_uint(XS_NO_TRANSACTION, path, 1, &v) == 0 && v == 1;
}

/*
 * The MTU the toolstack chose: the vif hotplug script (xen-network-common.sh:set_mtu)
 * writes it into our directory, from the vif's mtu= setting (libxl's default is 1500)
 * or the bridge's. Capped at what the rings carry.
 */
static void read_link_mtu(struct netfront *nf)
{
    char path[128];
    uint32_t mtu;

    snprintf(path, sizeof(path), "%s/mtu", nf->xb.nodename);
    if (xenstore_read_uint(XS_NO_TRANSACTION, path, UINT32_MAX, &mtu) != 0 || mtu < 68)
        mtu = MTU_ONE_PAGE;
    if (mtu > nf->info.mtu) {
        printk("netfront: %s: MTU %u is more than the rings carry; %u is used\n", nf->info.name,
               (unsigned int)mtu, nf->info.mtu);
        mtu = nf->info.mtu;
    }
    nf->info.link_mtu = mtu;
}

/* "00:16:3e:00:00:01" into mac; -EINVAL for anything else. */
static int parse_mac(const char *s, uint8_t mac[6])
{
    for (unsigned int i = 0; i < 6; i++) {
        unsigned long byte;
        const char *p = s + 3 * i;

        if (parse_ulong(p, 2, 16, &byte) || (i < 5 ? p[2] != ':' : p[2] != '\0'))
            return -EINVAL;
        mac[i] = (uint8_t)byte;
    }
    return 0;
}

/* The MAC the toolstack chose (device/vif/N/mac) and the vif's ip= (the backend's "ip"). */
static int read_identity(struct netfront *nf)
{
    char path[128], mac[24] = "";
    int rc;

    snprintf(path, sizeof(path), "%s/mac", nf->xb.nodename);
    rc = xenstore_read_buf(XS_NO_TRANSACTION, path, mac, sizeof(mac));
    if (rc == 0 && strlen(mac) != 17)
        rc = -EINVAL;
    if (rc == 0)
        rc = parse_mac(mac, nf->info.mac);
    if (rc) {
        printk("netfront: %s: no usable MAC in %s (\"%s\")\n", nf->info.name, path, mac);
        return rc;
    }
    snprintf(path, sizeof(path), "%s/ip", nf->xb.backend);
    if (xenstore_read_buf(XS_NO_TRANSACTION, path, nf->info.ip, sizeof(nf->info.ip)))
        nf->info.ip[0] = '\0'; /* no ip= in the config */
    return 0;
}

/* One ring page, zeroed and granted to the backend. */
static void *grant_ring_page(struct netfront *nf, grant_ref_t *ref, bool *granted)
{
    void *page = alloc_page();

    if (!page)
        return NULL;
    memset(page, 0, PAGE_SIZE);
    if (gnttab_grant_access(nf->xb.backend_id, pfn_to_mfn(virt_to_pfn(page)), false, ref)) {
        free_page(page);
        return NULL;
    }
    *granted = true;
    return page;
}

static int setup_rings(struct netfront *nf)
{
    int rc;

    nf->tx_sring = grant_ring_page(nf, &nf->tx_ring_ref, &nf->tx_ring_granted);
    nf->rx_sring = grant_ring_page(nf, &nf->rx_ring_ref, &nf->rx_ring_granted);
    if (!nf->tx_sring || !nf->rx_sring)
        return -ENOMEM;
    net_tx_init(&nf->tx, nf->tx_sring);
    net_rx_init(&nf->rx, nf->rx_sring);
    if (nf->info.rx_gso)
        nf->rx.gso_types = 1u << XEN_NETIF_GSO_TYPE_TCPV4 | 1u << XEN_NETIF_GSO_TYPE_TCPV6;
    rc = evtchn_alloc_unbound(nf->xb.backend_id, nf_io_event, nf, &nf->tx_port);
    if (rc)
        return rc;
    nf->rx_port = nf->tx_port;
    if (nf->info.split_events)
        rc = evtchn_alloc_unbound(nf->xb.backend_id, nf_io_event, nf, &nf->rx_port);
    if (rc)
        nf->rx_port = 0;
    return rc;
}

/* One key of ours: printf-style value under our node. */
static int write_key(xs_transaction_t t, struct netfront *nf, const char *key, unsigned int value)
{
    char path[96];

    snprintf(path, sizeof(path), "%s/%s", nf->xb.nodename, key);
    return xenstore_printf(t, path, "%u", value);
}

/* The frontend's keys (xen/io/netif.h), published in one transaction with Initialised. */
static int write_keys(struct xenbus_device *xb, xs_transaction_t t, void *arg)
{
    struct netfront *nf = arg;
    int rc = write_key(t, nf, "tx-ring-ref", nf->tx_ring_ref);

    (void)xb;
    if (rc == 0)
        rc = write_key(t, nf, "rx-ring-ref", nf->rx_ring_ref);
    if (rc == 0 && nf->info.split_events) {
        rc = write_key(t, nf, "event-channel-tx", nf->tx_port);
        if (rc == 0)
            rc = write_key(t, nf, "event-channel-rx", nf->rx_port);
    } else if (rc == 0) {
        rc = write_key(t, nf, "event-channel", nf->tx_port);
    }
    /* Frames copied into our pages (netback takes nothing else), and events for them. */
    if (rc == 0)
        rc = write_key(t, nf, "request-rx-copy", 1);
    if (rc == 0)
        rc = write_key(t, nf, "feature-rx-notify", 1);
    /* We take frames over several pages, so the backend may send up to 64 KiB ones. */
    if (rc == 0)
        rc = write_key(t, nf, "feature-sg", 1);
    /*
     * Checksum offload stays on (no feature-no-csum-offload; for IPv6 it must be asked
     * for): frames from dom0 may come with a blank checksum, which the stack above
     * need not check, and large TCP segments need it. It would also let us send blank
     * checksums, which we need not do.
     */
    if (rc == 0)
        rc = write_key(t, nf, "feature-ipv6-csum-offload", 1);
    /* Large TCP segments, one frame of up to 64 KiB each instead of one per MTU. */
    if (rc == 0 && nf->info.rx_gso)
        rc = write_key(t, nf, "feature-gso-tcpv4", 1);
    if (rc == 0 && nf->info.rx_gso)
        rc = write_key(t, nf, "feature-gso-tcpv6", 1);
    return rc;
}

/* Give back what setup_rings and nf_rx_setup took; what the backend keeps is withheld. */
static void release_rings(struct netfront *nf, uint64_t deadline_ns)
{
    if (nf->rx_port && nf->rx_port != nf->tx_port)
        evtchn_close(nf->rx_port);
    if (nf->tx_port)
        evtchn_close(nf->tx_port);
    nf->tx_port = nf->rx_port = 0;
    nf_rx_release(nf, deadline_ns);
    nf_tx_release(nf, deadline_ns);
    if (nf->tx_ring_granted && !xenbus_end_grant(nf->tx_ring_ref, deadline_ns))
        nf->pages_withheld++;
    else if (nf->tx_sring)
        free_page(nf->tx_sring);
    if (nf->rx_ring_granted && !xenbus_end_grant(nf->rx_ring_ref, deadline_ns))
        nf->pages_withheld++;
    else if (nf->rx_sring)
        free_page(nf->rx_sring);
    nf->tx_sring = NULL;
    nf->rx_sring = NULL;
    nf->tx_ring_granted = nf->rx_ring_granted = false;
}

int nf_vif_connect(struct netfront *nf, unsigned int index)
{
    uint64_t deadline = xen_system_time_ns() + CONNECT_TIMEOUT_NS;
    int rc;

    nf->info.handle = index;
    snprintf(nf->info.name, sizeof(nf->info.name), "vif%u", index);
    nf->state = NF_CONNECTING;
    wait_queue_init(&nf->io_wq);
    wait_queue_init(&nf->room_wq);
    rc = xenbus_device_init(&nf->xb, "vif", index);
    if (rc == 0)
        rc = read_identity(nf);
    if (rc == 0)
        rc = xenbus_wait_backend_state(&nf->xb, XenbusStateInitWait, deadline, NULL);
    if (rc)
        goto fail;
    /* Published before InitWait. */
    if (!backend_offers(nf, "feature-rx-copy")) {
        printk("netfront: %s: the backend does not copy frames to us (feature-rx-copy)\n",
               nf->info.name);
        rc = -ENOTSUP;
        goto fail;
    }
    nf->offered_sg = backend_offers(nf, "feature-sg");
    nf->offered_split = backend_offers(nf, "feature-split-event-channels");
    nf->offered_rx_notify = backend_offers(nf, "feature-rx-notify");
    nf->offered_ipv6_csum = backend_offers(nf, "feature-ipv6-csum-offload");
    nf->info.sg = nf->offered_sg;
    nf->info.mtu = nf->info.sg ? MTU_SG : MTU_ONE_PAGE;
    nf->info.split_events = nf->offered_split;
    nf->info.rx_csum_blank = true; /* offload left on */
    /* A large segment spans many pages: only with feature-sg. */
    nf->info.rx_gso = nf->info.sg;
    /* xen/io/netif.h: IPv4 checksum offload is on unless turned off, IPv6's only if offered. */
    nf->info.tx_csum_blank = true;
    nf->info.tx_csum_blank_ipv6 = nf->offered_ipv6_csum;
    /* Large segments span pages, and their checksums are the backend's to fill in. */
    nf->info.tx_gso_tcpv4 = nf->info.sg && backend_offers(nf, "feature-gso-tcpv4");
    nf->info.tx_gso_tcpv6 =
        nf->info.sg && nf->offered_ipv6_csum && backend_offers(nf, "feature-gso-tcpv6");
    rc = setup_rings(nf);
    if (rc == 0)
        rc = nf_rx_setup(nf);
    if (rc == 0)
        rc = nf_io_start(nf);
    if (rc)
        goto fail_rings;
    rc = xenbus_connect_first(&nf->xb, write_keys, nf, deadline);
    if (rc)
        goto fail_thread;
    /* Read once the backend is Connected: its hotplug script has run by then. */
    read_link_mtu(nf);
    nf->state = NF_CONNECTED;
    return 0;

fail_thread:
    nf_io_stop(nf, "not connected", 0);
    xenbus_disconnect(&nf->xb, xen_system_time_ns() + UNMAP_TIMEOUT_NS);
fail_rings:
    release_rings(nf, xen_system_time_ns() + UNMAP_TIMEOUT_NS);
fail:
    /* Closed, so that the toolstack sees we gave up and the vif is not probed again. */
    if (xenbus_switch_state(&nf->xb, XS_NO_TRANSACTION, XenbusStateClosing) == 0)
        xenbus_switch_state(&nf->xb, XS_NO_TRANSACTION, XenbusStateClosed);
    xenbus_device_release(&nf->xb);
    nf->state = NF_FAILED;
    printk("netfront: %s: not connected: %s\n", nf->info.name, errno_name(rc));
    return rc;
}

void nf_vif_close(struct netfront *nf, const char *why, uint64_t deadline_ns)
{
    unsigned long withheld_before = nf->pages_withheld;

    if (nf->state != NF_CONNECTED && nf->state != NF_DOWN)
        return;
    printk("netfront: %s: closing: %s\n", nf->info.name, why);
    nf_io_stop(nf, why, deadline_ns);
    /* netback unmaps the rings only once it sees us Closed, then says Closed itself. */
    xenbus_disconnect(&nf->xb, deadline_ns);
    xenbus_wait_backend_state(&nf->xb, XenbusStateClosed, xen_system_time_ns() + UNMAP_TIMEOUT_NS,
                              NULL);
    release_rings(nf, xen_system_time_ns() + UNMAP_TIMEOUT_NS);
    xenbus_device_release(&nf->xb);
    nf->state = NF_CLOSED;
    if (nf->pages_withheld > withheld_before)
        printk("netfront: %s: closed; %lu pages withheld: the backend kept their grants\n",
               nf->info.name, nf->pages_withheld - withheld_before);
    else
        printk("netfront: %s: closed, every page given back\n", nf->info.name);
}

void nf_vif_report(const struct netfront *nf)
{
    const struct netfront_info *i = &nf->info;

    printk(
        "netfront: %s: %02x:%02x:%02x:%02x:%02x:%02x, ip %s, link mtu %u; backend offers%s%s%s%s; "
        "taken: mtu %u%s, %s, rx checksum offload%s; tx offloads:%s%s%s%s\n",
        i->name, i->mac[0], i->mac[1], i->mac[2], i->mac[3], i->mac[4], i->mac[5],
        i->ip[0] ? i->ip : "none", i->link_mtu, nf->offered_sg ? " sg" : "",
        nf->offered_split ? " split-event-channels" : "", nf->offered_rx_notify ? " rx-notify" : "",
        nf->offered_ipv6_csum ? " ipv6-csum-offload" : "", i->mtu, i->sg ? ", sg" : "",
        i->split_events ? "split event channels" : "one event channel",
        i->rx_gso ? ", rx gso tcpv4 tcpv6" : "", i->tx_csum_blank ? " csum" : "",
        i->tx_csum_blank_ipv6 ? " ipv6-csum" : "", i->tx_gso_tcpv4 ? " gso-tcpv4" : "",
        i->tx_gso_tcpv6 ? " gso-tcpv6" : "");
}
