/*
 * mm_init: from Xen's bootstrap mappings to a kernel that can allocate.
 *
 * arch/ checks what the domain was handed, sets aside the page tables of the direct
 * map and sets the image's protections; then the page allocator takes the free frames
 * mapped so far (the rest follow while the kernel idles, or on the first allocation
 * that needs them), and the virtual areas are set up. Each step needs the one before.
 */
#include "lib/panic.h"
#include "lib/printk.h"
#include "arch/boot_memory.h"
#include "arch/page.h"
#include "mm/heap.h"
#include "mm/init.h"
#include "mm/page_alloc.h"
#include "mm/vmap.h"

static struct boot_memory memory;
static unsigned long in_use_at_init;

void mm_report(void)
{
    unsigned long free = pages_free_count();

    boot_memory_report();
    printk("  %-14s %lu pages (%lu KiB) free from pfn %#lx; kernel uses %lu pages, "
           "%lu image pages given back\n",
           "page allocator", free, free << 2, memory.first_free, memory.nr_pages - free,
           page_alloc_image_released());
    printk("  %-14s size classes 16 B - 2 KiB, larger from the page allocator\n", "heap");
    printk("  %-14s %#lx - %#lx (%lu GiB), for stacks and second mappings\n", "virtual areas",
           VMAP_START, VMAP_START + (VMAP_PAGES << PAGE_SHIFT), VMAP_PAGES >> 18);
    printk("  %-14s page 0, the boot and idle stacks' guard pages; text read-only%s\n", "unmapped",
           memory.data_nx ? ", data non-executable" : " (no NX on this CPU)");
}

void mm_init(void)
{
    struct heap_stats heap;
    int rc;

    boot_memory_init(&memory);
    page_alloc_init(&memory);
    rc = vmap_init();
    if (rc)
        panic("virtual areas: the region is not valid: %d\n", rc);
    heap_get_stats(&heap);
    in_use_at_init = memory.nr_pages - pages_free_count() - heap.pages_in_use;
}

unsigned long mm_pages_in_use_at_init(void)
{
    return in_use_at_init;
}
