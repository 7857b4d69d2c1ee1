/*
 * Building the direct map.
 *
 * Xen's bootstrap tables map only the image and what follows it, up to a 4 MiB
 * boundary at least 512 KiB past the last bootstrap element. The kernel extends them to
 * every page of the domain, in steps: at boot only as far as the start of day needs,
 * the rest later (mm/page_alloc.c), so that a large domain boots as fast as a small
 * one. Each missing level-1 table is filled with its 512 entries while it is still an
 * ordinary writable page, then made read-only and hooked in with two queued requests:
 * Xen checks the whole table once, when it is hooked, instead of taking one hypercall
 * per page.
 *
 * Every table the whole map needs is counted at boot and its frame reserved, so that
 * extending the map later never allocates. Table frames are taken from the
 * reservation in order. They are always below the part of memory being mapped, and
 * already mapped themselves, because the reservation starts below it and each table
 * maps 512 pages and takes only one.
 */
#include "lib/panic.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "arch/direct_map.h"
#include "arch/pagetable.h"
#include "arch/setup.h"

extern char _text[], _etext[], _rodata[], _erodata[], _data[], _end[];
extern char boot_stack_guard[], idle_stack_guard[];

struct builder {
    struct direct_map *map;
    struct pt_batch batch;
    unsigned long walked_end;  /* frames below this are mapped, or queued to be */
    unsigned long flushed_end; /* frames below this are mapped: Xen has the requests */
};

static void builder_flush(struct builder *bld)
{
    if (bld->batch.count == 0)
        return;
    bld->map->hypercalls++;
    if (pt_batch_flush(&bld->batch))
        panic("building the direct map failed\n");
    bld->flushed_end = bld->walked_end;
}

static void builder_set(struct builder *bld, const pte_t *entry, pte_t value)
{
    if (bld->batch.count == PT_BATCH_SIZE - 1)
        builder_flush(bld);
    if (pt_batch_set(&bld->batch, entry, value))
        panic("building the direct map failed\n");
}

/* A fresh table page, mapped and zeroed, taken from the reserved frames. */
static pte_t *builder_new_table(struct builder *bld)
{
    unsigned long pfn = bld->map->next_table++;

    if (pfn >= bld->map->tables_end)
        panic("more page tables needed than counted, at pfn %lu\n", pfn);
    /*
     * The requests that map this frame must have reached Xen before it is touched.
     * Table frames are taken far more slowly than the walk maps frames (one per 512),
     * so a flush always catches up; the check keeps that promise honest.
     */
    if (pfn >= bld->flushed_end) {
        if (bld->batch.count == 0)
            bld->flushed_end = bld->walked_end; /* nothing queued: all walked is mapped */
        else
            builder_flush(bld);
        if (pfn >= bld->flushed_end)
            panic("page-table frame %#lx is not mapped yet\n", pfn);
    }
    bld->map->new_tables++;
    memset(pfn_to_virt(pfn), 0, PAGE_SIZE);
    return pfn_to_virt(pfn);
}

/* Install a filled table under parent: read-only first, then hooked in. */
static void builder_install(struct builder *bld, pte_t *parent, pte_t *table)
{
    if (bld->batch.count >= PT_BATCH_SIZE - 2)
        builder_flush(bld);
    if (pt_batch_install_table(&bld->batch, parent, table))
        panic("installing a page table failed\n");
}

/* The table under *entry, creating it (and flushing, so later walks see it). */
static pte_t *builder_table_below(struct builder *bld, pte_t *entry)
{
    if (!(*entry & PTE_PRESENT)) {
        pte_t *table = builder_new_table(bld);

        builder_install(bld, entry, table);
        builder_flush(bld);
    }
    return pt_entry_table(*entry);
}

static pte_t direct_map_pte(unsigned long pfn)
{
    return pte_make(pfn_to_mfn(pfn), PTE_PRESENT | PTE_RW | PTE_ACCESSED | PTE_DIRTY | pt_nx());
}

/* Whether pfn is the first frame one entry of a table at this level maps. */
static bool table_aligned(unsigned long pfn, unsigned int level)
{
    return ((pfn << PAGE_SHIFT) & ((1UL << PT_LEVEL_SHIFT(level)) - 1)) == 0;
}

/*
 * Count the tables mapping [0, nr_pages) adds, and find where Xen's mapping ends. A
 * table is missing where its parent entry is, and it is counted once, at the first
 * frame it would map.
 */
static unsigned long tables_to_add(struct direct_map *map)
{
    unsigned long pfn, count = 0;

    map->xen_mapped_end = map->nr_pages;
    for (pfn = 0; pfn < map->nr_pages; pfn += PT_ENTRIES) {
        uintptr_t va = pfn << PAGE_SHIFT;
        pte_t *l2e = pt_lookup(va, 2);
        pte_t *l1;
        unsigned long i;

        if (!pt_lookup(va, 3))
            count += table_aligned(pfn, 4);
        if (!l2e)
            count += table_aligned(pfn, 3);
        if (!l2e || !(*l2e & PTE_PRESENT)) {
            count++;
            if (map->xen_mapped_end == map->nr_pages)
                map->xen_mapped_end = pfn ? pfn : 1;
            continue;
        }
        l1 = pt_entry_table(*l2e);
        for (i = pfn ? 0 : 1; i < PT_ENTRIES && pfn + i < map->nr_pages; i++)
            if (!(l1[i] & PTE_PRESENT) && map->xen_mapped_end == map->nr_pages)
                map->xen_mapped_end = pfn + i;
    }
    return count;
}

void direct_map_init(struct direct_map *map, unsigned long nr_pages)
{
    /* The map grows from the tables Xen built, which it handed over in start_info. */
    pt_init((pte_t *)start_info->pt_base);
    *map = (struct direct_map){.nr_pages = nr_pages, .data_nx = pt_nx() != 0};
    map->nr_tables = tables_to_add(map);
    /* At least 1: page 0 stays unmapped (arch/x86/pv/setup.c), so NULL faults. */
    map->mapped_end = map->xen_mapped_end;
}

void direct_map_reserve_tables(struct direct_map *map, unsigned long *first_free)
{
    unsigned long tables = map->nr_tables;

    /* The first table maps frames past the mapped ones, so it must lie below them. */
    if (*first_free + tables >= map->nr_pages || *first_free >= map->mapped_end)
        panic("no room for the direct map's %lu page tables at pfn %#lx\n", tables, *first_free);
    map->next_table = *first_free;
    map->tables_end = *first_free + tables;
    *first_free = map->tables_end;
}

unsigned long direct_map_extend(struct direct_map *map, unsigned long end)
{
    struct builder bld = {.map = map};
    unsigned long pfn = map->mapped_end;

    /* Whole tables at a time: one hooked table maps 512 frames for one check by Xen. */
    end = (end + PT_ENTRIES - 1) & ~(PT_ENTRIES - 1);
    if (end > map->nr_pages)
        end = map->nr_pages;
    bld.walked_end = bld.flushed_end = pfn;
    pt_batch_init(&bld.batch);
    while (pfn < end) {
        uintptr_t va = pfn << PAGE_SHIFT;
        pte_t *l3 = builder_table_below(&bld, &pt_root()[PT_INDEX(va, 4)]);
        pte_t *l2 = builder_table_below(&bld, &l3[PT_INDEX(va, 3)]);
        pte_t *l2e = &l2[PT_INDEX(va, 2)];
        unsigned long first = pfn, last = (pfn | (PT_ENTRIES - 1)) + 1;

        if (last > end)
            last = end;
        if (!(*l2e & PTE_PRESENT)) {
            /* A whole new level-1 table: fill it while it is writable. */
            pte_t *l1 = builder_new_table(&bld);

            for (pfn = first; pfn < last; pfn++)
                l1[PT_INDEX(pfn << PAGE_SHIFT, 1)] = pfn ? direct_map_pte(pfn) : 0;
            builder_install(&bld, l2e, l1);
        } else {
            /* A table Xen built: map only what it left out. */
            pte_t *l1 = pt_entry_table(*l2e);

            for (pfn = first; pfn < last; pfn++) {
                pte_t *l1e = &l1[PT_INDEX(pfn << PAGE_SHIFT, 1)];

                if (!(*l1e & PTE_PRESENT))
                    builder_set(&bld, l1e, direct_map_pte(pfn));
            }
        }
        bld.walked_end = last;
    }
    builder_flush(&bld);
    map->mapped_end = end > map->mapped_end ? end : map->mapped_end;
    return map->mapped_end;
}

static bool in_range(uintptr_t va, const char *start, const char *end)
{
    return va >= (uintptr_t)start && va < (uintptr_t)end;
}

static bool pfn_in(unsigned long pfn, const struct pfn_range *r)
{
    return pfn >= r->start && pfn < r->end;
}

/* What the page at pfn may do, or 0 to leave it unmapped. */
static uint64_t protection_for(const struct pfn_range *boot_tables, unsigned long pfn)
{
    uintptr_t va = pfn << PAGE_SHIFT;
    uint64_t ro = PTE_PRESENT | PTE_ACCESSED, rw = ro | PTE_RW | PTE_DIRTY;

    if (pfn == 0 || va == (uintptr_t)boot_stack_guard || va == (uintptr_t)idle_stack_guard)
        return 0;
    if (in_range(va, _text, _etext))
        return ro;
    if (in_range(va, _rodata, _erodata) || pfn_in(pfn, boot_tables))
        return ro | pt_nx();
    return rw | pt_nx();
}

void direct_map_protect(const struct direct_map *map, const struct pfn_range *boot_tables)
{
    struct pt_batch b;
    unsigned long pfn;
    int rc = 0;

    /* Only the frames Xen mapped carry anything but plain data; the rest are
     * mapped read-write and non-executable by direct_map_extend, or are tables. */
    pt_batch_init(&b);
    for (pfn = 1; pfn < map->xen_mapped_end && !rc; pfn++) {
        pte_t *l1e = pt_lookup(pfn << PAGE_SHIFT, 1);
        uint64_t flags = protection_for(boot_tables, pfn);
        pte_t want;

        if (!l1e || !(*l1e & PTE_PRESENT))
            continue;
        /* Frames that became tables while the map was built stay read-only. */
        if (!(*l1e & PTE_RW) && flags & PTE_RW)
            flags &= ~(PTE_RW | PTE_DIRTY);
        /* Keep the frame: shared_info, for one, is not the frame p2m names. */
        want = flags ? (*l1e & PTE_ADDR_MASK) | flags : 0;
        if (want != *l1e)
            rc = pt_batch_set(&b, l1e, want);
    }
    if (!rc)
        rc = pt_batch_flush(&b);
    if (rc)
        panic("setting the kernel's page protections failed: %d\n", rc);
    pt_flush_tlb();
}
