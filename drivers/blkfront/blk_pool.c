/*
 * A disk's bounce pages (blk_pool.h). The free persistent pages are a stack; pages in
 * use are held by the ring requests that carry them (blk_disk.h: blk_shadow), and come
 * back with blk_pool_put when those end, even when the ring breaks, so that at release
 * every persistent page is on the stack.
 */
#include "arch/page.h"
#include "lib/errno.h"
#include "lib/panic.h"
#include "mm/heap.h"
#include "mm/page_alloc.h"
#include "xen/gnttab.h"
#include "drivers/blkfront/blk_io.h"
#include "drivers/blkfront/blk_pool.h"
#include "drivers/xenbus/xenbus_grant.h"

int blk_pool_init(struct blk_pool *p, domid_t backend, unsigned int max_pages)
{
    *p = (struct blk_pool){.backend = backend, .max_pages = max_pages};
    if (max_pages == 0)
        return 0;
    p->free = xzalloc(max_pages * sizeof(*p->free), 0);
    return p->free ? 0 : -ENOMEM;
}

/* A fresh page granted to the backend; the caller says whether it is pooled. */
static int grant_new(struct blk_pool *p, bool readonly, struct blk_bounce *b)
{
    void *page = alloc_page();
    int rc;

    if (!page)
        return -ENOMEM;
    rc = gnttab_grant_access(p->backend, pfn_to_mfn(virt_to_pfn(page)), readonly, &b->gref);
    if (rc) {
        free_page(page);
        return rc;
    }
    b->page = page;
    return 0;
}

int blk_pool_get(struct blk_pool *p, bool readonly, struct blk_bounce *b)
{
    int rc;

    if (p->nr_free) {
        *b = p->free[--p->nr_free];
        return 0;
    }
    if (p->max_pages == 0) {
        b->pooled = false;
        return grant_new(p, readonly, b);
    }
    if (p->nr_pages == p->max_pages)
        return -EBUSY;
    /* Reused for reads and writes alike: the backend may write it. */
    rc = grant_new(p, false, b);
    if (rc == 0) {
        b->pooled = true;
        p->nr_pages++;
    }
    return rc;
}

bool blk_pool_put(struct blk_pool *p, struct blk_bounce *b)
{
    if (b->pooled) {
        BUG_ON(p->nr_free >= p->nr_pages);
        p->free[p->nr_free++] = *b;
    } else if (xenbus_end_grant(b->gref, 0)) {
        free_page(b->page);
    } else {
        b->page = NULL;
        return false; /* the backend still maps it: its page now, for good */
    }
    b->page = NULL;
    return true;
}

unsigned int blk_pool_release(struct blk_pool *p, uint64_t deadline_ns)
{
    unsigned int withheld = 0;

    /* A pooled page still held by a ring request would be lost track of here. */
    BUG_ON(p->nr_free != p->nr_pages);
    for (unsigned int i = 0; i < p->nr_free; i++) {
        if (xenbus_end_grant(p->free[i].gref, deadline_ns))
            free_page(p->free[i].page);
        else
            withheld++;
    }
    xfree(p->free);
    *p = (struct blk_pool){.backend = p->backend};
    return withheld;
}
