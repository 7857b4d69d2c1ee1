/*
 * Host tests for mm/heap.c, over the host page allocator
 * (mm/tests/host_page_alloc.c): a buddy zone on a 64 MiB arena. Each test
 * frees what it allocates, and checks that the heap's statistics and the free
 * page count are back where they started, so a leak in any test shows.
 */
#include <stdint.h>
#include <stdlib.h>
#include "lib/errno.h"
#include "mm/heap.h"
#include "mm/page_alloc.h"
#include "mm/tests/host_mm.h"
#include "mm/tests/host_page_alloc.h"
#include "lib/tests/unit.h"

#define PAGE        PAGE_ALLOC_PAGE_SIZE
#define ARENA_PAGES 16384
#define FIRST_PFN   12345 /* unaligned, as the kernel's first free frame is */
#define SLOTS       512

static unsigned char pattern_byte(unsigned int seed, size_t i)
{
    return (unsigned char)(seed * 131 + i * 31 + (i >> 8));
}

static void fill(void *p, size_t n, unsigned int seed)
{
    unsigned char *b = p;

    for (size_t i = 0; i < n; i++)
        b[i] = pattern_byte(seed, i);
}

static int filled(const void *p, size_t n, unsigned int seed)
{
    const unsigned char *b = p;

    for (size_t i = 0; i < n; i++)
        if (b[i] != pattern_byte(seed, i))
            return 0;
    return 1;
}

/* Where a test starts from, to prove at its end that nothing leaked. */
struct baseline {
    struct heap_stats stats;
    unsigned long free_pages;
    unsigned long bad_page_frees;
};

/* Both ends of a leak check first hand back the empty slabs the heap keeps for reuse. */
static void baseline_take(struct baseline *b)
{
    heap_trim();
    heap_get_stats(&b->stats);
    b->free_pages = pages_free_count();
    b->bad_page_frees = host_page_alloc_bad_frees();
}

static void baseline_check(const struct baseline *b)
{
    struct heap_stats now;

    heap_trim();
    heap_get_stats(&now);
    CHECK_INT(now.allocations, b->stats.allocations);
    CHECK_INT(now.bytes_in_use, b->stats.bytes_in_use);
    CHECK_INT(now.pages_in_use, b->stats.pages_in_use);
    CHECK_INT(pages_free_count(), b->free_pages);
    /* The heap never hands the page allocator a bad free. */
    CHECK_INT(host_page_alloc_bad_frees(), b->bad_page_frees);
}

UNIT_TEST(test_starts_empty)
{
    struct heap_stats s;

    heap_get_stats(&s);
    CHECK_INT(s.allocations, 0);
    CHECK_INT(s.bytes_in_use, 0);
    CHECK_INT(s.pages_in_use, 0);
    CHECK_INT(pages_free_count(), ARENA_PAGES);
}

UNIT_TEST(test_every_class_is_aligned_to_its_size)
{
    struct baseline b;
    void *p[8][40];

    baseline_take(&b);
    for (unsigned int c = 0; c < 8; c++) {
        size_t class = 16UL << c;

        for (unsigned int i = 0; i < 40; i++) {
            /* Sizes from just above the class below up to the class itself. */
            size_t size = class / 2 + 1 + (i * (class / 2 - 1)) / 39;

            p[c][i] = xmalloc(size, 0);
            CHECK(p[c][i] != NULL);
            CHECK_INT((uintptr_t)p[c][i] % class, 0);
            /* Small objects never start a page: that is how xfree tells them apart. */
            CHECK((uintptr_t)p[c][i] % PAGE != 0);
            fill(p[c][i], size, c * 40 + i);
        }
    }
    for (unsigned int c = 0; c < 8; c++) {
        for (unsigned int i = 0; i < 40; i++) {
            size_t class = 16UL << c;
            size_t size = class / 2 + 1 + (i * (class / 2 - 1)) / 39;

            CHECK(filled(p[c][i], size, c * 40 + i));
            xfree(p[c][i]);
        }
    }
    baseline_check(&b);
}

UNIT_TEST(test_every_alignment)
{
    static const size_t sizes[] = {1, 16, 100, 2048, 2049, 4096, 5000, 40000};
    struct baseline b;
    void *p[14][8];

    baseline_take(&b);
    for (unsigned int a = 0; a < 14; a++) {
        size_t align = 1UL << a; /* 1 .. 8192 */

        for (unsigned int s = 0; s < 8; s++) {
            p[a][s] = xmalloc(sizes[s], align);
            CHECK(p[a][s] != NULL);
            CHECK_INT((uintptr_t)p[a][s] % align, 0);
            CHECK_INT((uintptr_t)p[a][s] % 16, 0);
            fill(p[a][s], sizes[s], a * 8 + s);
        }
    }
    for (unsigned int a = 0; a < 14; a++) {
        for (unsigned int s = 0; s < 8; s++) {
            CHECK(filled(p[a][s], sizes[s], a * 8 + s));
            xfree(p[a][s]);
        }
    }
    /* Larger alignments come from the buddy's natural alignment (up to HOST_ALIGN here). */
    for (unsigned int a = 14; a <= 23; a++) {
        void *q = xmalloc(100, 1UL << a);

        CHECK(q != NULL);
        CHECK_INT((uintptr_t)q % (1UL << a), 0);
        xfree(q);
    }
    CHECK(xmalloc(16, 3) == NULL);
    CHECK(xmalloc(16, 48) == NULL);
    CHECK(xmalloc(16, ~(size_t)0) == NULL);
    baseline_check(&b);
}

UNIT_TEST(test_size_zero_is_unique_and_freeable)
{
    struct baseline b;
    void *p, *q;

    baseline_take(&b);
    p = xmalloc(0, 0);
    q = xmalloc(0, 0);
    CHECK(p != NULL && q != NULL && p != q);
    xfree(p);
    xfree(q);
    baseline_check(&b);
}

UNIT_TEST(test_realloc_keeps_contents_across_classes_and_blocks)
{
    static const size_t steps[] = {10,    100,  2000, 2048, 2049, 4096, 5000, 20000,
                                   70000, 5000, 2049, 2048, 1000, 17,   1,    3000};
    static const size_t aligns[] = {0, 64, 4096, 8192};
    struct baseline b;

    baseline_take(&b);
    for (unsigned int a = 0; a < 4; a++) {
        size_t size = steps[0], align = aligns[a];
        unsigned char *p = xmalloc(size, align);

        CHECK(p != NULL);
        fill(p, size, 1);
        for (unsigned int i = 1; i < sizeof(steps) / sizeof(steps[0]); i++) {
            size_t keep = size < steps[i] ? size : steps[i];

            p = xrealloc(p, steps[i], align);
            CHECK(p != NULL);
            if (!p)
                return;
            CHECK(filled(p, keep, i));
            CHECK_INT((uintptr_t)p % (align ? align : 16), 0);
            size = steps[i];
            fill(p, size, i + 1);
        }
        xfree(p);
    }
    baseline_check(&b);
}

UNIT_TEST(test_realloc_edges)
{
    struct baseline b;
    struct heap_stats s;
    unsigned char *p, *q;
    unsigned long lines = host_mm_printk_lines();

    baseline_take(&b);
    p = xrealloc(NULL, 300, 0); /* as xmalloc */
    CHECK(p != NULL);
    fill(p, 300, 7);
    /* Within its class, or its block, it stays where it is. */
    CHECK(xrealloc(p, 500, 0) == p);
    CHECK(xrealloc(p, 257, 0) == p);
    /* A bad align fails and leaves the object alone. */
    CHECK(xrealloc(p, 300, 3) == NULL);
    CHECK(filled(p, 300, 7));
    /* A pointer the heap never returned fails, is reported, and changes nothing. */
    CHECK(xrealloc(p + 16, 300, 0) == NULL);
    CHECK_INT(host_mm_printk_lines(), lines + 1);
    /* Running out fails and leaves the object alone. */
    CHECK(xrealloc(p, (size_t)ARENA_PAGES * PAGE * 2, 0) == NULL);
    CHECK(filled(p, 300, 7));
    q = xrealloc(p, 0, 0); /* size 0 is size 1 */
    CHECK(q != NULL);
    CHECK_INT(q[0], pattern_byte(7, 0));
    heap_get_stats(&s);
    CHECK_INT(s.allocations, b.stats.allocations + 1);
    xfree(q);
    baseline_check(&b);
}

UNIT_TEST(test_xzalloc_zeroes_reused_memory)
{
    static const size_t sizes[] = {24, 2000, 9000};
    struct baseline b;

    baseline_take(&b);
    for (unsigned int i = 0; i < 3; i++) {
        unsigned char *p = xmalloc(sizes[i], 0), *q;

        CHECK(p != NULL);
        memset(p, 0xff, sizes[i]);
        xfree(p);
        q = xzalloc(sizes[i], 0);
        CHECK(q == p); /* the same memory, so the zeroing is xzalloc's */
        for (size_t k = 0; k < sizes[i]; k++)
            if (q[k] != 0) {
                CHECK_INT(q[k], 0);
                break;
            }
        xfree(q);
    }
    baseline_check(&b);
}

UNIT_TEST(test_freed_memory_is_reused)
{
    struct baseline b;
    void *small[300], *p;

    baseline_take(&b);
    for (unsigned int i = 0; i < 300; i++)
        small[i] = xmalloc(32, 0);
    /* A hole in a full slab is the next object handed out. */
    p = small[77];
    xfree(p);
    CHECK(xmalloc(32, 0) == p);
    for (unsigned int i = 0; i < 300; i++)
        xfree(small[i]);
    p = xmalloc(50000, 0);
    xfree(p);
    CHECK(xmalloc(50000, 0) == p);
    xfree(p);
    baseline_check(&b);
}

UNIT_TEST(test_bad_frees_are_reported_and_ignored)
{
    struct baseline b;
    struct heap_stats s;
    unsigned long lines = host_mm_printk_lines(), rejected;
    unsigned char *small, *other, *large;
    int on_stack;

    heap_get_stats(&s);
    rejected = s.rejected_frees;
    small = xmalloc(64, 0);
    other = xmalloc(64, 0); /* keeps the slab alive after small is freed */
    large = xmalloc(3 * PAGE, 0);
    baseline_take(&b);

    xfree(NULL);                                           /* fine, and silent */
    xfree(small + 8);                                      /* inside an object */
    xfree((void *)((uintptr_t)small & ~(PAGE - 1)));       /* the slab's header */
    xfree((void *)(((uintptr_t)small & ~(PAGE - 1)) + 8)); /* inside the header */
    xfree(large + PAGE);                                   /* a page inside a block */
    xfree(large + 16);                                     /* inside the first page */
    xfree(&on_stack);                                      /* outside the heap */
    baseline_check(&b);
    CHECK_INT(host_mm_printk_lines(), lines + 6);

    xfree(small);
    xfree(small); /* double free of a small object */
    xfree(large);
    xfree(large); /* double free of a large one */
    CHECK_INT(host_mm_printk_lines(), lines + 8);
    heap_get_stats(&s);
    CHECK_INT(s.rejected_frees, rejected + 8);
    xfree(other);
    heap_trim();
    CHECK_INT(pages_free_count(), ARENA_PAGES);
}

UNIT_TEST(test_exhaustion_returns_null_and_recovers)
{
    static void *blocks[ARENA_PAGES];
    static void *objs[400];
    struct baseline b;
    unsigned int n = 0, m = 0, k;
    unsigned long left;

    baseline_take(&b);
    CHECK(xmalloc(~(size_t)0, 0) == NULL);
    CHECK(xmalloc((size_t)1 << 40, 0) == NULL);
    CHECK(xmalloc((size_t)ARENA_PAGES * PAGE + 1, 0) == NULL);
    /* Take everything: 64 KiB blocks while they last, then the odd pages left. */
    while (n < ARENA_PAGES && (blocks[n] = xmalloc(65536, 0)) != NULL)
        n++;
    CHECK(n >= ARENA_PAGES / 16 - 1); /* the zone's unaligned ends lose at most one */
    left = pages_free_count();
    while (n < ARENA_PAGES && (blocks[n] = xmalloc(4000, 0)) != NULL)
        n++;
    CHECK_INT(n, (ARENA_PAGES - left) / 16 + left);
    CHECK_INT(pages_free_count(), 0);
    CHECK(xmalloc(16, 0) == NULL);
    CHECK(xzalloc(5000, 0) == NULL);
    CHECK(xrealloc(NULL, 1, 0) == NULL);
    /* One page back: a 16-byte slab holds (4096 - 64) / 16 objects. */
    xfree(blocks[--n]);
    while (m < 400 && (objs[m] = xmalloc(16, 0)) != NULL)
        m++;
    CHECK_INT(m, 252);
    for (k = 0; k < m; k++)
        xfree(objs[k]);
    while (n)
        xfree(blocks[--n]);
    baseline_check(&b);
    objs[0] = xmalloc(100, 0);
    CHECK(objs[0] != NULL);
    xfree(objs[0]);
}

UNIT_TEST(test_100000_random_operations_leak_nothing)
{
    static unsigned char *ptr[SLOTS];
    static size_t size[SLOTS];
    static unsigned int seed[SLOTS];
    static const size_t aligns[] = {0, 0, 0, 0, 16, 64, 256, 4096};
    struct baseline b;
    unsigned int serial = 0;

    unit_rng_seed(0x2545f4914f6cdd1dULL);
    baseline_take(&b);
    for (unsigned int op = 0; op < 100000 && !unit_failures; op++) {
        unsigned int i = unit_rng_below(SLOTS);
        size_t n = 1 + unit_rng_below(20000), align = aligns[unit_rng_below(8)];

        if (!ptr[i]) {
            ptr[i] = unit_rng_below(2) ? xmalloc(n, align) : xrealloc(NULL, n, align);
            CHECK(ptr[i] != NULL);
            if (!ptr[i])
                break;
            CHECK_INT((uintptr_t)ptr[i] % (align ? align : 16), 0);
        } else if (unit_rng_below(2)) {
            unsigned char *q = xrealloc(ptr[i], n, align);

            CHECK(q != NULL);
            if (!q)
                break;
            CHECK(filled(q, n < size[i] ? n : size[i], seed[i]));
            CHECK_INT((uintptr_t)q % (align ? align : 16), 0);
            ptr[i] = q;
        } else {
            CHECK(filled(ptr[i], size[i], seed[i]));
            xfree(ptr[i]);
            ptr[i] = NULL;
            continue;
        }
        size[i] = n;
        seed[i] = ++serial;
        fill(ptr[i], n, seed[i]);
    }
    for (unsigned int i = 0; i < SLOTS; i++) {
        if (ptr[i]) {
            CHECK(filled(ptr[i], size[i], seed[i]));
            xfree(ptr[i]);
            ptr[i] = NULL;
        }
    }
    baseline_check(&b);
    CHECK_INT(pages_free_count(), ARENA_PAGES);
}

UNIT_TEST(test_one_empty_slab_is_kept_per_class)
{
    struct heap_stats s;
    void *objs[300];
    unsigned int i;

    heap_trim();
    for (i = 0; i < 3; i++)
        xfree(xmalloc(64, 0));
    heap_get_stats(&s);
    CHECK_INT(s.pages_in_use, 1); /* the 64-byte slab stays, once */
    /* Two slabs' worth, then all freed: only one empty slab remains. */
    for (i = 0; i < 300; i++)
        objs[i] = xmalloc(32, 0);
    for (i = 0; i < 300; i++)
        xfree(objs[i]);
    heap_get_stats(&s);
    CHECK_INT(s.pages_in_use, 2); /* one for 64 bytes, one for 32 */
    heap_trim();
    heap_get_stats(&s);
    CHECK_INT(s.pages_in_use, 0);
    CHECK_INT(pages_free_count(), ARENA_PAGES);
}

static const struct unit_test tests[] = {
    UNIT_ENTRY(test_one_empty_slab_is_kept_per_class),
    UNIT_ENTRY(test_starts_empty),
    UNIT_ENTRY(test_every_class_is_aligned_to_its_size),
    UNIT_ENTRY(test_every_alignment),
    UNIT_ENTRY(test_size_zero_is_unique_and_freeable),
    UNIT_ENTRY(test_realloc_keeps_contents_across_classes_and_blocks),
    UNIT_ENTRY(test_realloc_edges),
    UNIT_ENTRY(test_xzalloc_zeroes_reused_memory),
    UNIT_ENTRY(test_freed_memory_is_reused),
    UNIT_ENTRY(test_bad_frees_are_reported_and_ignored),
    UNIT_ENTRY(test_exhaustion_returns_null_and_recovers),
    UNIT_ENTRY(test_100000_random_operations_leak_nothing),
};

int main(void)
{
    int rc;

    if (host_mm_init(FIRST_PFN, ARENA_PAGES))
        return 1;
    rc = unit_main(tests, UNIT_COUNT(tests));
    return host_mm_exit() ? 1 : rc;
}
