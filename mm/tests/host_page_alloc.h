/*
 * The host stand-in for mm/page_alloc.c (host_page_alloc.c): what a host test calls
 * besides the page_alloc.h API, to give the allocator its arena and take it back.
 */
#ifndef MM_TESTS_HOST_PAGE_ALLOC_H
#define MM_TESTS_HOST_PAGE_ALLOC_H

/* Frames [first_pfn, first_pfn + nr_frames), all free: 0, or a negative errno. */
int host_page_alloc_init(unsigned long first_pfn, unsigned long nr_frames);

void host_page_alloc_exit(void);

/* free_pages calls refused since host_page_alloc_init. */
unsigned long host_page_alloc_bad_frees(void);

#endif
