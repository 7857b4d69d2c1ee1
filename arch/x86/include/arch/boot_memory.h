/*
 * The domain's memory at start of day, made ready for the page allocator: what the
 * guest was handed checked, the image protected, and pages mapped at pfn * 4096: at
 * first only what Xen mapped, the rest when the page allocator asks for it.
 * A PV guest does it from start_info (arch/x86/pv/boot_memory.c).
 */
#ifndef ARCH_BOOT_MEMORY_H
#define ARCH_BOOT_MEMORY_H

#include <stdbool.h>

/* What the page allocator may take. */
struct boot_memory {
    unsigned long nr_pages;   /* the domain's frames, [0, nr_pages) */
    unsigned long first_free; /* the first frame nothing uses yet */
    unsigned long mapped_end; /* frames below this are mapped; boot_memory_map maps more */
    bool data_nx;             /* data is mapped non-executable: the CPU has NX */
};

/* Panics, with the reason, when the domain's memory cannot be used. */
void boot_memory_init(struct boot_memory *mem);

/*
 * Set aside, from mem->first_free on, the frames of every page table the rest of the
 * direct map needs; first_free moves past them. Once, before boot_memory_map, with
 * mem->first_free below mem->mapped_end.
 */
void boot_memory_reserve_tables(struct boot_memory *mem);

/*
 * Map the frames up to end (rounded up to 512 frames, at most nr_pages) and return
 * the new mapped_end. Takes no memory: every page table it needs was set aside by
 * boot_memory_reserve_tables.
 */
unsigned long boot_memory_map(unsigned long end);

/* Print where the start of day put each thing, and how all memory was mapped. */
void boot_memory_report(void);

#endif
