/*
 * Virtual areas: address space handed out first-fit from a sorted list of free
 * extents, and page tables created on demand below it.
 */
#include "lib/errno.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "mm/page_alloc.h"
#include "mm/pagetable.h"
#include "mm/vmap.h"

struct vmap_extent {
    uintptr_t start;
    size_t pages;
    struct vmap_extent *next;
};

static struct vmap_extent *free_extents;
static size_t free_pages_total;

int vmap_init(void)
{
    free_extents = xmalloc(sizeof(*free_extents), 0);
    if (!free_extents)
        return -ENOMEM;
    *free_extents = (struct vmap_extent){.start = VMAP_START, .pages = VMAP_PAGES};
    free_pages_total = VMAP_PAGES;
    return 0;
}

size_t vmap_free_pages(void)
{
    return free_pages_total;
}

static uintptr_t vmap_reserve(size_t pages)
{
    struct vmap_extent **link, *e;

    for (link = &free_extents; (e = *link); link = &e->next) {
        uintptr_t start = e->start;

        if (e->pages < pages)
            continue;
        e->start += pages * PAGE_SIZE;
        e->pages -= pages;
        if (e->pages == 0) {
            *link = e->next;
            xfree(e);
        }
        free_pages_total -= pages;
        return start;
    }
    return 0;
}

/* Give address space back, merging with the free neighbours. */
static void vmap_release(uintptr_t start, size_t pages)
{
    struct vmap_extent **link = &free_extents, *prev = NULL, *e;
    uintptr_t end = start + pages * PAGE_SIZE;

    while ((e = *link) && e->start < start) {
        prev = e;
        link = &e->next;
    }
    free_pages_total += pages;
    if (prev && prev->start + prev->pages * PAGE_SIZE == start) {
        prev->pages += pages;
        if (e && e->start == end) {
            prev->pages += e->pages;
            prev->next = e->next;
            xfree(e);
        }
        return;
    }
    if (e && e->start == end) {
        e->start = start;
        e->pages += pages;
        return;
    }
    e = xmalloc(sizeof(*e), 0);
    if (!e) {
        /* The range is lost to the region, not corrupted: say so. */
        printk("vmap: no memory to record %zu free pages at %#lx; they stay reserved\n", pages,
               start);
        free_pages_total -= pages;
        return;
    }
    *e = (struct vmap_extent){.start = start, .pages = pages, .next = *link};
    *link = e;
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
    uintptr_t va = vmap_reserve(n);
    int rc;

    if (!va)
        return NULL;
    rc = pt_map_frames(va, mfns, n, PTE_PRESENT | PTE_RW | PTE_ACCESSED | PTE_DIRTY | pt_nx(),
                       zeroed_table_page);
    if (rc) {
        printk("vmap: mapping %zu frames at %#lx failed: %d\n", n, va, rc);
        pt_unmap(va, n);
        vmap_release(va, n);
        return NULL;
    }
    return (void *)va;
}

void *vmap_reserve_tables(size_t n)
{
    uintptr_t va = vmap_reserve(n);

    if (!va)
        return NULL;
    if (pt_prepare(va, n, zeroed_table_page) != 0) {
        vmap_release(va, n);
        return NULL;
    }
    return (void *)va;
}

void vmap_release_tables(void *va, size_t n)
{
    vmap_release((uintptr_t)va, n);
}

int vmap_unmap(void *va, size_t n)
{
    int rc = pt_unmap((uintptr_t)va, n);

    if (rc)
        return rc; /* still mapped: the address space must not be reused */
    vmap_release((uintptr_t)va, n);
    return 0;
}

void *vmap_alloc_stack(size_t pages)
{
    mfn_t mfns[VMAP_STACK_MAX_PAGES];
    void *frames[VMAP_STACK_MAX_PAGES];
    size_t i;
    uintptr_t va;

    if (pages == 0 || pages > VMAP_STACK_MAX_PAGES)
        return NULL;
    for (i = 0; i < pages; i++) {
        frames[i] = alloc_page();
        if (!frames[i])
            goto free_frames;
        mfns[i] = pfn_to_mfn(virt_to_pfn(frames[i]));
    }
    /* One more page of address space, left unmapped, below the stack. */
    va = vmap_reserve(pages + 1);
    if (!va)
        goto free_frames;
    if (pt_map_frames(va + PAGE_SIZE, mfns, pages,
                      PTE_PRESENT | PTE_RW | PTE_ACCESSED | PTE_DIRTY | pt_nx(),
                      zeroed_table_page) != 0) {
        pt_unmap(va + PAGE_SIZE, pages);
        vmap_release(va, pages + 1);
        goto free_frames;
    }
    return (void *)(va + PAGE_SIZE);

free_frames:
    while (i-- > 0)
        free_page(frames[i]);
    return NULL;
}

void vmap_free_stack(void *base, size_t pages)
{
    uintptr_t va = (uintptr_t)base;
    void *frames[VMAP_STACK_MAX_PAGES];
    size_t i, n = 0;

    if (pages > VMAP_STACK_MAX_PAGES)
        return;
    for (i = 0; i < pages; i++) {
        pte_t *l1e = pt_lookup(va + i * PAGE_SIZE, 1);

        if (l1e && (*l1e & PTE_PRESENT))
            frames[n++] = pfn_to_virt(mfn_to_pfn(pte_mfn(*l1e)));
    }
    /* Unmapped before the frames go back, so no stale mapping can reach them. */
    if (vmap_unmap(base, pages) != 0) {
        printk("vmap: stack at %p could not be unmapped; its %zu frames are kept\n", base, n);
        return;
    }
    vmap_release(va - PAGE_SIZE, 1); /* the guard page's address space */
    for (i = 0; i < n; i++)
        free_page(frames[i]);
}
