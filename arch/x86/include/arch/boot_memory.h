/*
 * The domain's memory at start of day, made ready for the page allocator: what the
 * guest was handed checked, every page mapped at pfn * 4096, the image protected.
 * A PV guest does it from start_info (arch/x86/pv/boot_memory.c).
 */
#ifndef ARCH_BOOT_MEMORY_H
#define ARCH_BOOT_MEMORY_H

#include <stdbool.h>

/* What the page allocator may take. */
struct boot_memory {
    unsigned long nr_pages;   /* the domain's frames, [0, nr_pages), all mapped */
    unsigned long first_free; /* the first frame nothing uses yet */
    bool data_nx;             /* data is mapped non-executable: the CPU has NX */
};

/* Panics, with the reason, when the domain's memory cannot be used. */
void boot_memory_init(struct boot_memory *mem);

/* Print where the start of day put each thing, and how all memory was mapped. */
void boot_memory_report(void);

#endif
