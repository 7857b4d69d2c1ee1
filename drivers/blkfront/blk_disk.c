/*
 * A disk's connection (blk_disk.h). The backend (Linux's blkback, for one) publishes
 * max-ring-page-order and feature-max-indirect-segments before it goes to InitWait,
 * and everything about the disk (sectors, info, sector-size, the flush and discard
 * features) only when it goes to Connected: each is read at that moment.
 */
#include <xen/io/protocols.h>

#include "arch/page.h"
#include "lib/errno.h"
#include "lib/panic.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "lib/vsnprintf.h"
#include "mm/heap.h"
#include "mm/page_alloc.h"
#include "xen/events.h"
#include "xen/gnttab.h"
#include "xen/time.h"
#include "kernel/cmdline.h"
#include "drivers/blkfront/blk_disk.h"
#include "drivers/blkfront/blk_io.h"
#include "drivers/blkfront/blk_vdev.h"
#include "drivers/xenbus/xenbus_grant.h"

/*
 * A backend that has not connected by then is not coming. Generous: dom0's hotplug
 * scripts (bash) run between the backend's InitWait and Connected, and on a loaded
 * host they were seen to take over 10 s.
 */
#define CONNECT_TIMEOUT_NS (60 * NSEC_PER_SEC)
/* How long a closing backend gets to give back the pages it maps. */
#define UNMAP_TIMEOUT_NS (2 * NSEC_PER_SEC)
/* sectors is in 512-byte units; more than this many bytes would not fit 64 bits. */
#define MAX_SECTORS (UINT64_C(1) << 54)

/* Whether we offer persistent grants: blkfront.persistent=0 turns them off, to compare. */
static unsigned long persistent_wanted = 1;
KERNEL_PARAM_ULONG(persistent_wanted, "blkfront.persistent",
                   "reuse bounce pages granted for good when the backend can (1), or not (0)");

/* A decimal number from the backend's directory; -ENOENT if absent. */
static int read_backend_u64(struct blk_disk *d, const char *key, uint64_t *value)
{
    char path[128];

    snprintf(path, sizeof(path), "%s/%s", d->xb.backend, key);
    return xenstore_read_u64(XS_NO_TRANSACTION, path, UINT64_MAX, value);
}

/* A number the backend may leave out (then def); a malformed one counts as left out. */
static uint64_t read_backend_opt(struct blk_disk *d, const char *key, uint64_t def)
{
    uint64_t v;

    return read_backend_u64(d, key, &v) == 0 ? v : def;
}

static int setup_ring(struct blk_disk *d)
{
    unsigned int pages, entries;
    size_t bytes;
    int rc;

    d->ring_order =
        d->offered_ring_order < BLK_MAX_RING_ORDER ? d->offered_ring_order : BLK_MAX_RING_ORDER;
    pages = 1u << d->ring_order;
    bytes = (size_t)pages * PAGE_SIZE;
    entries = blk_ring_entries(bytes);
    d->sring = alloc_pages(d->ring_order);
    d->slots = xzalloc(entries * sizeof(*d->slots), 0);
    d->shadows = xzalloc(entries * sizeof(*d->shadows), 0);
    if (!d->sring || !d->slots || !d->shadows)
        return -ENOMEM;
    memset(d->sring, 0, bytes);
    blk_ring_init(&d->ring, d->sring, bytes, d->slots);
    for (unsigned int i = 0; i < pages; i++) {
        void *page = (uint8_t *)d->sring + i * PAGE_SIZE;

        rc = gnttab_grant_access(d->xb.backend_id, pfn_to_mfn(virt_to_pfn(page)), false,
                                 &d->ring_refs[i]);
        if (rc)
            return rc;
        d->info.ring_pages = i + 1;
    }
    return evtchn_alloc_unbound(d->xb.backend_id, blk_io_event, d, &d->port);
}

/* The frontend's keys (xen/io/blkif.h), published in one transaction with Initialised. */
static int write_keys(struct xenbus_device *xb, xs_transaction_t t, void *arg)
{
    struct blk_disk *d = arg;
    char path[96];
    int rc;

    if (d->ring_order == 0) {
        snprintf(path, sizeof(path), "%s/ring-ref", xb->nodename);
        rc = xenstore_printf(t, path, "%u", d->ring_refs[0]);
    } else {
        snprintf(path, sizeof(path), "%s/ring-page-order", xb->nodename);
        rc = xenstore_printf(t, path, "%u", d->ring_order);
        for (unsigned int i = 0; rc == 0 && i < d->info.ring_pages; i++) {
            snprintf(path, sizeof(path), "%s/ring-ref%u", xb->nodename, i);
            rc = xenstore_printf(t, path, "%u", d->ring_refs[i]);
        }
    }
    if (rc == 0) {
        snprintf(path, sizeof(path), "%s/event-channel", xb->nodename);
        rc = xenstore_printf(t, path, "%u", d->port);
    }
    if (rc == 0) {
        snprintf(path, sizeof(path), "%s/protocol", xb->nodename);
        rc = xenstore_write(t, path, XEN_IO_PROTO_ABI_NATIVE);
    }
    if (rc == 0) {
        /* Said before the backend's offer is known: it publishes its own at Connected. */
        snprintf(path, sizeof(path), "%s/feature-persistent", xb->nodename);
        rc = xenstore_printf(t, path, "%u", persistent_wanted ? 1 : 0);
    }
    return rc;
}

/* What the backend says once Connected; -EINVAL for a disk we cannot drive. */
static int read_disk(struct blk_disk *d)
{
    struct blk_info *info = &d->info;
    uint64_t sectors, vdisk_info;
    char path[128], mode[8] = "";
    int rc = read_backend_u64(d, "sectors", &sectors);

    if (rc)
        return rc;
    vdisk_info = read_backend_opt(d, "info", 0);
    info->sector_size = (unsigned int)read_backend_opt(d, "sector-size", 512);
    info->physical_sector_size =
        (unsigned int)read_backend_opt(d, "physical-sector-size", info->sector_size);
    /* A logical sector must fill whole 512-byte units and fit in one page. */
    if (info->sector_size < 512 || info->sector_size > PAGE_SIZE ||
        (info->sector_size & (info->sector_size - 1)) || sectors >= MAX_SECTORS) {
        printk("blkfront: %s: sector-size %u, sectors %llu: not a disk this driver drives\n",
               info->name, info->sector_size, (unsigned long long)sectors);
        return -EINVAL;
    }
    info->size = sectors * 512; /* in 512-byte units whatever sector-size says */
    snprintf(path, sizeof(path), "%s/mode", d->xb.backend);
    xenstore_read_buf(XS_NO_TRANSACTION, path, mode, sizeof(mode)); /* absent: writable */
    info->readonly = (vdisk_info & VDISK_READONLY) || strcmp(mode, "r") == 0;

    d->offered_flush = read_backend_opt(d, "feature-flush-cache", 0) != 0;
    d->offered_barrier = read_backend_opt(d, "feature-barrier", 0) != 0;
    d->offered_discard = read_backend_opt(d, "feature-discard", 0) != 0;
    d->offered_persistent = read_backend_opt(d, "feature-persistent", 0) != 0;
    d->offered_indirect = (unsigned int)read_backend_opt(d, "feature-max-indirect-segments", 0);
    info->persistent = d->offered_persistent && persistent_wanted;
    info->flush = d->offered_flush || d->offered_barrier;
    d->flush_op = d->offered_flush ? BLKIF_OP_FLUSH_DISKCACHE : BLKIF_OP_WRITE_BARRIER;
    info->discard = d->offered_discard && !info->readonly;
    if (info->discard) {
        info->discard_granularity = (unsigned int)read_backend_opt(d, "discard-granularity", 0);
        info->discard_alignment = (unsigned int)read_backend_opt(d, "discard-alignment", 0);
    }
    info->max_segments = BLKIF_MAX_SEGMENTS_PER_REQUEST;
    if (d->offered_indirect > BLKIF_MAX_SEGMENTS_PER_REQUEST)
        info->max_segments = d->offered_indirect < BLK_MAX_INDIRECT_SEGMENTS
                                 ? d->offered_indirect
                                 : BLK_MAX_INDIRECT_SEGMENTS;
    return 0;
}

/*
 * The bounce pages' pool; each ring request's array of them, and with indirect
 * descriptors its indirect page, granted for good (persistent or not: it only ever
 * holds segment lists).
 */
static int setup_shadows(struct blk_disk *d)
{
    unsigned int segs = d->info.max_segments;
    bool indirect = segs > BLKIF_MAX_SEGMENTS_PER_REQUEST;
    int rc = blk_pool_init(&d->pool, d->xb.backend_id,
                           d->info.persistent ? BLK_MAX_PERSISTENT_PAGES : 0);

    if (rc)
        return rc;
    BUILD_BUG_ON(BLK_MAX_INDIRECT_SEGMENTS * sizeof(struct blkif_request_segment) > PAGE_SIZE);
    for (unsigned int id = 0; id < d->ring.size; id++) {
        struct blk_shadow *sh = &d->shadows[id];

        sh->bounce = xzalloc(segs * sizeof(*sh->bounce), 0);
        if (!sh->bounce)
            return -ENOMEM;
        if (!indirect)
            continue;
        sh->indirect = alloc_page();
        if (!sh->indirect)
            return -ENOMEM;
        /*
         * The backend only reads the segment list, but Linux's blkback maps every grant
         * writable once persistent grants are on, and a read-only one would fail.
         */
        if (gnttab_grant_access(d->xb.backend_id, pfn_to_mfn(virt_to_pfn(sh->indirect)),
                                !d->info.persistent, &sh->indirect_gref)) {
            free_page(sh->indirect);
            sh->indirect = NULL;
            return -ENOSPC;
        }
    }
    return 0;
}

/*
 * Give back everything the ring held. A page whose grant the backend will not give
 * back by deadline_ns is withheld: never freed, never reused.
 */
static void release_ring(struct blk_disk *d, uint64_t deadline_ns)
{
    bool ring_free = true;

    if (d->port) {
        evtchn_close(d->port);
        d->port = 0;
    }
    for (unsigned int id = 0; d->shadows && id < d->ring.size; id++) {
        struct blk_shadow *sh = &d->shadows[id];

        if (sh->indirect) {
            if (xenbus_end_grant(sh->indirect_gref, deadline_ns))
                free_page(sh->indirect);
            else
                blk_io_withhold(d, 1);
        }
        xfree(sh->bounce);
    }
    blk_io_withhold(d, blk_pool_release(&d->pool, deadline_ns));
    for (unsigned int i = 0; i < d->info.ring_pages; i++)
        ring_free &= xenbus_end_grant(d->ring_refs[i], deadline_ns);
    if (d->sring && ring_free)
        free_pages(d->sring, d->ring_order);
    else if (d->sring)
        blk_io_withhold(d, 1u << d->ring_order);
    d->sring = NULL;
    d->info.ring_pages = 0;
    xfree(d->shadows);
    xfree(d->slots);
    d->shadows = NULL;
    d->slots = NULL;
}

int blk_disk_connect(struct blk_disk *d, unsigned int index)
{
    uint64_t deadline = xen_system_time_ns() + CONNECT_TIMEOUT_NS;
    int rc;

    d->index = index;
    d->info.vdev = index;
    if (blk_vdev_name(index, d->info.name, sizeof(d->info.name)))
        snprintf(d->info.name, sizeof(d->info.name), "vbd%u", index);
    d->state = BLK_CONNECTING;
    wait_queue_init(&d->io_wq);
    wait_queue_init(&d->room_wq);
    rc = xenbus_device_init(&d->xb, "vbd", index);
    if (rc)
        goto fail;
    rc = xenbus_wait_backend_state(&d->xb, XenbusStateInitWait, deadline, NULL);
    if (rc)
        goto fail;
    /* Published before InitWait: the ring's size must be known before our keys. */
    d->offered_ring_order = (unsigned int)read_backend_opt(d, "max-ring-page-order", 0);
    rc = setup_ring(d);
    if (rc)
        goto fail_ring;
    rc = xenbus_connect(&d->xb, write_keys, d, deadline);
    if (rc)
        goto fail_ring;
    rc = read_disk(d);
    if (rc == 0)
        rc = setup_shadows(d);
    if (rc == 0)
        rc = blk_io_start(d);
    if (rc)
        goto fail_connected;
    d->state = BLK_CONNECTED;
    return 0;

fail_connected:
    xenbus_disconnect(&d->xb, xen_system_time_ns() + UNMAP_TIMEOUT_NS);
fail_ring:
    release_ring(d, xen_system_time_ns() + UNMAP_TIMEOUT_NS);
fail:
    /* Closed, so that the toolstack sees we gave up and the disk is not probed again. */
    if (xenbus_switch_state(&d->xb, XS_NO_TRANSACTION, XenbusStateClosing) == 0)
        xenbus_switch_state(&d->xb, XS_NO_TRANSACTION, XenbusStateClosed);
    xenbus_device_release(&d->xb);
    d->state = BLK_FAILED;
    printk("blkfront: %s: not connected: %s\n", d->info.name, errno_name(rc));
    return rc;
}

void blk_disk_close(struct blk_disk *d, const char *why, uint64_t deadline_ns)
{
    unsigned long withheld_before = d->pages_withheld;

    if (d->state != BLK_CONNECTED && d->state != BLK_CLOSING)
        return;
    printk("blkfront: %s: closing: %s\n", d->info.name, why);
    d->state = BLK_CLOSING;
    wait_queue_wake_all(&d->room_wq); /* submitters waiting for room give up */
    blk_io_stop(d, why, deadline_ns);
    /*
     * blkback answers our Closing with its own, and unmaps the ring only when it sees
     * us Closed, then says Closed: wait for that before ending the grants. A backend
     * the toolstack removed has no state left to wait for.
     */
    xenbus_disconnect(&d->xb, deadline_ns);
    xenbus_wait_backend_state(&d->xb, XenbusStateClosed, xen_system_time_ns() + UNMAP_TIMEOUT_NS,
                              NULL);
    release_ring(d, xen_system_time_ns() + UNMAP_TIMEOUT_NS);
    xenbus_device_release(&d->xb);
    d->state = BLK_CLOSED;
    if (d->pages_withheld > withheld_before)
        printk("blkfront: %s: closed; %lu pages withheld: the backend kept their grants\n",
               d->info.name, d->pages_withheld - withheld_before);
    else
        printk("blkfront: %s: closed, every page given back\n", d->info.name);
}

static void format_size(char *buf, size_t size, uint64_t bytes)
{
    if (bytes >= (UINT64_C(1) << 30) && bytes % (UINT64_C(1) << 30) == 0)
        snprintf(buf, size, "%llu GiB", (unsigned long long)(bytes >> 30));
    else if (bytes >= (UINT64_C(1) << 20) && bytes % (UINT64_C(1) << 20) == 0)
        snprintf(buf, size, "%llu MiB", (unsigned long long)(bytes >> 20));
    else
        snprintf(buf, size, "%llu KiB", (unsigned long long)(bytes >> 10));
}

void blk_disk_report(const struct blk_disk *d)
{
    const struct blk_info *i = &d->info;
    char size[24];

    format_size(size, sizeof(size), i->size);
    printk("blkfront: %s: %s, %u-byte sectors (physical %u), %s; backend offers ring order %u, "
           "%u indirect segments%s%s%s%s; taken: %u ring pages, %u segments a request%s%s%s\n",
           i->name, size, i->sector_size, i->physical_sector_size, i->readonly ? "ro" : "rw",
           d->offered_ring_order, d->offered_indirect, d->offered_flush ? ", flush-cache" : "",
           d->offered_barrier ? ", barrier" : "", d->offered_discard ? ", discard" : "",
           d->offered_persistent ? ", persistent" : "", i->ring_pages, i->max_segments,
           i->flush ? (d->flush_op == BLKIF_OP_FLUSH_DISKCACHE ? ", flush-cache" : ", barrier")
                    : "",
           i->discard ? ", discard" : "", i->persistent ? ", persistent" : "");
}
