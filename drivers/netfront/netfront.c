/*
 * The network interfaces of this domain (netfront.h): found under device/vif/ by one
 * thread at boot and whenever that directory changes, each connected and then watched
 * by a thread of its own, so that no vif delays app_main or another vif. The calls a
 * stack makes are checked here and passed to the transmit path (nf_tx.c).
 */
#include "lib/errno.h"
#include "lib/list.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "lib/vsnprintf.h"
#include "mm/heap.h"
#include "kernel/initcall.h"
#include "kernel/thread.h"
#include "xen/time.h"
#include "drivers/netfront/netfront.h"
#include "drivers/netfront/nf_tx.h"
#include "drivers/netfront/nf_vif.h"
#include "drivers/xenbus/control.h"
#include "drivers/xenbus/xenbus_probe.h"

/* How long a vif whose backend closes gets to finish the transmits in flight. */
#define CLOSE_TIMEOUT_NS (2 * NSEC_PER_SEC)
/* An Ethernet header: two MAC addresses and the type. */
#define ETH_HEADER_BYTES 14

/* Every vif ever found, in the order found; a closed one stays, out of use. */
static struct list_node vifs = LIST_HEAD_INIT(vifs);
/* Boot's vifs: listed yet, and how many are still connecting. */
static bool boot_listed;
static unsigned int boot_connecting;
static struct wait_queue ready_wq = WAIT_QUEUE_INIT(ready_wq);
/* Woken when a vif's thread ends. */
static struct wait_queue closed_wq = WAIT_QUEUE_INIT(closed_wq);
/* Who hears of vifs that connect (netfront_on_connect). */
static void (*connect_fn)(struct netfront *nf, void *arg);
static void *connect_arg;

bool netfront_is_usable(const struct netfront *nf)
{
    return nf && nf->state == NF_CONNECTED;
}

unsigned int netfront_count(void)
{
    struct list_node *n;
    unsigned int count = 0;

    list_for_each(n, &vifs) count += netfront_is_usable(list_entry(n, struct netfront, link));
    return count;
}

struct netfront *netfront_get(unsigned int index)
{
    struct list_node *n;

    list_for_each(n, &vifs)
    {
        struct netfront *nf = list_entry(n, struct netfront, link);

        if (netfront_is_usable(nf) && index-- == 0)
            return nf;
    }
    return NULL;
}

const struct netfront_info *netfront_info(const struct netfront *nf)
{
    return &nf->info;
}

void netfront_stats(const struct netfront *nf, struct netfront_stats *out)
{
    *out = nf->stats;
}

unsigned int netfront_wait_ready(uint64_t deadline_ns)
{
    wait_event_deadline(&ready_wq, boot_listed && boot_connecting == 0, deadline_ns);
    return netfront_count();
}

void netfront_bind(struct netfront *nf, const struct netfront_ops *ops, void *arg)
{
    nf->ops_arg = arg;
    nf->ops = ops;
}

void netfront_on_connect(void (*fn)(struct netfront *nf, void *arg), void *arg)
{
    connect_arg = arg;
    connect_fn = fn;
}

#define TX_GSO (NETFRONT_TX_GSO_TCPV4 | NETFRONT_TX_GSO_TCPV6)

/* Whether the backend takes tx's flags: what it offered, one GSO type, with a size. */
static bool tx_flags_taken(const struct netfront_info *info, const struct netfront_tx *tx)
{
    unsigned int f = tx->flags;

    if (f & ~(unsigned int)(NETFRONT_TX_CSUM_BLANK | TX_GSO))
        return false;
    if ((f & NETFRONT_TX_CSUM_BLANK) && !info->tx_csum_blank)
        return false;
    if (!(f & TX_GSO))
        return true;
    if ((f & TX_GSO) == TX_GSO || !(f & NETFRONT_TX_CSUM_BLANK) || tx->gso_size == 0 ||
        tx->gso_size > 0xffff)
        return false;
    return f & NETFRONT_TX_GSO_TCPV4 ? info->tx_gso_tcpv4 : info->tx_gso_tcpv6;
}

int netfront_transmit(struct netfront *nf, struct netfront_tx *tx)
{
    unsigned int len = 0, max_len;

    if (!nf || !tx || !tx->done || !tx->segs || tx->nsegs == 0 ||
        tx->nsegs > NETFRONT_TX_MAX_SEGS || !tx_flags_taken(&nf->info, tx))
        return -EINVAL;
    max_len = tx->flags & TX_GSO ? NETFRONT_GSO_MAX_FRAME : nf->info.mtu + ETH_HEADER_BYTES;
    for (unsigned int s = 0; s < tx->nsegs; s++) {
        if (!tx->segs[s].data && tx->segs[s].len)
            return -EINVAL;
        len += tx->segs[s].len;
        if (len > max_len)
            return -EINVAL;
    }
    if (len < ETH_HEADER_BYTES)
        return -EINVAL;
    if (!netfront_is_usable(nf))
        return -ENODEV;
    return nf_tx_submit(nf, tx);
}

/*
 * Connect one vif, then follow its backend's state until it closes or goes away, or
 * until netfront_close_all asks. Only this thread closes the vif.
 */
static void vif_thread(void *arg)
{
    struct netfront *nf = arg;
    int rc = nf_vif_connect(nf, nf->info.handle);

    if (rc == 0) {
        nf_vif_report(nf);
        if (connect_fn)
            connect_fn(nf, connect_arg);
    }
    if (nf->found_at_boot) {
        boot_connecting--;
        wait_queue_wake_all(&ready_wq);
    }
    while (rc == 0) {
        enum xenbus_state s;

        if (nf->close_why) {
            nf_vif_close(nf, nf->close_why, xen_system_time_ns() + CLOSE_TIMEOUT_NS);
            break;
        }
        /* The backend's state changed, or netfront_close_all fired the watch to ask for a
         * close. */
        rc = xenstore_watch_wait(&nf->xb.watch, 0);
        if (rc || nf->close_why || xenbus_read_backend_state(&nf->xb, &s) != 0)
            continue;
        if (s == XenbusStateClosing || s == XenbusStateClosed || s == XenbusStateUnknown)
            nf_vif_close(nf,
                         s == XenbusStateUnknown ? "the backend is gone" : "the backend is closing",
                         xen_system_time_ns() + CLOSE_TIMEOUT_NS);
        if (nf->state == NF_CLOSED)
            break;
    }
    nf->thread_done = true;
    wait_queue_wake_all(&closed_wq);
}

static bool all_closed(void)
{
    struct list_node *n;

    list_for_each(n, &vifs)
    {
        if (!list_entry(n, struct netfront, link)->thread_done)
            return false;
    }
    return true;
}

int netfront_close_all(uint64_t deadline_ns)
{
    struct list_node *n;

    list_for_each(n, &vifs)
    {
        struct netfront *nf = list_entry(n, struct netfront, link);

        if (!nf->close_why) {
            nf->close_why = "the domain closes its interfaces";
            xenstore_watch_fire(&nf->xb.watch);
        }
    }
    return wait_event_deadline(&closed_wq, all_closed(), deadline_ns) ? 0 : -ETIMEDOUT;
}

/* xl shutdown: every backend sees us close. */
static void close_for_shutdown(void)
{
    netfront_close_all(xen_system_time_ns() + CLOSE_TIMEOUT_NS + NSEC_PER_SEC);
}
static struct control_hook shutdown_hook = {.fn = close_for_shutdown};

/* Whether a live vif (connecting, connected or going down) has that number. */
static bool is_live(unsigned int index)
{
    struct list_node *n;

    list_for_each(n, &vifs)
    {
        struct netfront *nf = list_entry(n, struct netfront, link);

        if (nf->info.handle == index && nf->state != NF_CLOSED && nf->state != NF_FAILED)
            return true;
    }
    return false;
}

/* A vif the toolstack set up: start it, unless a live vif has its number. */
static void found(unsigned int index, bool at_boot)
{
    struct netfront *nf;
    struct thread *t;
    char name[THREAD_NAME_MAX];

    if (is_live(index))
        return;
    nf = xzalloc(sizeof(*nf), 0);
    if (!nf) {
        printk("netfront: no memory for vif %u\n", index);
        return;
    }
    nf->info.handle = index;
    nf->state = NF_CONNECTING;
    nf->found_at_boot = at_boot;
    snprintf(name, sizeof(name), "vif-%u", index);
    t = thread_create(name, vif_thread, nf);
    if (!t) {
        xfree(nf);
        return;
    }
    thread_detach(t);
    list_add_tail(&vifs, &nf->link);
    boot_connecting += at_boot;
}

static struct xenbus_probe probe = {.dir = "device/vif", .driver = "netfront", .found = found};

static void netfront_thread(void *arg)
{
    (void)arg;
    xenbus_probe_scan(&probe, true);
    boot_listed = true;
    wait_queue_wake_all(&ready_wq);
    xenbus_probe_watch(&probe);
}

static int netfront_start(void)
{
    struct thread *t;

    if (!xenstore_connected()) {
        boot_listed = true; /* no toolstack, no vifs */
        return 0;
    }
    control_on_shutdown(&shutdown_hook);
    t = thread_create("netfront", netfront_thread, NULL);
    if (!t) {
        boot_listed = true;
        return -ENOMEM;
    }
    thread_detach(t);
    return 0;
}
KERNEL_INIT(2, netfront_start);
