/*
 * The direct map: every page of the domain at virtual address pfn * 4096, with the
 * image's protections, built once at boot from the tables Xen started the kernel on.
 */
#ifndef ARCH_DIRECT_MAP_H
#define ARCH_DIRECT_MAP_H

#include <stdbool.h>

#include "arch/page.h"

/* The direct map as far as it is built. */
struct direct_map {
    unsigned long nr_pages;       /* the domain's frames, all to be mapped */
    unsigned long xen_mapped_end; /* frames below this were mapped by Xen's tables */
    unsigned long mapped_end;     /* frames below this are mapped */
    unsigned long nr_tables;      /* page tables the whole map adds */
    unsigned long next_table;     /* the next reserved frame to become a page table */
    unsigned long tables_end;     /* the end of the reserved frames */
    unsigned long new_tables;     /* page-table pages the kernel added */
    unsigned long hypercalls;     /* mmu_update calls it took */
    bool data_nx;                 /* data is non-executable: the CPU has NX */
};

/*
 * Find what Xen mapped of the domain's frames [0, nr_pages), and count the page
 * tables the rest of the map needs. Maps nothing.
 */
void direct_map_init(struct direct_map *map, unsigned long nr_pages);

/*
 * Reserve the frames of those tables from *first_free, which moves past them. The
 * first must be mapped already. Panics when they do not fit.
 */
void direct_map_reserve_tables(struct direct_map *map, unsigned long *first_free);

/*
 * Map the frames up to end, rounded up to a whole level-1 table (512 frames) and at
 * most nr_pages; return the end of what is mapped now. Panics on failure: Xen refusing
 * a table the kernel built is a bug, not a condition to handle.
 */
unsigned long direct_map_extend(struct direct_map *map, unsigned long end);

/*
 * Text read-only, read-only data and everything else non-executable, Xen's bootstrap
 * tables (boot_tables) read-only, page 0 and the guard pages below the boot stack and
 * the idle stack unmapped.
 */
void direct_map_protect(const struct direct_map *map, const struct pfn_range *boot_tables);

#endif
