/*
 * The request path of a connected disk: a caller's request split into ring requests
 * that each carry up to max_segments pages, the driver's bounce pages granted to the
 * backend for each, and the disk's I/O thread, which takes the responses, gives the
 * grants back and ends the requests.
 */
#ifndef DRIVERS_BLKFRONT_BLK_IO_H
#define DRIVERS_BLKFRONT_BLK_IO_H

#include <xen/event_channel.h>

#include "drivers/blkfront/blk_disk.h"

/* The event handler of a disk's port (arg is the disk): wakes the I/O thread. */
void blk_io_event(evtchn_port_t port, void *arg);

/* Start the I/O thread of a disk whose ring is set up; -ENOMEM. */
int blk_io_start(struct blk_disk *d);
/*
 * Wait until no request is in flight or system time reaches deadline_ns; then end what
 * is left with -EIO (the ring is broken with `why`) and stop the I/O thread.
 */
void blk_io_stop(struct blk_disk *d, const char *why, uint64_t deadline_ns);

/* blk_submit, once the request is checked against the disk (blkfront.c). */
int blk_io_submit(struct blk_disk *d, struct blk_request *req);

/* Count pages withheld for good, per disk and in all (blkfront.h: blk_pages_withheld). */
void blk_io_withhold(struct blk_disk *d, unsigned long pages);
unsigned long blk_io_withheld_total(void);

#endif
