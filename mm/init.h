/*
 * Memory management at start of day: the direct map of all memory, the page
 * allocator, the heap and the virtual areas, set up by one call.
 */
#ifndef MM_INIT_H
#define MM_INIT_H

/* Panics, with the reason, when the domain's memory cannot be used. */
void mm_init(void);

/* Print the memory layout start of day built. */
void mm_report(void);

/*
 * Pages not free when mm_init ended, less the heap's: the image, what Xen set up, the
 * allocator's state, the tables set aside for the direct map.
 */
unsigned long mm_pages_in_use_at_init(void);

#endif
