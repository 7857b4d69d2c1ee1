/*
 * A PV guest's memory at start of day: check the layout start_info describes, count
 * the page tables the direct map needs and set the image's protections. Each step
 * needs the one before it. The page allocator then has the tables set aside and the
 * rest of the direct map built as it adds memory (mm/page_alloc.c).
 */
#include <xen/xen.h>

#include "lib/errno.h"
#include "lib/panic.h"
#include "lib/printk.h"
#include "arch/boot_layout.h"
#include "arch/boot_memory.h"
#include "arch/direct_map.h"
#include "arch/page.h"
#include "arch/setup.h"

extern char _text[], _etext[], _rodata[], _erodata[], _data[], _end[];

static struct boot_layout layout;
static struct direct_map direct_map;

static void report_range(const char *what, const struct pfn_range *r)
{
    if (r->start == r->end)
        printk("  %-14s none\n", what);
    else
        printk("  %-14s 0x%08lx - 0x%08lx (%lu page%s)\n", what, r->start << PAGE_SHIFT,
               r->end << PAGE_SHIFT, r->end - r->start, r->end - r->start == 1 ? "" : "s");
}

void boot_memory_report(void)
{
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
    printk("  %-14s 0x%08lx - 0x%08lx (Xen mapped up to %#lx, now up to %#lx, the rest on "
           "request; %lu tables added, %lu mmu_update calls)\n",
           "direct map", 0UL, layout.nr_pages << PAGE_SHIFT,
           direct_map.xen_mapped_end << PAGE_SHIFT, direct_map.mapped_end << PAGE_SHIFT,
           direct_map.new_tables, direct_map.hypercalls);
}

void boot_memory_init(struct boot_memory *mem)
{
    const struct start_info *si = start_info;
    struct boot_layout_facts facts = {
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
    rc = boot_layout_compute(si, &facts, &layout, &why);
    if (rc)
        panic("memory: %s (%s)\n", why, rc == -ENOMEM ? "too little memory" : "bad start_info");

    direct_map_init(&direct_map, layout.nr_pages);
    direct_map_protect(&direct_map, &layout.page_tables);
    *mem = (struct boot_memory){
        .nr_pages = layout.nr_pages,
        .first_free = layout.first_free,
        .mapped_end = direct_map.mapped_end,
        .data_nx = direct_map.data_nx,
    };
}

void boot_memory_reserve_tables(struct boot_memory *mem)
{
    direct_map_reserve_tables(&direct_map, &mem->first_free);
}

unsigned long boot_memory_map(unsigned long end)
{
    return direct_map_extend(&direct_map, end);
}
