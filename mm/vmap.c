/*
 * Virtual areas: address space from mm/vmap_space.c, and page tables created on
 * demand below it. A range is released only once nothing is mapped in it any more:
 * when Xen will not clear an entry, the range stays reserved and the frames it may
 * still reach are never freed, so no stale mapping can see memory put to a new use.
 */
#include "lib/errno.h"
#include "lib/panic.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "arch/pagetable.h"
#include "mm/page_alloc.h"
#include "mm/vmap.h"
#include "mm/vmap_space.h"

static struct vmap_space space;

int vmap_init(void)
{
    return vmap_space_init(&space, VMAP_START, VMAP_PAGES);
}

size_t vmap_free_pages(void)
{
    return vmap_space_free_pages(&space);
}

#ifdef KERNEL_TESTS
static unsigned int unmaps_to_fail;

void vmap_fail_unmaps_for_test(unsigned int count)
{
    unmaps_to_fail = count;
}
#endif

/* The start of a new reservation of `pages` pages, or 0 (none for zero pages). */
static uintptr_t reserve(size_t pages)
{
    uintptr_t va;

    return vmap_space_reserve(&space, pages, &va) == 0 ? va : 0;
}

/* Give back a range this file reserved itself: a refusal means the bookkeeping is broken. */
static void release_own(uintptr_t va, size_t pages)
{
    int rc = vmap_space_release(&space, va, pages);

    BUG_ON(rc != 0);
}

static int unmap_pages(uintptr_t va, size_t n)
{
#ifdef KERNEL_TESTS
    if (unmaps_to_fail > 0) {
        unmaps_to_fail--;
        return -EIO;
    }
#endif
    return pt_unmap(va, n);
}

/*
 * When entries could not be cleared, the range stays reserved: the caller may try
 * again, and otherwise it is lost to the region on purpose, because reusing it would
 * map new frames next to entries that still reach old ones.
 */
static void report_kept(uintptr_t va, size_t n, int rc)
{
    printk("vmap: unmapping %zu pages at %#lx failed (%s); the range stays reserved\n", n, va,
           errno_name(rc));
}

/* 0 when [va, va + n pages) is exactly one reservation; otherwise a reported refusal. */
static int check_one_range(uintptr_t va, size_t n)
{
    if (vmap_space_is_reserved(&space, va, n))
        return 0;
    return vmap_space_release(&space, va, n); /* refuses, as it is not one, and says why */
}

static void *zeroed_table_page(void)
{
    void *page = alloc_page();

    if (page)
        memset(page, 0, PAGE_SIZE);
    return page;
}

void *vmap_map_mfns(const mfn_t *mfns, size_t n)
{
    uintptr_t va = reserve(n);
    int rc;

    if (!va)
        return NULL;
    rc = pt_map_frames(va, mfns, n, zeroed_table_page);
    if (rc) {
        printk("vmap: mapping %zu frames at %#lx failed: %d\n", n, va, rc);
        /* Some of the frames may be mapped: clear them before the range can be reused. */
        rc = unmap_pages(va, n);
        if (rc)
            report_kept(va, n, rc);
        else
            release_own(va, n);
        return NULL;
    }
    return (void *)va;
}

void *vmap_reserve_tables(size_t n)
{
    uintptr_t va = reserve(n);

    if (!va)
        return NULL;
    if (pt_prepare(va, n, zeroed_table_page) != 0) {
        release_own(va, n); /* pt_prepare only adds tables, never a leaf entry */
        return NULL;
    }
    return (void *)va;
}

/* The first page of [va, va + n pages) that still has a present entry, or n. */
static size_t first_mapped(uintptr_t va, size_t n)
{
    mfn_t mfn;
    size_t i;

    for (i = 0; i < n; i++) {
        if (pt_mapped_frame(va + i * PAGE_SIZE, &mfn))
            break;
    }
    return i;
}

int vmap_release_tables(void *va, size_t n)
{
    uintptr_t start = (uintptr_t)va;
    size_t mapped;
    int rc = check_one_range(start, n);

    if (rc)
        return rc;
    mapped = first_mapped(start, n);
    if (mapped < n) {
        printk("vmap: release of %zu pages at %#lx refused: page %zu is still mapped\n", n, start,
               mapped);
        return -EBUSY;
    }
    release_own(start, n);
    return 0;
}

int vmap_unmap(void *va, size_t n)
{
    uintptr_t start = (uintptr_t)va;
    int rc = check_one_range(start, n); /* entries outside one are not ours to clear */

    if (rc)
        return rc;
    rc = unmap_pages(start, n);
    if (rc) {
        report_kept(start, n, rc);
        return rc;
    }
    release_own(start, n);
    return 0;
}

void *vmap_alloc_stack(size_t pages)
{
    mfn_t mfns[VMAP_STACK_MAX_PAGES];
    void *frames[VMAP_STACK_MAX_PAGES];
    size_t i;
    uintptr_t va;
    int rc;

    if (pages == 0 || pages > VMAP_STACK_MAX_PAGES)
        return NULL;
    for (i = 0; i < pages; i++) {
        frames[i] = alloc_page();
        if (!frames[i])
            goto free_frames;
        mfns[i] = pfn_to_mfn(virt_to_pfn(frames[i]));
    }
    /* One more page of address space, left unmapped, below the stack. */
    va = reserve(pages + 1);
    if (!va)
        goto free_frames;
    if (pt_map_frames(va + PAGE_SIZE, mfns, pages, zeroed_table_page) != 0) {
        rc = unmap_pages(va + PAGE_SIZE, pages);
        if (rc) {
            /* The frames may still be mapped there: they are kept with the range. */
            report_kept(va + PAGE_SIZE, pages, rc);
            return NULL;
        }
        release_own(va, pages + 1);
        goto free_frames;
    }
    return (void *)(va + PAGE_SIZE);

free_frames:
    while (i-- > 0)
        free_page(frames[i]);
    return NULL;
}

int vmap_free_stack(void *base, size_t pages)
{
    uintptr_t va = (uintptr_t)base - PAGE_SIZE; /* the guard page, where the range starts */
    void *frames[VMAP_STACK_MAX_PAGES];
    size_t i, n = 0;
    int rc;

    if (pages == 0 || pages > VMAP_STACK_MAX_PAGES ||
        !vmap_space_is_reserved(&space, va, pages + 1)) {
        printk("vmap: %zu-page stack at %p is not one vmap_alloc_stack returned; not freed\n",
               pages, base);
        return -EINVAL;
    }
    for (i = 0; i < pages; i++) {
        mfn_t mfn;

        if (pt_mapped_frame((uintptr_t)base + i * PAGE_SIZE, &mfn))
            frames[n++] = mfn_to_virt(mfn);
    }
    /* Unmapped before the frames go back, so no stale mapping can reach them. */
    rc = unmap_pages((uintptr_t)base, pages);
    if (rc) {
        report_kept((uintptr_t)base, pages, rc);
        printk("vmap: the stack's %zu frames are kept\n", n);
        return rc;
    }
    release_own(va, pages + 1);
    for (i = 0; i < n; i++)
        free_page(frames[i]);
    return 0;
}
