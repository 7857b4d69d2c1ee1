/*
 * The setup shared by the host tests of the heap and what is built on it (see
 * host_mm.h).
 */
#include <stdio.h>
#include "lib/printk.h"
#include "mm/heap.h"
#include "mm/tests/host_mm.h"
#include "mm/tests/host_page_alloc.h"

static unsigned long printk_lines;

static void count_sink(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++)
        printk_lines += text[i] == '\n';
}

int host_mm_init(unsigned long first_pfn, unsigned long nr_frames)
{
    int rc = host_page_alloc_init(first_pfn, nr_frames);

    if (rc) {
        printf("host_page_alloc_init: %d\n", rc);
        return 1;
    }
    if (printk_add_sink(count_sink)) {
        printf("printk_add_sink failed\n");
        host_page_alloc_exit();
        return 1;
    }
    printk_lines = 0;
    return 0;
}

unsigned long host_mm_printk_lines(void)
{
    return printk_lines;
}

int host_mm_exit(void)
{
    struct heap_stats stats;
    int rc = 0;

    heap_get_stats(&stats);
    if (stats.allocations != 0) {
        printf("leak: %lu heap objects still allocated\n", stats.allocations);
        rc = 1;
    }
    printk_remove_sink(count_sink);
    host_page_alloc_exit();
    return rc;
}
