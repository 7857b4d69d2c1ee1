/*
 * The disks of this domain (blkfront.h): found under device/vbd/ by one thread at boot
 * and whenever that directory changes, each connected and then watched by a thread of
 * its own, so that no disk delays app_main or another disk. The calls applications
 * make are checked here and passed to the request path (blk_io.c).
 */
#include "lib/errno.h"
#include "lib/list.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "lib/vsnprintf.h"
#include "mm/heap.h"
#include "kernel/initcall.h"
#include "kernel/semaphore.h"
#include "kernel/thread.h"
#include "xen/time.h"
#include "drivers/blkfront/blk_disk.h"
#include "drivers/blkfront/blk_io.h"
#include "drivers/blkfront/blkfront.h"
#include "drivers/xenbus/control.h"
#include "drivers/xenbus/xenbus_probe.h"

/* How long a disk whose backend closes gets to finish the requests in flight. */
#define CLOSE_TIMEOUT_NS (5 * NSEC_PER_SEC)

/* Every disk ever found, in the order found; a closed one stays, out of use. */
static struct list_node disks = LIST_HEAD_INIT(disks);
/* Boot's disks: listed yet, and how many are still connecting. */
static bool boot_listed;
static unsigned int boot_connecting;
static struct wait_queue ready_wq = WAIT_QUEUE_INIT(ready_wq);
/* Woken when a disk's thread ends. */
static struct wait_queue closed_wq = WAIT_QUEUE_INIT(closed_wq);

bool blk_is_usable(const struct blk_disk *disk)
{
    return disk && disk->state == BLK_CONNECTED;
}

unsigned int blk_count(void)
{
    struct list_node *n;
    unsigned int count = 0;

    list_for_each(n, &disks) count += blk_is_usable(list_entry(n, struct blk_disk, link));
    return count;
}

struct blk_disk *blk_get(unsigned int index)
{
    struct list_node *n;

    list_for_each(n, &disks)
    {
        struct blk_disk *d = list_entry(n, struct blk_disk, link);

        if (blk_is_usable(d) && index-- == 0)
            return d;
    }
    return NULL;
}

struct blk_disk *blk_find(const char *name)
{
    struct list_node *n;

    list_for_each(n, &disks)
    {
        struct blk_disk *d = list_entry(n, struct blk_disk, link);

        if (blk_is_usable(d) && strcmp(d->info.name, name) == 0)
            return d;
    }
    return NULL;
}

const struct blk_info *blk_info(const struct blk_disk *disk)
{
    return &disk->info;
}

unsigned int blk_wait_ready(uint64_t deadline_ns)
{
    wait_event_deadline(&ready_wq, boot_listed && boot_connecting == 0, deadline_ns);
    return blk_count();
}

unsigned int blk_persistent_pages(const struct blk_disk *disk)
{
    return disk->pool.nr_pages;
}

unsigned long blk_pages_withheld(void)
{
    return blk_io_withheld_total();
}

/* Whether [offset, offset + len) is whole sectors of the disk. */
static bool range_is_valid(const struct blk_info *info, uint64_t offset, uint64_t len)
{
    return offset % info->sector_size == 0 && len % info->sector_size == 0 &&
           offset <= info->size && len <= info->size - offset;
}

int blk_submit(struct blk_disk *disk, struct blk_request *req)
{
    const struct blk_info *info;

    if (!disk || !req || !req->done)
        return -EINVAL;
    if (!blk_is_usable(disk))
        return -ENODEV;
    info = &disk->info;
    switch (req->op) {
    case BLK_READ:
    case BLK_WRITE:
        if (!range_is_valid(info, req->offset, req->len) || (req->len && !req->buf))
            return -EINVAL;
        if (req->op == BLK_WRITE && info->readonly)
            return -EROFS;
        break;
    case BLK_FLUSH:
        if (req->len)
            return -EINVAL;
        if (!info->flush)
            return -ENOTSUP;
        break;
    case BLK_DISCARD:
        if (!range_is_valid(info, req->offset, req->len))
            return -EINVAL;
        if (info->readonly)
            return -EROFS;
        if (!info->discard)
            return -ENOTSUP;
        break;
    default:
        return -EINVAL;
    }
    return blk_io_submit(disk, req);
}

static void wake_waiter(struct blk_request *req)
{
    semaphore_up(req->arg);
}

/* Submit req and sleep until it is done. */
static int run(struct blk_disk *disk, struct blk_request *req)
{
    struct semaphore done;
    int rc;

    semaphore_init(&done, 0);
    req->done = wake_waiter;
    req->arg = &done;
    rc = blk_submit(disk, req);
    if (rc)
        return rc;
    semaphore_down(&done);
    return req->status;
}

int blk_read(struct blk_disk *disk, uint64_t offset, void *buf, size_t len)
{
    struct blk_request req = {.op = BLK_READ, .offset = offset, .buf = buf, .len = len};

    return run(disk, &req);
}

int blk_write(struct blk_disk *disk, uint64_t offset, const void *buf, size_t len)
{
    /* The request path only reads a write's buffer. */
    struct blk_request req = {.op = BLK_WRITE, .offset = offset, .buf = (void *)buf, .len = len};

    return run(disk, &req);
}

int blk_flush(struct blk_disk *disk)
{
    struct blk_request req = {.op = BLK_FLUSH};

    if (blk_is_usable(disk) && !disk->info.flush)
        return 0; /* no cache: every completed write is on the disk already */
    return run(disk, &req);
}

int blk_discard(struct blk_disk *disk, uint64_t offset, uint64_t len)
{
    struct blk_request req = {.op = BLK_DISCARD, .offset = offset, .len = len};

    return run(disk, &req);
}

/*
 * Connect one disk, then follow its backend's state until it closes or goes away, or
 * until blk_close_all asks. Only this thread closes the disk: it is the one waiting
 * on the disk's watch, which a close removes.
 */
static void disk_thread(void *arg)
{
    struct blk_disk *d = arg;
    int rc = blk_disk_connect(d, d->index);

    if (rc == 0)
        blk_disk_report(d);
    if (d->found_at_boot) {
        boot_connecting--;
        wait_queue_wake_all(&ready_wq);
    }
    while (rc == 0) {
        enum xenbus_state s;

        if (d->close_why) {
            blk_disk_close(d, d->close_why, xen_system_time_ns() + CLOSE_TIMEOUT_NS);
            break;
        }
        /* The backend's state changed, or blk_close_all fired the watch to ask for a close. */
        rc = xenstore_watch_wait(&d->xb.watch, 0);
        if (rc || d->close_why || xenbus_read_backend_state(&d->xb, &s) != 0)
            continue;
        if (s == XenbusStateClosing || s == XenbusStateClosed || s == XenbusStateUnknown)
            blk_disk_close(
                d, s == XenbusStateUnknown ? "the backend is gone" : "the backend is closing",
                xen_system_time_ns() + CLOSE_TIMEOUT_NS);
        if (d->state == BLK_CLOSED)
            break;
    }
    d->thread_done = true;
    wait_queue_wake_all(&closed_wq);
}

static bool all_closed(void)
{
    struct list_node *n;

    list_for_each(n, &disks)
    {
        if (!list_entry(n, struct blk_disk, link)->thread_done)
            return false;
    }
    return true;
}

int blk_close_all(uint64_t deadline_ns)
{
    struct list_node *n;

    list_for_each(n, &disks)
    {
        struct blk_disk *d = list_entry(n, struct blk_disk, link);

        if (!d->close_why) {
            d->close_why = "the domain closes its disks";
            xenstore_watch_fire(&d->xb.watch);
        }
    }
    return wait_event_deadline(&closed_wq, all_closed(), deadline_ns) ? 0 : -ETIMEDOUT;
}

/* xl shutdown: in-flight requests get their answers and every backend sees us close. */
static void close_for_shutdown(void)
{
    blk_close_all(xen_system_time_ns() + CLOSE_TIMEOUT_NS + NSEC_PER_SEC);
}
static struct control_hook shutdown_hook = {.fn = close_for_shutdown};

/* Whether a live disk (connecting, connected or closing) has that number. */
static bool is_live(unsigned int index)
{
    struct list_node *n;

    list_for_each(n, &disks)
    {
        struct blk_disk *d = list_entry(n, struct blk_disk, link);

        if (d->index == index && d->state != BLK_CLOSED && d->state != BLK_FAILED)
            return true;
    }
    return false;
}

/* A disk the toolstack set up: start it, unless a live disk has its number. */
static void found(unsigned int index, bool at_boot)
{
    struct blk_disk *d;
    struct thread *t;
    char name[THREAD_NAME_MAX];

    if (is_live(index))
        return;
    d = xzalloc(sizeof(*d), 0);
    if (!d) {
        printk("blkfront: no memory for disk %u\n", index);
        return;
    }
    d->index = index;
    d->state = BLK_CONNECTING;
    d->found_at_boot = at_boot;
    snprintf(name, sizeof(name), "vbd-%u", index);
    t = thread_create(name, disk_thread, d);
    if (!t) {
        xfree(d);
        return;
    }
    thread_detach(t);
    list_add_tail(&disks, &d->link);
    boot_connecting += at_boot;
}

static struct xenbus_probe probe = {.dir = "device/vbd", .driver = "blkfront", .found = found};

static void blkfront_thread(void *arg)
{
    (void)arg;
    xenbus_probe_scan(&probe, true);
    boot_listed = true;
    wait_queue_wake_all(&ready_wq);
    xenbus_probe_watch(&probe);
}

static int blkfront_start(void)
{
    struct thread *t;

    if (!xenstore_connected()) {
        boot_listed = true; /* no toolstack, no disks */
        return 0;
    }
    control_on_shutdown(&shutdown_hook);
    t = thread_create("blkfront", blkfront_thread, NULL);
    if (!t) {
        boot_listed = true;
        return -ENOMEM;
    }
    thread_detach(t);
    return 0;
}
KERNEL_INIT(2, blkfront_start);
