/*
 * The kernel's page allocator: one buddy zone (mm/buddy.c) over every frame left
 * free after start of day, addressed through the direct map.
 */
#include "lib/errno.h"
#include "lib/panic.h"
#include "lib/printk.h"
#include "arch/boot_memory.h"
#include "arch/page.h"
#include "mm/buddy.h"
#include "mm/page_alloc.h"

static struct buddy_zone zone;

void page_alloc_init(struct boot_memory *mem)
{
    unsigned long nr = mem->nr_pages;
    size_t state_pages = (buddy_state_bytes(nr) + PAGE_SIZE - 1) >> PAGE_SHIFT;
    unsigned long first = mem->first_free;
    int rc;

    /* The zone's state comes first, from frames nothing else uses yet. */
    if (first + state_pages >= nr)
        panic("no memory for the page allocator's state (%zu pages)\n", state_pages);
    mem->first_free += state_pages;
    rc = buddy_init(&zone, 0, first, nr, pfn_to_virt(first));
    if (!rc)
        rc = buddy_free_range(&zone, mem->first_free, nr);
    if (rc)
        panic("page allocator setup failed: %d\n", rc);
}

void *alloc_pages(unsigned int order)
{
    long pfn = buddy_alloc(&zone, order);

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
    return buddy_free_frames(&zone);
}
