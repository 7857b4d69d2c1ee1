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
#include "arch/boot_layout.h"

/* The direct map ends below the virtual areas (mm/vmap.h): at most 16 TiB. */
#define BOOT_LAYOUT_MAX_PAGES (1UL << 32)

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

/* Where Xen put the image, the p2m list, start_info and the bootstrap page tables. */
static int locate_boot_regions(const struct start_info *si, const struct boot_layout_facts *facts,
                               struct boot_layout *l, const char **why)
{
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
    return 0;
}

/* The boot module, if any: mod_start is a pfn with SIF_MOD_START_PFN, else an address. */
static int locate_module(const struct start_info *si, struct pfn_range *module, const char **why)
{
    uintptr_t mod = si->flags & SIF_MOD_START_PFN ? si->mod_start << PAGE_SHIFT : si->mod_start;

    *module = (struct pfn_range){0, 0};
    if (si->mod_len && !range_from_bytes(mod, si->mod_len, si->nr_pages, module)) {
        *why = "start_info.mod_start/mod_len lie outside the domain";
        return -EINVAL;
    }
    return 0;
}

/*
 * A domU's xenstore and console pages, as one range from the lower to the higher of
 * those it has (~0UL marks one it lacks); empty for dom0, which has neither.
 */
static int locate_ring_pages(const struct boot_layout_facts *facts, unsigned long nr_pages,
                             struct pfn_range *rings, const char **why)
{
    unsigned long store = facts->store_pfn, console = facts->console_pfn, lo, hi;

    *rings = (struct pfn_range){0, 0};
    if (store == ~0UL && console == ~0UL)
        return 0;
    lo = store < console ? store : console;
    hi = store != ~0UL && store > console ? store : console;
    if (hi == ~0UL)
        hi = lo;
    if (hi >= nr_pages) {
        *why = "the xenstore or console page lies outside the domain";
        return -EINVAL;
    }
    *rings = (struct pfn_range){lo, hi + 1};
    return 0;
}

#define NR_PLACED 5

/* What Xen placed beside the image. */
static void placed_ranges(const struct boot_layout *l, const struct pfn_range *placed[NR_PLACED])
{
    placed[0] = &l->p2m;
    placed[1] = &l->start_info;
    placed[2] = &l->page_tables;
    placed[3] = &l->module;
    placed[4] = &l->ring_pages;
}

/* Nothing Xen placed may overlap the image: it would be overwritten by bss. */
static int check_clear_of_image(const struct boot_layout *l, const char **why)
{
    const struct pfn_range *placed[NR_PLACED];
    size_t i;

    placed_ranges(l, placed);
    for (i = 0; i < NR_PLACED; i++) {
        if (ranges_overlap(placed[i], &l->image)) {
            *why = "a start_info region overlaps the kernel image";
            return -EINVAL;
        }
    }
    return 0;
}

/*
 * The first frame past the image and everything Xen placed. Xen's boot stack, the page
 * after the page tables, is free: _start moves to the kernel's own stack before it
 * pushes or calls anything (arch/x86/pv/boot.S).
 */
static unsigned long first_free_frame(const struct boot_layout *l)
{
    const struct pfn_range *placed[NR_PLACED];
    unsigned long end = l->image.end;
    size_t i;

    placed_ranges(l, placed);
    for (i = 0; i < NR_PLACED; i++)
        if (placed[i]->end > end)
            end = placed[i]->end;
    return end;
}

/*
 * Whether the frames from first_free on hold page tables for the direct map (one per
 * 512 pages), the allocator's state (a byte per page), and room to run.
 */
static int check_room_for_kernel(unsigned long first_free, unsigned long nr_pages, const char **why)
{
    unsigned long need =
        first_free + nr_pages / 512 + 8 + nr_pages / PAGE_SIZE + 1 + BOOT_LAYOUT_MIN_FREE_PAGES;

    if (need > nr_pages) {
        *why = "the domain has too few pages for the kernel";
        return -ENOMEM;
    }
    return 0;
}

int boot_layout_compute(const struct start_info *si, const struct boot_layout_facts *facts,
                        struct boot_layout *l, const char **why)
{
    int rc;

    l->nr_pages = si->nr_pages;
    if (si->nr_pages == 0 || si->nr_pages > BOOT_LAYOUT_MAX_PAGES) {
        *why = "start_info.nr_pages is zero or beyond the 16 TiB the kernel maps";
        return -EINVAL;
    }
    rc = locate_boot_regions(si, facts, l, why);
    if (!rc)
        rc = locate_module(si, &l->module, why);
    if (!rc)
        rc = locate_ring_pages(facts, si->nr_pages, &l->ring_pages, why);
    if (!rc)
        rc = check_clear_of_image(l, why);
    if (rc)
        return rc;
    l->first_free = first_free_frame(l);
    return check_room_for_kernel(l->first_free, si->nr_pages, why);
}
