/*
 * The direct map: every page of the domain at virtual address pfn * 4096, with the
 * image's protections, built once at boot from the tables Xen started the kernel on.
 */
#ifndef ARCH_DIRECT_MAP_H
#define ARCH_DIRECT_MAP_H

#include <stdbool.h>

#include "arch/page.h"

/* What building the direct map found and did. */
struct direct_map {
    unsigned long xen_mapped_end; /* frames below this were mapped by Xen's tables */
    unsigned long new_tables;     /* page-table pages the kernel added */
    unsigned long hypercalls;     /* mmu_update calls it took */
    bool data_nx;                 /* data is non-executable: the CPU has NX */
};

/*
 * Map every frame of the domain, [0, nr_pages). Page-table pages are taken in order
 * from *first_free, which moves past them. Panics on failure: there is no kernel
 * without its memory.
 */
void direct_map_build(struct direct_map *map, unsigned long nr_pages, unsigned long *first_free);

/*
 * Text read-only, read-only data and everything else non-executable, Xen's bootstrap
 * tables (boot_tables) read-only, page 0 and the boot stack's guard page unmapped.
 */
void direct_map_protect(const struct direct_map *map, const struct pfn_range *boot_tables);

#endif
