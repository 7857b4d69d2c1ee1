/*
 * The kernel's page allocator: one buddy zone (mm/buddy.c) over every frame left
 * free after start of day, addressed through the direct map.
 *
 * At boot the zone covers only a few frames past its own state, so that a large
 * domain starts as fast as a small one. The rest are mapped and added a step at a
 * time by page_alloc_grow, which the idle thread calls whenever nothing else runs
 * (kernel/thread.c). An allocation that finds nothing free while frames are still
 * to be added takes the next step itself, so no caller ever finds memory missing:
 * at worst it waits for it.
 */
#include "lib/errno.h"
#include "lib/panic.h"
#include "lib/printk.h"
#include "arch/boot_memory.h"
#include "arch/page.h"
#include "mm/buddy.h"
#include "mm/page_alloc.h"

/* Frames free at boot beyond the allocator's state, so the start of day never waits. */
#define BOOT_FREE_PAGES 256
/*
 * One step of page_alloc_grow: 16 MiB, eight level-1 tables for Xen to check. Each
 * step writes a free-list link into a page nothing touched before; larger steps touch
 * fewer, smaller ones keep the idle thread quicker to answer a timer.
 */
#define GROW_STEP_PAGES 4096

static struct buddy_zone zone; /* from pfn 0, so that the image's frames can join it */
static unsigned long nr_pages;
static unsigned long tables_end; /* end of the direct map's table frames, never free */
static bool growing;             /* page_alloc_grow is at work: do not enter it again */

/* Image storage released before the allocator was set up (page_alloc_release_image). */
#define EARLY_RELEASES 4
static struct {
    unsigned long pfn, end;
} early_releases[EARLY_RELEASES];
static unsigned int nr_early_releases;
static unsigned long image_released;

/* Hand frames [pfn, end) of the image to the zone; a bad range is the caller's bug. */
static void release_frames(unsigned long pfn, unsigned long end)
{
    int rc = buddy_free_range(&zone, pfn, end);

    if (rc)
        panic("page allocator: releasing frames %#lx-%#lx failed: %d\n", pfn, end, rc);
}

/*
 * The frames after the layout's, in order: the zone's state (room for every frame),
 * the frames free at boot, then the direct map's page tables. The first two then lie
 * in memory Xen mapped and wrote around, so the start of day writes no fresh page and
 * adds no table. Only when the state does not fit there do the tables come first.
 */
void page_alloc_init(struct boot_memory *mem)
{
    size_t state_pages = (buddy_state_bytes(mem->nr_pages) + PAGE_SIZE - 1) >> PAGE_SHIFT;
    unsigned long first = mem->first_free, boot_end;
    /* The first table frame must lie below the frames the first table maps. */
    unsigned long room_end = mem->mapped_end - 1;
    int rc;

    nr_pages = mem->nr_pages;
    if (first + state_pages >= room_end) {
        boot_memory_reserve_tables(mem);
        tables_end = first = mem->first_free;
        room_end = nr_pages;
    }
    boot_end = first + state_pages + BOOT_FREE_PAGES;
    if (boot_end > room_end)
        boot_end = room_end;
    if (boot_end >= nr_pages)
        panic("no memory for the page allocator's state (%zu pages)\n", state_pages);
    mem->first_free = boot_end;
    if (!tables_end) {
        boot_memory_reserve_tables(mem);
        tables_end = mem->first_free;
    }
    mem->mapped_end = boot_memory_map(boot_end);
    mem->first_free = first + state_pages;
    /* The state has a byte for every frame from pfn 0: the image's frames are covered. */
    rc = buddy_init(&zone, 0, 0, boot_end, pfn_to_virt(first));
    if (!rc)
        rc = buddy_free_range(&zone, mem->first_free, boot_end);
    if (rc)
        panic("page allocator setup failed: %d\n", rc);
    for (unsigned int i = 0; i < nr_early_releases; i++)
        release_frames(early_releases[i].pfn, early_releases[i].end);
}

void page_alloc_release_image(void *start, size_t size)
{
    unsigned long pfn = ((uintptr_t)start + PAGE_SIZE - 1) >> PAGE_SHIFT;
    unsigned long end = ((uintptr_t)start + size) >> PAGE_SHIFT;

    if (pfn >= end)
        return;
    image_released += end - pfn;
    if (zone.state) {
        release_frames(pfn, end);
        return;
    }
    if (nr_early_releases == EARLY_RELEASES)
        panic("page allocator: more than %d image releases before set-up\n", EARLY_RELEASES);
    early_releases[nr_early_releases].pfn = pfn;
    early_releases[nr_early_releases].end = end;
    nr_early_releases++;
}

unsigned long page_alloc_image_released(void)
{
    return image_released;
}

bool page_alloc_grow(void)
{
    unsigned long start = zone.end_pfn, end;
    int rc;

    if (start >= nr_pages || growing)
        return false;
    growing = true;
    end = boot_memory_map(start + GROW_STEP_PAGES);
    rc = buddy_grow(&zone, end);
    /* The page tables stay held: the zone covers them, but they are never free. */
    if (start < tables_end)
        start = tables_end < end ? tables_end : end;
    if (!rc)
        rc = buddy_free_range(&zone, start, end);
    if (rc)
        panic("page allocator: adding frames %#lx-%#lx failed: %d\n", start, end, rc);
    growing = false;
    return true;
}

unsigned long pages_not_yet_added(void)
{
    unsigned long held = zone.end_pfn < tables_end ? tables_end - zone.end_pfn : 0;

    return nr_pages - zone.end_pfn - held;
}

void *alloc_pages(unsigned int order)
{
    long pfn = buddy_alloc(&zone, order);

    /* Nothing free that large: take memory still held, if it can make a difference. */
    while (pfn == -ENOMEM && (1UL << order) <= pages_free_count() && page_alloc_grow())
        pfn = buddy_alloc(&zone, order);
    return pfn < 0 ? NULL : pfn_to_virt(pfn);
}

void free_pages(void *ptr, unsigned int order)
{
    uintptr_t va = (uintptr_t)ptr;
    int rc = -EINVAL;

    if ((va & ~PAGE_MASK) == 0)
        rc = buddy_free(&zone, virt_to_pfn(ptr), order);
    if (rc)
        printk("free_pages(%p, order %u): not an allocated block of that order; ignored\n", ptr,
               order);
}

int pages_allocated_order(const void *ptr)
{
    if ((uintptr_t)ptr & ~PAGE_MASK)
        return -EINVAL;
    return buddy_allocated_order(&zone, virt_to_pfn(ptr));
}

unsigned long pages_free_count(void)
{
    return buddy_free_frames(&zone) + pages_not_yet_added();
}
