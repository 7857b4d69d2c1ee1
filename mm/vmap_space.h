/*
 * The address-space bookkeeping behind virtual areas (mm/vmap.c): which page ranges of
 * a region are reserved and which are free. Nothing here touches page tables or calls
 * Xen, so host tests (mm/tests/test_vmap_space.c) run it as it is.
 *
 * A release must name exactly one earlier reservation, start and size; anything else
 * (a second release, a range never reserved, part of a reservation, a range across
 * two) is refused and reported, and the bookkeeping is left as it was.
 */
#ifndef MM_VMAP_SPACE_H
#define MM_VMAP_SPACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vmap_extent {
    uintptr_t start;
    size_t pages;
    bool reserved;
    struct vmap_extent *next;
};

/*
 * Neither copy nor move it once set up: its list starts with an extent inside it (the
 * one at the region's start, which merges keep and never free), so a region that has
 * reservations pays for the extents after the first only, and setting one up needs no
 * memory.
 */
struct vmap_space {
    uintptr_t start;
    size_t pages;
    size_t free_pages;
    struct vmap_extent *extents; /* sorted, covering [start, start + pages) without gaps */
    struct vmap_extent first;
};

/* A region of `pages` pages from `start`, all free. -EINVAL for an empty or wrapping one. */
int vmap_space_init(struct vmap_space *s, uintptr_t start, size_t pages);

/* Forget the region and free the bookkeeping; whatever was reserved is gone with it. */
void vmap_space_destroy(struct vmap_space *s);

/*
 * Reserve `pages` pages, first fit, and store the range's start in *start. -EINVAL for
 * zero pages, -ENOSPC when no free range is that large, -ENOMEM when the bookkeeping
 * itself has no memory. Nothing changes on failure.
 */
int vmap_space_reserve(struct vmap_space *s, size_t pages, uintptr_t *start);

/*
 * Give back a range that vmap_space_reserve returned, with the same size. -EINVAL (and
 * a message saying why) when [start, start + pages) is not exactly one reservation.
 */
int vmap_space_release(struct vmap_space *s, uintptr_t start, size_t pages);

/* Whether [start, start + pages) is exactly one reservation, as a release would need. */
bool vmap_space_is_reserved(const struct vmap_space *s, uintptr_t start, size_t pages);

/* Pages not reserved. */
size_t vmap_space_free_pages(const struct vmap_space *s);

#endif
