/*
 * The kernel's page allocator: naturally aligned blocks of 2^order pages,
 * returned as their virtual address. The kernel implementation
 * (mm/page_alloc.c) wraps a struct buddy_zone over the domain's free frames;
 * host tests link mm/tests/host_page_alloc.c instead, which wraps one over an
 * arena. Neither locks: only threads call them, never event handlers, and threads
 * are cooperative, so one call runs at a time (page_alloc_grow, called by the idle
 * thread with events on, relies on this too).
 */
#ifndef MM_PAGE_ALLOC_H
#define MM_PAGE_ALLOC_H

#include <stdbool.h>

#define PAGE_ALLOC_PAGE_SIZE 4096UL

/*
 * A block of 2^order pages aligned to its own size, or NULL when no block
 * that large is free, or order is above the allocator's largest.
 */
void *alloc_pages(unsigned int order);

/*
 * Give back a block from alloc_pages with the order it was allocated with.
 * A bad free (double free, wrong order, pointer never returned by
 * alloc_pages) is reported with printk and ignored.
 */
void free_pages(void *ptr, unsigned int order);

/*
 * The order of the allocated block that starts at ptr, or -EINVAL if none
 * does. Any ptr may be asked about, even one outside the allocator's memory:
 * the answer comes from the allocator's own state, never from *ptr. The heap
 * relies on this to vet a pointer before it reads the page.
 */
int pages_allocated_order(const void *ptr);

/* Free pages left, counted in pages (not blocks), with those not yet added. */
unsigned long pages_free_count(void);

/*
 * The kernel's allocator: the frames from mem->first_free on, which it moves past
 * the allocator's own state (mm/page_alloc.c), less the direct map's page tables it
 * sets aside. A few frames are free at once; the rest are added later.
 */
struct boot_memory;
void page_alloc_init(struct boot_memory *mem);

/*
 * Map the next frames not yet added (16 MiB) and hand them to the allocator. False
 * when there are none left, or when called from within itself. Any caller may take
 * a step; alloc_pages does when it finds nothing free.
 */
bool page_alloc_grow(void);

/*
 * Give the allocator the whole pages within [start, start + size), static storage in
 * the kernel's image that this boot turned out not to need (an initial domain has no
 * console ring and no xenstore ring to keep buffers for). The storage must never be
 * touched again: put it on pages of its own (PAGE_ALIGNED_BSS). Before the allocator
 * is set up the range is kept and handed over by page_alloc_init.
 */
void page_alloc_release_image(void *start, size_t size);
/* Image pages given to the allocator so far, handed over or still waiting to be. */
unsigned long page_alloc_image_released(void);

/* Frames the allocator has still to add; 0 once every frame is free or in use. */
unsigned long pages_not_yet_added(void);

static inline void *alloc_page(void)
{
    return alloc_pages(0);
}

static inline void free_page(void *p)
{
    free_pages(p, 0);
}

#endif
