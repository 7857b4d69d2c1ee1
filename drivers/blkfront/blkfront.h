/*
 * Disks: the PV block frontend's interface for applications. Each disk in the
 * domain's config (`disk = [...]`) is found under device/vbd/, connected to its
 * backend and reported at boot while app_main already runs; an application that
 * wants disks waits for them:
 *
 *   if (blk_wait_ready(0) > 0) {
 *       struct blk_disk *d = blk_get(0);
 *       rc = blk_read(d, 0, buf, 4096);
 *   }
 *
 * Offsets and lengths are in bytes, multiples of the disk's sector_size. A buffer
 * may be anywhere (heap, page allocator, a thread's stack), at any alignment: data
 * travels through pages of the driver's own, granted to the backend, so no page of
 * the caller's is ever shared with another domain. Requests of any length are split
 * to fit the ring.
 *
 * Asynchronous requests (blk_submit) may be made from any thread; the submitter
 * sleeps while the ring is full. A request's done callback runs in the disk's I/O
 * thread, once per accepted request: it must not sleep (no blk_read, no blk_submit,
 * no xenstore call); it may wake threads (semaphore_up, wait_queue_wake_*). The
 * blocking calls sleep the calling thread, never the domain.
 *
 * When the backend breaks the protocol, or goes away (xl block-detach, the backend
 * domain dies), requests in flight end with -EIO and later ones with -ENODEV; the
 * rest of the kernel runs on. A disk attached later (xl block-attach) is added and
 * reported like the ones found at boot.
 */
#ifndef DRIVERS_BLKFRONT_BLKFRONT_H
#define DRIVERS_BLKFRONT_BLKFRONT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct blk_disk;

/* What a disk is and what its backend does, fixed once it has connected. */
struct blk_info {
    char name[16];                     /* "xvda", decoded from the virtual-device number */
    uint32_t vdev;                     /* that number: the N of device/vbd/N */
    uint64_t size;                     /* bytes */
    unsigned int sector_size;          /* logical: offsets and lengths are multiples */
    unsigned int physical_sector_size; /* writes of this size and alignment are best */
    bool readonly; /* mode=r, or the backend says VDISK_READONLY: writes get -EROFS */
    bool flush;    /* blk_flush reaches a disk cache (flush-cache or barrier) */
    bool discard;  /* blk_discard is passed on */
    unsigned int discard_granularity, discard_alignment; /* bytes, 0 if not said */
    unsigned int ring_pages;                             /* shared ring pages taken */
    unsigned int max_segments; /* pages one ring request carries (indirect if > 11) */
    bool persistent;           /* bounce pages stay granted, reused (feature-persistent) */
};

enum blk_op { BLK_READ, BLK_WRITE, BLK_FLUSH, BLK_DISCARD };

/*
 * An asynchronous request, owned by the caller until done runs: fill op, offset, buf,
 * len, done (and arg), then blk_submit. status is set before done is called: 0, -EIO
 * (the backend failed it, or broke, or went away), -ENOTSUP (the backend refused the
 * operation) or -ENOMEM (no memory to carry part of it).
 */
struct blk_request {
    enum blk_op op;
    uint64_t offset; /* bytes; unused for BLK_FLUSH */
    void *buf;       /* BLK_READ and BLK_WRITE only */
    size_t len;      /* bytes; 0 for BLK_FLUSH */
    void (*done)(struct blk_request *req);
    void *arg;
    int status;
    /* The driver's: */
    struct blk_disk *disk;
    unsigned int holds;            /* ring requests in flight, plus one while submitting */
    struct blk_request *next_done; /* on the disk's list of requests to end */
};

/*
 * Wait until the disks present at boot are connected or have failed, or until system
 * time reaches deadline_ns (0: no limit); returns how many disks are usable.
 */
unsigned int blk_wait_ready(uint64_t deadline_ns);
/* Usable disks now, and the index-th of them (in the order found), or NULL. */
unsigned int blk_count(void);
struct blk_disk *blk_get(unsigned int index);
/* The usable disk of that name ("xvdb"), or NULL. */
struct blk_disk *blk_find(const char *name);
const struct blk_info *blk_info(const struct blk_disk *disk);
/* Whether the disk still takes requests (connected, not broken, not closing). */
bool blk_is_usable(const struct blk_disk *disk);

/*
 * Queue req on disk. 0: done will be called exactly once, from the disk's I/O thread.
 * Otherwise done is never called: -EINVAL (an offset or length not a multiple of the
 * sector size, past the end, or a BLK_FLUSH with a length), -EROFS (a write or
 * discard on a read-only disk), -ENOTSUP (a flush or discard the backend does not
 * offer), -ENODEV (the disk is broken or gone).
 */
int blk_submit(struct blk_disk *disk, struct blk_request *req);

/* The same, waiting for the result: 0 or a negative errno as above. */
int blk_read(struct blk_disk *disk, uint64_t offset, void *buf, size_t len);
int blk_write(struct blk_disk *disk, uint64_t offset, const void *buf, size_t len);
/* Make every write completed so far durable (0 at once if the disk has no cache). */
int blk_flush(struct blk_disk *disk);
int blk_discard(struct blk_disk *disk, uint64_t offset, uint64_t len);

/*
 * Close every disk: requests in flight get their answers, then each backend sees the
 * frontend close. For an application about to end the domain; `xl shutdown` does it
 * too. 0, or -ETIMEDOUT if a disk had not closed by deadline_ns (0: no limit).
 */
int blk_close_all(uint64_t deadline_ns);

/*
 * Bounce pages the disk keeps granted for its connection's life (info->persistent),
 * reused by every request: how far its pool has grown. 0 without persistent grants.
 */
unsigned int blk_persistent_pages(const struct blk_disk *disk);

/* Pages kept for good because a backend would not give back their grants, since boot. */
unsigned long blk_pages_withheld(void);

#endif
