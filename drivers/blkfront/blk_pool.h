/*
 * A disk's bounce pages: the pages of the driver's own that carry a request's data,
 * each granted to the backend. With persistent grants (feature-persistent, in
 * xen/io/blkif.h) the pages stay granted for the connection's life and are reused by
 * every request, so the backend maps each once and keeps it mapped; without, each
 * page is granted for one request and its grant ended when the request ends.
 *
 * A persistent pool grows on demand up to its limit, and reuses the page freed last
 * first (the LIFO order xen/io/blkif.h recommends: a backend that keeps fewer grants
 * mapped than we hold still finds the ones in use mapped). Every page is pooled then:
 * Linux's blkback keeps any grant it can mapped once the feature is on, so a page
 * granted for one request could not be taken back when it ends.
 */
#ifndef DRIVERS_BLKFRONT_BLK_POOL_H
#define DRIVERS_BLKFRONT_BLK_POOL_H

#include <stdbool.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/grant_table.h>

/* One page lent to the backend, and its grant. */
struct blk_bounce {
    void *page;
    grant_ref_t gref;
    bool pooled; /* a persistent page, back to the pool when its request ends */
};

struct blk_pool {
    domid_t backend;
    unsigned int max_pages; /* 0: no persistent grants */
    unsigned int nr_pages;  /* persistent pages granted so far */
    unsigned int nr_free;   /* of them, those on the free stack */
    struct blk_bounce *free;
};

/*
 * A pool for backend that keeps up to max_pages persistent pages (0: none, every
 * page is granted per request); -ENOMEM.
 */
int blk_pool_init(struct blk_pool *p, domid_t backend, unsigned int max_pages);

/*
 * A granted page for one request: a free persistent page, or a new one while the
 * pool is below its limit (-EBUSY at the limit: wait for one to come back); without
 * persistent grants, a page for this request only (the backend may only read it when
 * readonly). -ENOMEM or -ENOSPC: no page, or no grant reference.
 */
int blk_pool_get(struct blk_pool *p, bool readonly, struct blk_bounce *b);

/*
 * The request that used b has ended: a persistent page goes back to the pool, any
 * other's grant is ended and the page freed. false when the backend still maps such
 * a page: it is the backend's now, to be withheld, never freed.
 */
bool blk_pool_put(struct blk_pool *p, struct blk_bounce *b);

/*
 * The connection is over: end every persistent page's grant, retrying -EBUSY until
 * system time reaches deadline_ns, and free the pages. Returns how many pages the
 * backend still maps: withheld, never freed.
 */
unsigned int blk_pool_release(struct blk_pool *p, uint64_t deadline_ns);

#endif
