/*
 * Host stand-in for the kernel's mm/page_alloc.c: the same API over a buddy
 * zone whose frames live in a malloc'ed arena, so mm/heap.c runs unchanged
 * in a host test. The zone's pfns start at an unaligned first_pfn on purpose,
 * as the kernel's free frames do.
 *
 * In the kernel frames sit at 0 + pfn * 4096, so a block of order k is
 * aligned to 4096 << k in virtual memory as well. Here the arena is placed so
 * that base is a multiple of HOST_ALIGN, which keeps that true for blocks up
 * to HOST_ALIGN bytes (order 11); larger blocks are only page-aligned.
 *
 * A test calls host_page_alloc_init first and host_page_alloc_exit last
 * (host_page_alloc.h), usually through host_mm.h.
 */
#include <stdlib.h>
#include "lib/errno.h"
#include "lib/panic.h"
#include "lib/printk.h"
#include "mm/buddy.h"
#include "mm/page_alloc.h"
#include "mm/tests/host_page_alloc.h"

BUILD_BUG_ON(BUDDY_PAGE_SIZE != PAGE_ALLOC_PAGE_SIZE);

#define HOST_ALIGN (8UL << 20)

static struct buddy_zone zone;
static void *arena_raw; /* from aligned_alloc, HOST_ALIGN bytes more than the frames */
static void *arena;     /* frame first_pfn, inside arena_raw */
static uint8_t *state;
static unsigned long bad_frees;

int host_page_alloc_init(unsigned long first_pfn, unsigned long nr_frames)
{
    int rc;

    arena_raw = aligned_alloc(HOST_ALIGN, nr_frames * PAGE_ALLOC_PAGE_SIZE + HOST_ALIGN);
    state = malloc(buddy_state_bytes(nr_frames));
    if (!arena_raw || !state) {
        host_page_alloc_exit();
        return -ENOMEM;
    }
    /* Offset the frames so that arena - first_pfn * 4096 is a multiple of HOST_ALIGN. */
    arena = (char *)arena_raw + (first_pfn * PAGE_ALLOC_PAGE_SIZE) % HOST_ALIGN;
    /* Unsigned wrap-around is intended: base + first_pfn * 4096 == arena. */
    rc = buddy_init(&zone, (uintptr_t)arena - first_pfn * PAGE_ALLOC_PAGE_SIZE, first_pfn,
                    first_pfn + nr_frames, state);
    if (!rc)
        rc = buddy_free_range(&zone, first_pfn, first_pfn + nr_frames);
    if (rc)
        host_page_alloc_exit();
    bad_frees = 0;
    return rc;
}

void host_page_alloc_exit(void)
{
    free(arena_raw);
    free(state);
    arena_raw = NULL;
    arena = NULL;
    state = NULL;
}

unsigned long host_page_alloc_bad_frees(void)
{
    return bad_frees;
}

/* The frame at ptr, or -EINVAL if ptr is not the start of one of the zone's frames. */
static long pfn_of(const void *ptr)
{
    uintptr_t offset = (uintptr_t)ptr - zone.base;
    unsigned long pfn = offset / PAGE_ALLOC_PAGE_SIZE;

    if (!arena || offset % PAGE_ALLOC_PAGE_SIZE || !buddy_contains(&zone, pfn))
        return -EINVAL;
    return (long)pfn;
}

void *alloc_pages(unsigned int order)
{
    long pfn;

    if (!arena)
        return NULL;
    pfn = buddy_alloc(&zone, order);
    if (pfn < 0)
        return NULL;
    return (void *)(zone.base + (uintptr_t)pfn * PAGE_ALLOC_PAGE_SIZE);
}

void free_pages(void *ptr, unsigned int order)
{
    long pfn = pfn_of(ptr);
    int rc = pfn < 0 ? (int)pfn : buddy_free(&zone, pfn, order);

    if (rc) {
        bad_frees++;
        printk("free_pages(%p, %u): %d, ignored\n", ptr, order, rc);
    }
}

int pages_allocated_order(const void *ptr)
{
    long pfn = pfn_of(ptr);

    return pfn < 0 ? (int)pfn : buddy_allocated_order(&zone, pfn);
}

unsigned long pages_free_count(void)
{
    return arena ? buddy_free_frames(&zone) : 0;
}
