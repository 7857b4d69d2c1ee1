/*
 * Address-space bookkeeping for virtual areas: one sorted list of extents that covers
 * the whole region, each either free or reserved. A reservation is one extent, so a
 * release can be checked against it exactly; a released extent merges with its free
 * neighbours, so the list stays as short as the reservations make it.
 */
#include "lib/errno.h"
#include "lib/printk.h"
#include "mm/heap.h"
#include "mm/vmap_space.h"
#include "arch/page.h"

int vmap_space_init(struct vmap_space *s, uintptr_t start, size_t pages)
{
    if (pages == 0 || start % PAGE_SIZE || pages > (UINTPTR_MAX - start) / PAGE_SIZE)
        return -EINVAL;
    *s = (struct vmap_space){.start = start, .pages = pages, .free_pages = pages};
    s->first = (struct vmap_extent){.start = start, .pages = pages};
    s->extents = &s->first;
    return 0;
}

void vmap_space_destroy(struct vmap_space *s)
{
    struct vmap_extent *e, *next;

    for (e = s->extents; e; e = next) {
        next = e->next;
        if (e != &s->first)
            xfree(e);
    }
    *s = (struct vmap_space){0};
}

size_t vmap_space_free_pages(const struct vmap_space *s)
{
    return s->free_pages;
}

int vmap_space_reserve(struct vmap_space *s, size_t pages, uintptr_t *start)
{
    struct vmap_extent *e, *rest;

    /* Zero pages would hand out an address that is not reserved at all. */
    if (pages == 0)
        return -EINVAL;
    for (e = s->extents; e; e = e->next)
        if (!e->reserved && e->pages >= pages)
            break;
    if (!e)
        return -ENOSPC;
    if (e->pages > pages) {
        /* The free remainder after the reservation needs an extent of its own. */
        rest = xmalloc(sizeof(*rest), 0);
        if (!rest)
            return -ENOMEM;
        *rest = (struct vmap_extent){
            .start = e->start + pages * PAGE_SIZE, .pages = e->pages - pages, .next = e->next};
        e->pages = pages;
        e->next = rest;
    }
    e->reserved = true;
    s->free_pages -= pages;
    *start = e->start;
    return 0;
}

/* The extent that starts at start, and the one before it (NULL for the first). */
static struct vmap_extent *extent_at(const struct vmap_space *s, uintptr_t start,
                                     struct vmap_extent **prev)
{
    struct vmap_extent *e;

    *prev = NULL;
    for (e = s->extents; e && e->start < start; e = e->next)
        *prev = e;
    return e && e->start == start ? e : NULL;
}

bool vmap_space_is_reserved(const struct vmap_space *s, uintptr_t start, size_t pages)
{
    struct vmap_extent *prev, *e = extent_at(s, start, &prev);

    return e && e->reserved && e->pages == pages;
}

/* Fold e's successor into e when both are free. */
static void merge_with_next(struct vmap_extent *e)
{
    struct vmap_extent *next = e->next;

    if (!next || e->reserved || next->reserved)
        return;
    e->pages += next->pages;
    e->next = next->next;
    xfree(next);
}

int vmap_space_release(struct vmap_space *s, uintptr_t start, size_t pages)
{
    struct vmap_extent *prev, *e = extent_at(s, start, &prev);

    if (!e || !e->reserved) {
        printk("vmap: release of %zu pages at %#lx refused: %s\n", pages, (unsigned long)start,
               e ? "it is not reserved" : "no reservation starts there");
        return -EINVAL;
    }
    if (e->pages != pages) {
        printk("vmap: release of %zu pages at %#lx refused: %zu pages were reserved there\n", pages,
               (unsigned long)start, e->pages);
        return -EINVAL;
    }
    e->reserved = false;
    s->free_pages += pages;
    merge_with_next(e);
    if (prev)
        merge_with_next(prev);
    return 0;
}
