/*
 * mm_init: from Xen's bootstrap mappings to a kernel that can allocate.
 *
 * Check the layout start_info describes, map every page of the domain, set the
 * image's protections, give every remaining frame to the page allocator, then set up
 * the virtual areas. Each step needs the one before it.
 */
#include <xen/xen.h>

#include "lib/errno.h"
#include "lib/panic.h"
#include "lib/printk.h"
#include "arch/direct_map.h"
#include "arch/page.h"
#include "arch/setup.h"
#include "mm/layout.h"
#include "mm/init.h"
#include "mm/page_alloc.h"
#include "mm/vmap.h"

extern char _text[], _etext[], _rodata[], _erodata[], _data[], _end[];

static struct mm_layout layout;

static void report_range(const char *what, const struct pfn_range *r)
{
    if (r->start == r->end)
        printk("  %-14s none\n", what);
    else
        printk("  %-14s 0x%08lx - 0x%08lx (%lu page%s)\n", what, r->start << PAGE_SHIFT,
               r->end << PAGE_SHIFT, r->end - r->start, r->end - r->start == 1 ? "" : "s");
}

static struct direct_map direct_map;

void mm_report(void)
{
    unsigned long free = pages_free_count();

    printk("Memory: %lu pages (%lu MiB); pfn N is at virtual address N * 4096\n", layout.nr_pages,
           layout.nr_pages >> 8);
    printk("  %-14s 0x%08lx - 0x%08lx (text %#lx-%#lx, rodata -%#lx, data and bss -%#lx)\n",
           "image", 0UL, layout.image.end << PAGE_SHIFT, (unsigned long)_text,
           (unsigned long)_etext, (unsigned long)_erodata, (unsigned long)_end);
    report_range("boot module", &layout.module);
    report_range("p2m list", &layout.p2m);
    report_range("start_info", &layout.start_info);
    report_range("ring pages", &layout.ring_pages);
    report_range("boot tables", &layout.page_tables);
    printk("  %-14s 0x%08lx - 0x%08lx (Xen mapped up to %#lx; %lu tables added, "
           "%lu mmu_update calls)\n",
           "direct map", 0UL, layout.nr_pages << PAGE_SHIFT,
           direct_map.xen_mapped_end << PAGE_SHIFT, direct_map.new_tables, direct_map.hypercalls);
    printk("  %-14s %lu pages (%lu KiB) free from pfn %#lx; kernel uses %lu pages\n",
           "page allocator", free, free << 2, layout.first_free, layout.nr_pages - free);
    printk("  %-14s size classes 16 B - 2 KiB, larger from the page allocator\n", "heap");
    printk("  %-14s %#lx - %#lx (%lu GiB), for stacks and second mappings\n", "virtual areas",
           VMAP_START, VMAP_START + (VMAP_PAGES << PAGE_SHIFT), VMAP_PAGES >> 18);
    printk("  %-14s page 0, the boot stack's guard page; text read-only%s\n", "unmapped",
           direct_map.data_nx ? ", data non-executable" : " (no NX on this CPU)");
}

void mm_init(void)
{
    const struct start_info *si = start_info;
    struct mm_boot_facts facts = {
        .image_end = (uintptr_t)_end,
        .start_info_va = start_info_xen_va,
        .store_pfn = ~0UL,
        .console_pfn = ~0UL,
    };
    const char *why = "";
    int rc;

    /* A domU's xenstore and console pages are frames of its own, inside the layout. */
    if (!(si->flags & SIF_INITDOMAIN)) {
        facts.store_pfn = mfn_to_pfn(si->store_mfn);
        facts.console_pfn = mfn_to_pfn(si->console.domU.mfn);
    }
    rc = mm_layout_compute(si, &facts, &layout, &why);
    if (rc)
        panic("memory: %s (%s)\n", why, rc == -ENOMEM ? "too little memory" : "bad start_info");

    direct_map_build(&direct_map, layout.nr_pages, &layout.first_free);
    direct_map_protect(&direct_map, &layout.page_tables);
    page_alloc_init(&layout);
    rc = vmap_init();
    if (rc)
        panic("virtual areas: no memory for their bookkeeping: %d\n", rc);
}
