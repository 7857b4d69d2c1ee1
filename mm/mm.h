/*
 * Memory management at start of day: the direct map of all memory, the page
 * allocator, the heap and the virtual areas, set up by one call.
 */
#ifndef MM_MM_H
#define MM_MM_H

#include "mm/layout.h"

/* Panics, with the reason, when the domain's memory cannot be used. */
void mm_init(void);

/* Print the memory layout start of day built. */
void mm_report(void);

/* What start of day found and built, for reports and tests. */
const struct mm_layout *mm_boot_layout(void);

#endif
