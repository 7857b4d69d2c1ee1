/*
 * Memory: the direct map covers every page with the right protections, the page
 * allocator hands out every free frame and takes them all back, the heap keeps its
 * promises, and virtual areas map frames and stacks with guard pages.
 */
#include <stdbool.h>

#include "lib/errno.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "arch/boot_info.h"
#include "arch/pagetable.h"
#include "arch/probe.h"
#include "arch/setup.h"
#include "kernel/test.h"
#include "mm/buddy.h"
#include "mm/heap.h"
#include "mm/init.h"
#include "mm/page_alloc.h"
#include "mm/vmap.h"

extern char _text[], _etext[], _rodata[], _data[], _end[], boot_stack_guard[], idle_stack_guard[];

static pte_t leaf(const void *va)
{
    pte_t *e = pt_lookup((uintptr_t)va, 1);

    return e ? *e : 0;
}

/*
 * Right after boot most of a large domain's memory is still being added, yet every
 * frame of it can be allocated at once: an allocation that finds nothing free adds
 * the next frames itself. Whole blocks, largest first, so only their heads are
 * touched and the test stays quick at any size.
 */
KERNEL_TEST(page_allocator_takes_memory_still_being_added)
{
    unsigned long before = pages_free_count(), n = 0;
    unsigned long held = pages_not_yet_added();
    void *head = NULL, *block;
    int order;

    printk("page allocator: %lu of %lu free pages still to be added\n", held, before);
    for (order = BUDDY_MAX_ORDER; order >= 0; order--) {
        while ((block = alloc_pages(order)) != NULL) {
            *(void **)block = head;
            ((unsigned long *)block)[1] = order;
            head = block;
            n += 1UL << order;
        }
    }
    TEST_ASSERT_EQ(n, before);
    TEST_ASSERT_EQ(pages_not_yet_added(), 0);
    TEST_ASSERT_EQ(pages_free_count(), 0);
    while (head) {
        void *next = *(void **)head;

        free_pages(head, ((unsigned long *)head)[1]);
        head = next;
    }
    TEST_ASSERT_EQ(pages_free_count(), before);
}

KERNEL_TEST(direct_map_covers_every_page)
{
    unsigned long nr = boot_nr_pages(), pfn;
    unsigned long step = nr / 4096 + 1;

    /* The map reaches every frame once the allocator has added them all. */
    while (page_alloc_grow())
        ;
    for (pfn = 1; pfn < nr; pfn += step) {
        pte_t e = leaf(pfn_to_virt(pfn));

        if (pfn_to_virt(pfn) == boot_stack_guard || pfn_to_virt(pfn) == idle_stack_guard)
            continue; /* unmapped on purpose */
        TEST_ASSERT(e & PTE_PRESENT);
        if (pfn_to_virt(pfn) == shared_info) {
            /* Mapped onto Xen's frame, not its own (arch/x86/pv/setup.c). */
            TEST_ASSERT_EQ(pte_mfn(e), start_info->shared_info >> PAGE_SHIFT);
            continue;
        }
        TEST_ASSERT_EQ(pte_mfn(e), pfn_to_mfn(pfn));
    }
    TEST_ASSERT_EQ(pte_mfn(leaf(pfn_to_virt(nr - 1))), pfn_to_mfn(nr - 1));
    /* Nothing past the domain's last page. */
    TEST_ASSERT(!(leaf(pfn_to_virt(nr)) & PTE_PRESENT));
}

KERNEL_TEST(image_protections)
{
    TEST_ASSERT(!(leaf(NULL) & PTE_PRESENT));
    TEST_ASSERT(!(leaf(boot_stack_guard) & PTE_PRESENT));
    TEST_ASSERT(!(leaf(idle_stack_guard) & PTE_PRESENT));
    /* Text: read-only and executable. */
    TEST_ASSERT(leaf(_text + PAGE_SIZE) & PTE_PRESENT);
    TEST_ASSERT(!(leaf(_text + PAGE_SIZE) & PTE_RW));
    TEST_ASSERT(!(leaf(_text + PAGE_SIZE) & PTE_NX));
    /* Read-only data and writable data are not executable where the CPU allows. */
    TEST_ASSERT(!(leaf(_rodata) & PTE_RW));
    TEST_ASSERT_EQ(leaf(_rodata) & PTE_NX, pt_nx());
    TEST_ASSERT(leaf(_data) & PTE_RW);
    TEST_ASSERT_EQ(leaf(_data) & PTE_NX, pt_nx());
    TEST_ASSERT(pt_nx() != 0); /* the rig's CPU has NX */
    /* Page tables: read-only, as Xen requires. */
    TEST_ASSERT(!(leaf(pt_root()) & PTE_RW));
}

KERNEL_TEST(page_allocator_gives_every_frame_back)
{
    unsigned long before = pages_free_count(), n = 0;
    void *head = NULL, *page;

    /* Chain every free page through its first word, writing each one. */
    while ((page = alloc_page()) != NULL) {
        TEST_ASSERT(((uintptr_t)page & ~PAGE_MASK) == 0);
        TEST_ASSERT(leaf(page) & PTE_RW);
        memset(page, 0xa5, PAGE_SIZE);
        *(void **)page = head;
        head = page;
        n++;
    }
    TEST_ASSERT_EQ(n, before);
    TEST_ASSERT_EQ(pages_free_count(), 0);
    TEST_ASSERT_EQ(pages_not_yet_added(), 0);
    TEST_ASSERT(alloc_pages(0) == NULL);
    while (head) {
        void *next = *(void **)head;

        TEST_ASSERT_EQ(((unsigned char *)head)[PAGE_SIZE - 1], 0xa5);
        free_page(head);
        head = next;
    }
    TEST_ASSERT_EQ(pages_free_count(), before);
}

KERNEL_TEST(page_allocator_blocks_are_aligned_and_coalesce)
{
    unsigned long before = pages_free_count();
    void *blocks[8];
    unsigned int order;

    for (order = 0; order < 8; order++) {
        blocks[order] = alloc_pages(order);
        TEST_ASSERT(blocks[order] != NULL);
        TEST_ASSERT_EQ((uintptr_t)blocks[order] & ((PAGE_SIZE << order) - 1), 0);
        TEST_ASSERT_EQ(pages_allocated_order(blocks[order]), order);
    }
    TEST_ASSERT_EQ(pages_free_count(), before - 255);
    for (order = 0; order < 8; order++)
        free_pages(blocks[order], order);
    TEST_ASSERT_EQ(pages_free_count(), before);
    /* A wrong free is reported and changes nothing. */
    free_pages(blocks[3], 3);
    TEST_ASSERT_EQ(pages_free_count(), before);
}

KERNEL_TEST(heap_alignment_and_reuse)
{
    struct heap_stats start, now;
    size_t align;

    heap_trim();
    heap_get_stats(&start);
    for (align = 1; align <= 2 * PAGE_SIZE; align <<= 1) {
        char *p = xmalloc(24, align);

        TEST_ASSERT(p != NULL);
        TEST_ASSERT_EQ((uintptr_t)p & (align - 1), 0);
        memset(p, 1, 24);
        xfree(p);
    }
    char *z = xzalloc(5000, 0);
    TEST_ASSERT(z != NULL && z[0] == 0 && z[4999] == 0);
    z = xrealloc(z, 100, 0); /* shrinking keeps the contents */
    TEST_ASSERT(z != NULL && z[99] == 0);
    xfree(z);
    heap_trim();
    heap_get_stats(&now);
    TEST_ASSERT_EQ(now.allocations, start.allocations);
    TEST_ASSERT_EQ(now.pages_in_use, start.pages_in_use);
}

KERNEL_TEST(heap_exhaustion_returns_null)
{
    unsigned long before = pages_free_count();
    void *huge = xmalloc((size_t)boot_nr_pages() * PAGE_SIZE, 0);

    TEST_ASSERT(huge == NULL);
    TEST_ASSERT(xmalloc(16, 3) == NULL); /* not a power of two */
    TEST_ASSERT_EQ(pages_free_count(), before);
    huge = xmalloc(64, 0); /* and it still works */
    TEST_ASSERT(huge != NULL);
    xfree(huge);
}

/* A small deterministic generator: the same sequence on every boot. */
static uint32_t lcg_next(uint32_t *state)
{
    *state = *state * 1664525u + 1013904223u;
    return *state >> 8;
}

KERNEL_TEST(heap_100000_mixed_operations_leak_nothing)
{
    static void *slots[256];
    static size_t sizes[256];
    unsigned long pages_before;
    struct heap_stats start, end;
    uint32_t rng = 12345;
    unsigned int i;

    heap_trim();
    heap_get_stats(&start);
    pages_before = pages_free_count();
    for (i = 0; i < 100000; i++) {
        unsigned int k = lcg_next(&rng) % 256;
        size_t size = 1 + lcg_next(&rng) % (lcg_next(&rng) % 8 == 0 ? 20000 : 300);

        if (slots[k]) {
            /* The block kept what was written into it. */
            TEST_ASSERT_EQ(((unsigned char *)slots[k])[sizes[k] - 1], (unsigned char)k);
            if (lcg_next(&rng) % 2) {
                xfree(slots[k]);
                slots[k] = NULL;
                continue;
            }
            slots[k] = xrealloc(slots[k], size, 0);
        } else {
            slots[k] = xmalloc(size, 0);
        }
        TEST_ASSERT(slots[k] != NULL);
        sizes[k] = size;
        memset(slots[k], k, size);
    }
    for (i = 0; i < 256; i++) {
        xfree(slots[i]);
        slots[i] = NULL;
    }
    heap_trim();
    heap_get_stats(&end);
    TEST_ASSERT_EQ(end.allocations, start.allocations);
    TEST_ASSERT_EQ(end.bytes_in_use, start.bytes_in_use);
    TEST_ASSERT_EQ(pages_free_count(), pages_before);
}

static bool read_faults(const void *va)
{
    unsigned long v;

    return probe_read(va, &v) == -EFAULT;
}

KERNEL_TEST(vmap_maps_a_frame_at_a_second_address)
{
    size_t space = vmap_free_pages();
    unsigned long *page = alloc_page(), *alias;
    mfn_t mfn;

    TEST_ASSERT(page != NULL);
    mfn = pfn_to_mfn(virt_to_pfn(page));
    page[7] = 0x1234abcd;
    alias = vmap_map_mfns(&mfn, 1);
    TEST_ASSERT(alias != NULL);
    TEST_ASSERT((uintptr_t)alias >= VMAP_START);
    TEST_ASSERT_EQ(alias[7], 0x1234abcd);
    alias[8] = 42; /* writes through the alias land in the page */
    TEST_ASSERT_EQ(page[8], 42);
    TEST_ASSERT_EQ(vmap_unmap(alias, 1), 0);
    TEST_ASSERT(read_faults(alias));
    TEST_ASSERT_EQ(vmap_free_pages(), space);
    free_page(page);
}

KERNEL_TEST(vmap_stacks_have_guard_pages)
{
    unsigned long free_before = pages_free_count();
    size_t space = vmap_free_pages();
    char *a = vmap_alloc_stack(4), *b = vmap_alloc_stack(4);

    TEST_ASSERT(a != NULL && b != NULL);
    memset(a, 1, 4 * PAGE_SIZE);
    memset(b, 2, 4 * PAGE_SIZE);
    TEST_ASSERT(read_faults(a - 8));
    TEST_ASSERT(read_faults(b - 8));
    TEST_ASSERT(!read_faults(a));
    TEST_ASSERT(a[4 * PAGE_SIZE - 1] == 1 && b[0] == 2);
    vmap_free_stack(a, 4);
    vmap_free_stack(b, 4);
    TEST_ASSERT(read_faults(a));
    TEST_ASSERT_EQ(vmap_free_pages(), space);
    /* The frames came back; tables made for the region stay, as tables do. */
    TEST_ASSERT(pages_free_count() + 4 >= free_before);
}

KERNEL_TEST(vmap_refuses_zero_pages)
{
    size_t space = vmap_free_pages();
    mfn_t mfn = pfn_to_mfn(virt_to_pfn(_data));

    TEST_ASSERT(vmap_map_mfns(&mfn, 0) == NULL);
    TEST_ASSERT(vmap_reserve_tables(0) == NULL);
    TEST_ASSERT(vmap_alloc_stack(0) == NULL);
    TEST_ASSERT_EQ(vmap_free_pages(), space);
}

KERNEL_TEST(vmap_refuses_a_second_unmap_or_release)
{
    size_t space = vmap_free_pages();
    mfn_t mfn = pfn_to_mfn(virt_to_pfn(_data));
    void *alias = vmap_map_mfns(&mfn, 1), *tables;

    TEST_ASSERT(alias != NULL);
    TEST_ASSERT_EQ(vmap_unmap(alias, 1), 0);
    TEST_ASSERT_EQ(vmap_unmap(alias, 1), -EINVAL);
    TEST_ASSERT_EQ(vmap_free_pages(), space);
    tables = vmap_reserve_tables(2);
    TEST_ASSERT(tables != NULL);
    TEST_ASSERT_EQ(vmap_release_tables(tables, 2), 0);
    TEST_ASSERT_EQ(vmap_release_tables(tables, 2), -EINVAL);
    TEST_ASSERT_EQ(vmap_free_pages(), space);
}

KERNEL_TEST(vmap_refuses_a_second_stack_free)
{
    char *stack = vmap_alloc_stack(2);
    size_t space = vmap_free_pages();
    unsigned long free_frames;

    TEST_ASSERT(stack != NULL);
    TEST_ASSERT_EQ(vmap_free_stack(stack, 2), 0);
    free_frames = pages_free_count();
    TEST_ASSERT_EQ(vmap_free_stack(stack, 2), -EINVAL);
    TEST_ASSERT_EQ(vmap_free_pages(), space + 3);
    TEST_ASSERT_EQ(pages_free_count(), free_frames);
}

KERNEL_TEST(vmap_refuses_part_of_a_range)
{
    size_t space = vmap_free_pages();
    mfn_t mfns[2] = {pfn_to_mfn(virt_to_pfn(_data)), pfn_to_mfn(virt_to_pfn(_data) + 1)};
    char *alias = vmap_map_mfns(mfns, 2), *stack = vmap_alloc_stack(4), *tables;

    TEST_ASSERT(alias != NULL && stack != NULL);
    TEST_ASSERT_EQ(vmap_unmap(alias, 1), -EINVAL);
    TEST_ASSERT_EQ(vmap_unmap(alias + PAGE_SIZE, 1), -EINVAL);
    TEST_ASSERT_EQ(vmap_unmap(alias, 3), -EINVAL);
    TEST_ASSERT(!read_faults(alias + PAGE_SIZE));
    /* A stack's range starts at its guard page: its mapped part alone is not a range. */
    TEST_ASSERT_EQ(vmap_unmap(stack, 4), -EINVAL);
    TEST_ASSERT_EQ(vmap_free_stack(stack, 3), -EINVAL);
    TEST_ASSERT_EQ(vmap_free_stack(stack + PAGE_SIZE, 3), -EINVAL);
    TEST_ASSERT(!read_faults(stack));
    TEST_ASSERT_EQ(vmap_unmap(alias, 2), 0);
    TEST_ASSERT_EQ(vmap_free_stack(stack, 4), 0);
    tables = vmap_reserve_tables(2);
    TEST_ASSERT(tables != NULL);
    TEST_ASSERT_EQ(vmap_release_tables(tables + PAGE_SIZE, 1), -EINVAL);
    TEST_ASSERT_EQ(vmap_release_tables(tables, 1), -EINVAL);
    TEST_ASSERT_EQ(vmap_release_tables(tables, 2), 0);
    TEST_ASSERT_EQ(vmap_free_pages(), space);
}

/* A range still mapped is not released for reuse, and its frames are not freed. */
KERNEL_TEST(vmap_keeps_what_a_failed_unmap_leaves)
{
    size_t space = vmap_free_pages();
    mfn_t mfn = pfn_to_mfn(virt_to_pfn(_data)), table = pfn_to_mfn(virt_to_pfn(pt_root()));
    char *alias = vmap_map_mfns(&mfn, 1), *stack = vmap_alloc_stack(2);
    unsigned long free_frames;

    TEST_ASSERT(alias != NULL && stack != NULL);
    vmap_fail_unmaps_for_test(1);
    TEST_ASSERT_EQ(vmap_unmap(alias, 1), -EIO);
    TEST_ASSERT_EQ(vmap_free_pages(), space - 4);
    TEST_ASSERT(!read_faults(alias));
    TEST_ASSERT_EQ(vmap_unmap(alias, 1), 0); /* still reserved, so it can be tried again */

    free_frames = pages_free_count();
    vmap_fail_unmaps_for_test(1);
    TEST_ASSERT_EQ(vmap_free_stack(stack, 2), -EIO);
    TEST_ASSERT_EQ(pages_free_count(), free_frames);
    TEST_ASSERT_EQ(vmap_free_pages(), space - 3);
    TEST_ASSERT(!read_faults(stack));
    TEST_ASSERT_EQ(vmap_free_stack(stack, 2), 0);
    TEST_ASSERT_EQ(vmap_free_pages(), space);

    /* Xen refuses a writable mapping of a page table; then the clean-up unmap fails too. */
    vmap_fail_unmaps_for_test(1);
    TEST_ASSERT(vmap_map_mfns(&table, 1) == NULL);
    vmap_fail_unmaps_for_test(0);
    TEST_ASSERT_EQ(vmap_free_pages(), space - 1); /* kept for good, on purpose */
}

/* Each of these ends the domain: tests/dom0/run checks the report. */

static __attribute__((used, noipa)) void text_target(void)
{
}

KERNEL_TEST_FLAGS(crash_write_to_text, TEST_ON_REQUEST)
{
    *(volatile unsigned char *)(uintptr_t)text_target = 0xc3;
}

KERNEL_TEST_FLAGS(crash_execute_data, TEST_ON_REQUEST)
{
    static unsigned char code[16] = {0xc3}; /* ret, in writable data */

    ((void (*)(void))(uintptr_t)code)();
}
