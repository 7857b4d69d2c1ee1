/*
 * The direct map: every page of the domain at virtual address pfn * 4096, with the
 * image's protections, built once at boot.
 */
#ifndef MM_DIRECT_MAP_H
#define MM_DIRECT_MAP_H

#include "mm/layout.h"

struct direct_map_stats {
    unsigned long new_tables; /* page-table pages the kernel added */
    unsigned long hypercalls; /* mmu_update calls it took */
};

/*
 * Map every frame of the domain. Page-table pages are taken in order from
 * layout->first_free, which moves past them. Panics on failure: there is no kernel
 * without its memory.
 */
void direct_map_build(struct mm_layout *layout, struct direct_map_stats *stats);

/*
 * Text read-only, read-only data and everything else non-executable, page 0 and the
 * boot stack's guard page unmapped.
 */
void direct_map_protect(const struct mm_layout *layout);

#endif
