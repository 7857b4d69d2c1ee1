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

#endif
