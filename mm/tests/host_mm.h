/*
 * What every host test of the heap and the code built on it sets up around its tests:
 * the host page allocator (host_page_alloc.c), a count of printk's lines, and at the
 * end a check that the heap holds no object any more.
 *
 *     if (host_mm_init(first_pfn, nr_frames))
 *         return 1;
 *     rc = unit_main(tests, UNIT_COUNT(tests));
 *     return host_mm_exit() ? 1 : rc;
 *
 * unit_main stays in the test's own main: its failure count is per file.
 */
#ifndef MM_TESTS_HOST_MM_H
#define MM_TESTS_HOST_MM_H

/* Give the host page allocator nr_frames frames from first_pfn; 0, or 1 after a message. */
int host_mm_init(unsigned long first_pfn, unsigned long nr_frames);

/* Lines printk has printed since host_mm_init: each refused call prints one. */
unsigned long host_mm_printk_lines(void);

/* 1 (after a message) if the heap still holds an object, else 0; frees the arena. */
int host_mm_exit(void);

#endif
