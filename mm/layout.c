/*
 * Checking Xen's start-of-day layout (xen/xen.h, "Start-of-day memory layout"): the
 * image, then the boot module, the p2m list, start_info, a domU's xenstore and
 * console pages, the bootstrap page tables and Xen's boot stack, all mapped from
 * virtual address 0. Nothing here is trusted until it has been checked: a wrong
 * field would have the kernel hand Xen's own structures to its allocator.
 */
#include <stddef.h>
#include <xen/xen.h>

#include "lib/errno.h"
#include "arch/page.h"
#include "mm/layout.h"

/* The direct map ends below the virtual areas (mm/vmap.h): at most 16 TiB. */
#define MM_MAX_PAGES (1UL << 32)

static unsigned long pfn_up(uintptr_t va)
{
    return (va + PAGE_SIZE - 1) >> PAGE_SHIFT;
}

/* The frames holding bytes [va, va + len), if they lie inside the domain. */
static bool range_from_bytes(uintptr_t va, uint64_t len, unsigned long nr_pages,
                             struct pfn_range *r)
{
    if (len > (uint64_t)nr_pages << PAGE_SHIFT || va > ((uint64_t)nr_pages << PAGE_SHIFT) - len)
        return false;
    r->start = va >> PAGE_SHIFT;
    r->end = len ? pfn_up(va + len) : r->start;
    return true;
}

static bool ranges_overlap(const struct pfn_range *a, const struct pfn_range *b)
{
    return a->start < b->end && b->start < a->end;
}

int mm_layout_compute(const struct start_info *si, const struct mm_boot_facts *facts,
                      struct mm_layout *l, const char **why)
{
    const struct pfn_range *placed[5];
    unsigned long end = 0, need;
    size_t i;

    l->nr_pages = si->nr_pages;
    if (si->nr_pages == 0 || si->nr_pages > MM_MAX_PAGES) {
        *why = "start_info.nr_pages is zero or beyond the 16 TiB the kernel maps";
        return -EINVAL;
    }
    if (!range_from_bytes(0, facts->image_end, si->nr_pages, &l->image)) {
        *why = "the kernel image does not fit in start_info.nr_pages";
        return -EINVAL;
    }
    if (si->mfn_list & ~PAGE_MASK ||
        !range_from_bytes(si->mfn_list, si->nr_pages * sizeof(unsigned long), si->nr_pages,
                          &l->p2m)) {
        *why = "start_info.mfn_list is not a page-aligned list inside the domain";
        return -EINVAL;
    }
    if (!range_from_bytes(facts->start_info_va & PAGE_MASK, PAGE_SIZE, si->nr_pages,
                          &l->start_info)) {
        *why = "start_info itself lies outside the domain";
        return -EINVAL;
    }
    if (si->pt_base & ~PAGE_MASK || si->nr_pt_frames < 4 ||
        !range_from_bytes(si->pt_base, (uint64_t)si->nr_pt_frames << PAGE_SHIFT, si->nr_pages,
                          &l->page_tables)) {
        *why = "start_info.pt_base/nr_pt_frames do not describe four or more page-table "
               "pages inside the domain";
        return -EINVAL;
    }
    l->module = (struct pfn_range){0, 0};
    if (si->mod_len) {
        uintptr_t mod = si->flags & SIF_MOD_START_PFN ? si->mod_start << PAGE_SHIFT : si->mod_start;
        if (!range_from_bytes(mod, si->mod_len, si->nr_pages, &l->module)) {
            *why = "start_info.mod_start/mod_len lie outside the domain";
            return -EINVAL;
        }
    }
    l->ring_pages = (struct pfn_range){0, 0};
    if (facts->store_pfn != ~0UL || facts->console_pfn != ~0UL) {
        unsigned long lo =
            facts->store_pfn < facts->console_pfn ? facts->store_pfn : facts->console_pfn;
        unsigned long hi = facts->store_pfn != ~0UL && facts->store_pfn > facts->console_pfn
                               ? facts->store_pfn
                               : facts->console_pfn;
        if (hi == ~0UL)
            hi = lo;
        if (hi >= si->nr_pages) {
            *why = "the xenstore or console page lies outside the domain";
            return -EINVAL;
        }
        l->ring_pages = (struct pfn_range){lo, hi + 1};
    }

    /* Nothing Xen placed may overlap the image: it would be overwritten by bss. */
    placed[0] = &l->p2m;
    placed[1] = &l->start_info;
    placed[2] = &l->page_tables;
    placed[3] = &l->module;
    placed[4] = &l->ring_pages;
    end = l->image.end;
    for (i = 0; i < 5; i++) {
        if (ranges_overlap(placed[i], &l->image)) {
            *why = "a start_info region overlaps the kernel image";
            return -EINVAL;
        }
        if (placed[i]->end > end)
            end = placed[i]->end;
    }
    /* Xen's boot stack is the page after the page tables; the kernel no longer uses it
     * but nothing says so, so it stays reserved. */
    if (l->page_tables.end + 1 > end)
        end = l->page_tables.end + 1;
    l->first_free = end;

    /* Page tables for the direct map (one per 512 pages), the allocator's state (a
     * byte per page), and room to run. */
    need = end + si->nr_pages / 512 + 8 + si->nr_pages / PAGE_SIZE + 1 + MM_MIN_FREE_PAGES;
    if (need > si->nr_pages) {
        *why = "the domain has too few pages for the kernel";
        return -ENOMEM;
    }
    return 0;
}
