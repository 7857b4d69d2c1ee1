/*
 * One disk's connection to its backend: the xenstore handshake with the features it
 * negotiates (xen/io/blkif.h lists them), the shared ring and event channel it sets
 * up, and the close that ends it, cleanly or not. The request path is in blk_io.c.
 */
#ifndef DRIVERS_BLKFRONT_BLK_DISK_H
#define DRIVERS_BLKFRONT_BLK_DISK_H

#include <stdbool.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/grant_table.h>

#include "kernel/thread.h"
#include "kernel/wait.h"
#include "lib/list.h"
#include "drivers/blkfront/blk_pool.h"
#include "drivers/blkfront/blk_ring.h"
#include "drivers/blkfront/blkfront.h"
#include "drivers/xenbus/xenbus.h"

/* Pages one request may carry with indirect descriptors: 1 MiB, in one indirect page. */
#define BLK_MAX_INDIRECT_SEGMENTS 256
/* The largest ring we ask for: 2^1 pages, 64 requests. */
#define BLK_MAX_RING_ORDER 1
/*
 * Persistent pages a disk keeps at most: 8 MiB, eight 1 MiB requests in flight, as
 * many as the grant table allowed before it could grow. Linux's blkback keeps 1056
 * grants a ring mapped by default, and maps and unmaps the others per request.
 */
#define BLK_MAX_PERSISTENT_PAGES 2048

/* One ring request's own state, by id: the pages it lent the backend. */
struct blk_shadow {
    struct blk_request *req;
    uint8_t *user;                          /* where a read's data goes, or NULL */
    unsigned int nr_pages;                  /* bounce pages it carries */
    unsigned int len;                       /* bytes it carries */
    struct blk_bounce *bounce;              /* max_segments entries, nr_pages used */
    struct blkif_request_segment *indirect; /* its indirect page, granted for good */
    grant_ref_t indirect_gref;
};

enum blk_disk_state {
    BLK_CONNECTING,
    BLK_CONNECTED,
    BLK_CLOSING, /* no new requests; those in flight are being ended */
    BLK_CLOSED,  /* the ring is gone */
    BLK_FAILED,  /* never connected */
};

struct blk_disk {
    struct list_node link; /* the list of every disk (blkfront.c) */
    struct blk_info info;
    enum blk_disk_state state;
    struct xenbus_device xb;
    unsigned int index;    /* N of device/vbd/N */
    bool found_at_boot;    /* blk_wait_ready waits for it */
    const char *close_why; /* set by blk_close_all or a broken ring: the disk's thread closes it */
    bool thread_done;      /* the disk's thread has ended: the disk is closed or failed */

    /* What the backend offered, for the boot line. */
    unsigned int offered_ring_order, offered_indirect;
    bool offered_flush, offered_barrier, offered_discard, offered_persistent;
    uint8_t flush_op; /* BLKIF_OP_FLUSH_DISKCACHE or BLKIF_OP_WRITE_BARRIER */

    /* The ring and its event channel. */
    void *sring;
    unsigned int ring_order;
    grant_ref_t ring_refs[1u << BLK_MAX_RING_ORDER];
    evtchn_port_t port;
    struct blk_pool pool; /* the bounce pages, persistent or not */
    struct blk_ring ring;
    struct blk_slot *slots;
    struct blk_shadow *shadows;

    /* The I/O thread, and who waits for it. */
    struct thread *io_thread;
    struct wait_queue io_wq;    /* the I/O thread: an event, or a request to end */
    bool io_event;              /* set by the event handler */
    struct wait_queue room_wq;  /* submitters waiting for room on the ring */
    struct blk_request *to_end; /* requests whose last part ended outside the I/O thread */
    unsigned long parts_ended;  /* ring requests ended: their pages and grants are free */
    bool stop_io;
    unsigned long pages_withheld; /* kept for good: the backend kept their grants */
};

/*
 * Connect device/vbd/index: the handshake, the ring, the features, the I/O thread.
 * 0 with the disk BLK_CONNECTED, or an error with everything undone (BLK_FAILED).
 */
int blk_disk_connect(struct blk_disk *d, unsigned int index);
/*
 * End the connection: no new requests, those in flight are given until deadline_ns
 * to finish and then end with -EIO; then the handshake's close and the ring's
 * release (grants the backend keeps are withheld, never freed). why is printed.
 */
void blk_disk_close(struct blk_disk *d, const char *why, uint64_t deadline_ns);
/* Print the disk's boot line: name, size, sectors, ro/rw, features offered and taken. */
void blk_disk_report(const struct blk_disk *d);

#endif
