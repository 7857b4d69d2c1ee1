/*
 * The request path of a connected disk (blk_io.h). Every byte goes through a page of
 * the driver's own (blk_pool.h): a write is copied into bounce pages before the request
 * goes on the ring, a read copied out once its response is in. The copy costs little
 * next to the backend's mapping of each grant, which persistent grants save, and it
 * means that no caller's page is ever shared, so a page a backend refuses to give back
 * is always one the driver can keep for good.
 *
 * Threads are cooperative and nothing here sleeps between taking a ring slot and
 * publishing it, so the ring needs no lock; the event handler only sets a flag and
 * wakes the I/O thread.
 */
#include "arch/page.h"
#include "lib/errno.h"
#include "lib/panic.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "lib/vsnprintf.h"
#include "xen/events.h"
#include "xen/gnttab.h"
#include "xen/time.h"
#include "kernel/sched.h"
#include "drivers/blkfront/blk_io.h"
#include "drivers/xenbus/xenstore.h"

#define SECTOR_SHIFT 9 /* the ring counts 512-byte sectors whatever the disk's size */

static unsigned long withheld_total;

void blk_io_withhold(struct blk_disk *d, unsigned long pages)
{
    d->pages_withheld += pages;
    withheld_total += pages;
}

unsigned long blk_io_withheld_total(void)
{
    return withheld_total;
}

void blk_io_event(evtchn_port_t port, void *arg)
{
    struct blk_disk *d = arg;

    (void)port;
    d->io_event = true;
    wait_queue_wake_one(&d->io_wq);
}

/* The last hold on req is gone: end it. In the I/O thread only. */
static void end_request(struct blk_request *req)
{
    req->done(req);
}

/* Drop a hold on req outside the I/O thread: the I/O thread ends it if it was the last. */
static void drop_hold_elsewhere(struct blk_disk *d, struct blk_request *req)
{
    if (--req->holds)
        return;
    req->next_done = d->to_end;
    d->to_end = req;
    d->io_event = true;
    wait_queue_wake_one(&d->io_wq);
}

static void fail_request(struct blk_request *req, int status)
{
    if (req->status == 0)
        req->status = status;
}

/* One ring request ended (or failed with the ring): give its pages back, end its share. */
static void part_done(void *arg, uint16_t id, int status)
{
    struct blk_disk *d = arg;
    struct blk_shadow *sh = &d->shadows[id];
    struct blk_request *req = sh->req;
    unsigned int left = sh->len;

    for (unsigned int i = 0; i < sh->nr_pages; i++) {
        struct blk_bounce *b = &sh->bounce[i];
        unsigned int n = left < PAGE_SIZE ? left : PAGE_SIZE;

        /* A persistent page stays mapped: its data is read before it is reused. */
        if (sh->user && status == 0)
            memcpy(sh->user + (size_t)i * PAGE_SIZE, b->page, n);
        if (!blk_pool_put(&d->pool, b)) {
            /* The backend still maps it: what we copied may not be what it wrote. */
            blk_io_withhold(d, 1);
            status = -EIO;
        }
        left -= n;
    }
    sh->nr_pages = 0;
    sh->req = NULL;
    d->parts_ended++;
    if (status)
        fail_request(req, status);
    if (--req->holds == 0)
        end_request(req);
}

static void io_thread(void *arg)
{
    struct blk_disk *d = arg;
    bool reported = false;

    for (;;) {
        wait_event(&d->io_wq, d->io_event || d->stop_io);
        d->io_event = false;
        blk_ring_take_responses(&d->ring, part_done, d);
        if (d->ring.broken && !reported) {
            /* A close with nothing left in flight has nothing to tell. */
            if (d->state == BLK_CONNECTED || d->ring.in_flight)
                printk("blkfront: %s: %s; %u requests in flight end with an error, the disk is "
                       "out of use\n",
                       d->info.name, d->ring.broken_reason, d->ring.in_flight);
            if (d->state == BLK_CONNECTED) {
                /* Out of use: the disk's thread closes it, which gives the grants back. */
                d->state = BLK_CLOSING;
                d->close_why = "the backend broke the protocol";
                xenstore_watch_fire(&d->xb.watch);
            }
            blk_ring_fail_in_flight(&d->ring, part_done, d);
            reported = true;
        }
        while (d->to_end) {
            struct blk_request *req = d->to_end;

            d->to_end = req->next_done;
            end_request(req);
        }
        wait_queue_wake_all(&d->room_wq);
        if (d->stop_io && d->ring.in_flight == 0 && !d->to_end)
            return;
    }
}

int blk_io_start(struct blk_disk *d)
{
    char name[THREAD_NAME_MAX];

    snprintf(name, sizeof(name), "blk-%s", d->info.name);
    d->io_thread = thread_create(name, io_thread, d);
    return d->io_thread ? 0 : -ENOMEM;
}

void blk_io_stop(struct blk_disk *d, const char *why, uint64_t deadline_ns)
{
    /* Answers to what is in flight may still come (blkback finishes them first). */
    wait_event_deadline(&d->room_wq, d->ring.in_flight == 0, deadline_ns);
    blk_ring_break(&d->ring, "%s", why);
    d->stop_io = true;
    d->io_event = true;
    wait_queue_wake_one(&d->io_wq);
    thread_join(d->io_thread);
    d->io_thread = NULL;
}

/* Room for one more ring request, waiting for it; -ENODEV once the disk is out of use. */
static int wait_for_room(struct blk_disk *d)
{
    wait_event(&d->room_wq, blk_ring_has_room(&d->ring) || d->state != BLK_CONNECTED);
    return d->state == BLK_CONNECTED && blk_ring_has_room(&d->ring) ? 0 : -ENODEV;
}

static void publish(struct blk_disk *d)
{
    if (blk_ring_push(&d->ring))
        evtchn_send(d->port);
}

/* A request without data: flush or discard. */
static int submit_control(struct blk_disk *d, struct blk_request *req)
{
    uint8_t op = req->op == BLK_FLUSH ? d->flush_op : BLKIF_OP_DISCARD;
    struct blk_shadow *sh;
    blkif_request_t *r;
    uint16_t id;
    int rc = wait_for_room(d);

    if (rc)
        return rc;
    sh = &d->shadows[blk_ring_next_id(&d->ring)];
    sh->req = req;
    sh->user = NULL;
    sh->nr_pages = 0;
    sh->len = 0;
    r = blk_ring_start_request(&d->ring, op, &id);
    if (op == BLKIF_OP_DISCARD) {
        blkif_request_discard_t *dr = (blkif_request_discard_t *)r;

        dr->operation = BLKIF_OP_DISCARD;
        dr->flag = 0;
        dr->handle = (blkif_vdev_t)d->info.vdev;
        dr->sector_number = req->offset >> SECTOR_SHIFT;
        dr->nr_sectors = req->len >> SECTOR_SHIFT;
    } else {
        r->operation = op;
        r->nr_segments = 0;
        r->handle = (blkif_vdev_t)d->info.vdev;
        r->sector_number = 0;
    }
    req->holds++;
    publish(d);
    return 0;
}

/*
 * One ring request of a read or write, from byte `done` of req on: as many bounce
 * pages as the request may carry and memory and grants allow. Returns the bytes it
 * carries (0 when it waited for pages or grants to come back: try again), or a
 * negative errno.
 */
static long submit_part(struct blk_disk *d, struct blk_request *req, size_t done)
{
    bool write = req->op == BLK_WRITE;
    uint8_t op = write ? BLKIF_OP_WRITE : BLKIF_OP_READ;
    size_t left = req->len - done;
    unsigned int want = (unsigned int)((left + PAGE_SIZE - 1) / PAGE_SIZE), n = 0;
    struct blk_shadow *sh;
    blkif_request_t *r;
    size_t len, copied = 0;
    uint16_t id;
    int rc = wait_for_room(d);

    if (rc)
        return rc;
    if (want > d->info.max_segments)
        want = d->info.max_segments;
    sh = &d->shadows[blk_ring_next_id(&d->ring)];
    /* A write's pages are only read by the backend (unless they are persistent). */
    while (n < want && blk_pool_get(&d->pool, write, &sh->bounce[n]) == 0)
        n++;
    if (n == 0) {
        /*
         * Out of pages, of grant references, or of the persistent pool's pages: what
         * our requests in flight hold comes back as they end. With none in flight,
         * nothing will.
         */
        unsigned long seen = d->parts_ended;

        if (d->ring.in_flight == 0)
            return -ENOMEM;
        wait_event(&d->room_wq, d->parts_ended != seen || d->state != BLK_CONNECTED);
        return 0;
    }
    len = left < (size_t)n * PAGE_SIZE ? left : (size_t)n * PAGE_SIZE;
    if (write) {
        for (unsigned int i = 0; i < n; i++, copied += PAGE_SIZE)
            memcpy(sh->bounce[i].page, (const uint8_t *)req->buf + done + copied,
                   len - copied < PAGE_SIZE ? len - copied : PAGE_SIZE);
    }
    sh->req = req;
    sh->user = write ? NULL : (uint8_t *)req->buf + done;
    sh->nr_pages = n;
    sh->len = (unsigned int)len;

    r = blk_ring_start_request(&d->ring, op, &id);
    BUG_ON(&d->shadows[id] != sh);
    if (n <= BLKIF_MAX_SEGMENTS_PER_REQUEST) {
        r->operation = op;
        r->nr_segments = (uint8_t)n;
        r->handle = (blkif_vdev_t)d->info.vdev;
        r->sector_number = (req->offset + done) >> SECTOR_SHIFT;
    } else {
        blkif_request_indirect_t *ir = (blkif_request_indirect_t *)r;

        ir->operation = BLKIF_OP_INDIRECT;
        ir->indirect_op = op;
        ir->nr_segments = (uint16_t)n;
        ir->handle = (blkif_vdev_t)d->info.vdev;
        ir->sector_number = (req->offset + done) >> SECTOR_SHIFT;
        ir->indirect_grefs[0] = sh->indirect_gref;
    }
    for (unsigned int i = 0; i < n; i++) {
        size_t in_page = len - (size_t)i * PAGE_SIZE;
        struct blkif_request_segment seg = {
            .gref = sh->bounce[i].gref,
            .first_sect = 0,
            .last_sect =
                (uint8_t)(((in_page < PAGE_SIZE ? in_page : PAGE_SIZE) >> SECTOR_SHIFT) - 1),
        };

        if (n <= BLKIF_MAX_SEGMENTS_PER_REQUEST)
            r->seg[i] = seg;
        else
            sh->indirect[i] = seg;
    }
    req->holds++;
    publish(d);
    return (long)len;
}

int blk_io_submit(struct blk_disk *d, struct blk_request *req)
{
    size_t done = 0;

    if (d->state != BLK_CONNECTED)
        return -ENODEV;
    req->disk = d;
    req->status = 0;
    req->holds = 1; /* ours, until every part is on the ring */
    req->next_done = NULL;
    if (req->op == BLK_FLUSH || req->op == BLK_DISCARD) {
        int rc = submit_control(d, req);

        if (rc)
            fail_request(req, rc == -ENODEV ? -EIO : rc);
    } else {
        while (done < req->len) {
            long n = submit_part(d, req, done);

            if (n < 0) {
                fail_request(req, n == -ENODEV ? -EIO : (int)n);
                break;
            }
            done += (size_t)n;
        }
    }
    drop_hold_elsewhere(d, req);
    return 0;
}
