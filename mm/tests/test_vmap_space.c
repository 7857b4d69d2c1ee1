/*
 * Host tests for mm/vmap_space.c, the address-space bookkeeping of virtual areas, over
 * the real heap on the host page allocator (mm/tests/host_page_alloc.c). Every refused
 * call must leave the bookkeeping as it was and say why in one printk line.
 */
#include <stdint.h>
#include <stdlib.h>
#include "lib/errno.h"
#include "mm/heap.h"
#include "mm/vmap_space.h"
#include "arch/page.h"
#include "mm/tests/host_mm.h"
#include "lib/tests/unit.h"

#define REGION_START (1UL << 44)
#define REGION_PAGES 64UL

static uintptr_t page_addr(size_t page)
{
    return REGION_START + page * PAGE_SIZE;
}

/* Set up in place: a vmap_space must not be copied (its list starts inside it). */
static void fresh_space(struct vmap_space *s)
{
    CHECK_INT(vmap_space_init(s, REGION_START, REGION_PAGES), 0);
}

/* The region is back in one piece: the whole of it can be reserved at once. */
static void check_whole_region_free(struct vmap_space *s)
{
    uintptr_t va = 0;

    CHECK_INT(vmap_space_free_pages(s), REGION_PAGES);
    CHECK_INT(vmap_space_reserve(s, REGION_PAGES, &va), 0);
    CHECK_INT(va, REGION_START);
    CHECK_INT(vmap_space_release(s, va, REGION_PAGES), 0);
}

UNIT_TEST(init_refuses_an_empty_or_wrapping_region)
{
    struct vmap_space s;

    CHECK_INT(vmap_space_init(&s, REGION_START, 0), -EINVAL);
    CHECK_INT(vmap_space_init(&s, REGION_START + 1, 1), -EINVAL);
    CHECK_INT(vmap_space_init(&s, UINTPTR_MAX - PAGE_SIZE + 1, 2), -EINVAL);
}

UNIT_TEST(zero_pages_are_refused)
{
    struct vmap_space s;
    uintptr_t va = 1234;

    fresh_space(&s);
    CHECK_INT(vmap_space_reserve(&s, 0, &va), -EINVAL);
    CHECK_INT(va, 1234);
    CHECK_INT(vmap_space_free_pages(&s), REGION_PAGES);
    check_whole_region_free(&s);
    vmap_space_destroy(&s);
}

UNIT_TEST(reservations_are_first_fit_and_disjoint)
{
    struct vmap_space s;
    uintptr_t a, b, c;

    fresh_space(&s);
    CHECK_INT(vmap_space_reserve(&s, 3, &a), 0);
    CHECK_INT(vmap_space_reserve(&s, 5, &b), 0);
    CHECK_INT(a, page_addr(0));
    CHECK_INT(b, page_addr(3));
    CHECK_INT(vmap_space_free_pages(&s), REGION_PAGES - 8);
    CHECK(vmap_space_is_reserved(&s, a, 3));
    CHECK(vmap_space_is_reserved(&s, b, 5));
    /* The hole a leaves is reused by a reservation that fits in it. */
    CHECK_INT(vmap_space_release(&s, a, 3), 0);
    CHECK_INT(vmap_space_reserve(&s, 2, &c), 0);
    CHECK_INT(c, page_addr(0));
    CHECK_INT(vmap_space_release(&s, c, 2), 0);
    CHECK_INT(vmap_space_release(&s, b, 5), 0);
    check_whole_region_free(&s);
    vmap_space_destroy(&s);
}

UNIT_TEST(a_double_release_is_refused)
{
    struct vmap_space s;
    unsigned long lines = host_mm_printk_lines();
    uintptr_t a, b;

    fresh_space(&s);
    CHECK_INT(vmap_space_reserve(&s, 4, &a), 0);
    CHECK_INT(vmap_space_release(&s, a, 4), 0);
    CHECK(!vmap_space_is_reserved(&s, a, 4));
    CHECK_INT(vmap_space_release(&s, a, 4), -EINVAL);
    CHECK_INT(host_mm_printk_lines(), lines + 1);
    CHECK_INT(vmap_space_free_pages(&s), REGION_PAGES);
    /* Released twice would have counted it twice; reusing it must still work once. */
    CHECK_INT(vmap_space_reserve(&s, 4, &b), 0);
    CHECK_INT(b, a);
    CHECK_INT(vmap_space_release(&s, b, 4), 0);
    check_whole_region_free(&s);
    vmap_space_destroy(&s);
}

UNIT_TEST(a_release_of_what_was_never_reserved_is_refused)
{
    struct vmap_space s;
    unsigned long lines = host_mm_printk_lines();

    fresh_space(&s);
    CHECK_INT(vmap_space_release(&s, REGION_START, 1), -EINVAL);
    CHECK_INT(vmap_space_release(&s, page_addr(7), 2), -EINVAL);
    CHECK_INT(vmap_space_release(&s, REGION_START - PAGE_SIZE, 1), -EINVAL);
    CHECK_INT(vmap_space_release(&s, page_addr(REGION_PAGES), 1), -EINVAL);
    CHECK_INT(vmap_space_release(&s, 0, 0), -EINVAL);
    CHECK_INT(host_mm_printk_lines(), lines + 5);
    check_whole_region_free(&s);
    vmap_space_destroy(&s);
}

UNIT_TEST(a_partial_or_overlapping_release_is_refused)
{
    struct vmap_space s;
    unsigned long lines = host_mm_printk_lines();
    uintptr_t a, b;

    fresh_space(&s);
    CHECK_INT(vmap_space_reserve(&s, 4, &a), 0);
    CHECK_INT(vmap_space_reserve(&s, 4, &b), 0);
    CHECK_INT(vmap_space_release(&s, a, 2), -EINVAL);                 /* its start only */
    CHECK_INT(vmap_space_release(&s, a + PAGE_SIZE, 3), -EINVAL);     /* its end only */
    CHECK_INT(vmap_space_release(&s, a + PAGE_SIZE, 1), -EINVAL);     /* its middle */
    CHECK_INT(vmap_space_release(&s, a, 5), -EINVAL);                 /* into b */
    CHECK_INT(vmap_space_release(&s, a, 8), -EINVAL);                 /* a and b together */
    CHECK_INT(vmap_space_release(&s, b, 5), -EINVAL);                 /* past b, into free space */
    CHECK_INT(vmap_space_release(&s, a + 2 * PAGE_SIZE, 4), -EINVAL); /* across a and b */
    CHECK_INT(host_mm_printk_lines(), lines + 7);
    CHECK(!vmap_space_is_reserved(&s, a, 2));
    CHECK(!vmap_space_is_reserved(&s, a, 8));
    CHECK(vmap_space_is_reserved(&s, a, 4));
    CHECK_INT(vmap_space_free_pages(&s), REGION_PAGES - 8);
    CHECK_INT(vmap_space_release(&s, b, 4), 0);
    CHECK_INT(vmap_space_release(&s, a, 4), 0);
    check_whole_region_free(&s);
    vmap_space_destroy(&s);
}

UNIT_TEST(exhaustion_refuses_and_recovers)
{
    struct vmap_space s;
    uintptr_t va[REGION_PAGES], extra = 0;

    fresh_space(&s);
    for (size_t i = 0; i < REGION_PAGES; i++) {
        CHECK_INT(vmap_space_reserve(&s, 1, &va[i]), 0);
        CHECK_INT(va[i], page_addr(i));
    }
    CHECK_INT(vmap_space_free_pages(&s), 0);
    CHECK_INT(vmap_space_reserve(&s, 1, &extra), -ENOSPC);
    CHECK_INT(extra, 0);
    CHECK_INT(vmap_space_reserve(&s, REGION_PAGES + 1, &extra), -ENOSPC);
    CHECK_INT(vmap_space_reserve(&s, SIZE_MAX, &extra), -ENOSPC);
    /* Free every other page: 32 free pages, but no two together. */
    for (size_t i = 0; i < REGION_PAGES; i += 2)
        CHECK_INT(vmap_space_release(&s, va[i], 1), 0);
    CHECK_INT(vmap_space_free_pages(&s), REGION_PAGES / 2);
    CHECK_INT(vmap_space_reserve(&s, 2, &extra), -ENOSPC);
    for (size_t i = 1; i < REGION_PAGES; i += 2)
        CHECK_INT(vmap_space_release(&s, va[i], 1), 0);
    check_whole_region_free(&s);
    vmap_space_destroy(&s);
}

/* Random reservations and releases against a model of which pages are taken. */
UNIT_TEST(random_reservations_match_a_model)
{
    struct vmap_space s;
    struct {
        uintptr_t start;
        size_t pages;
    } held[REGION_PAGES];
    bool taken[REGION_PAGES] = {0};
    size_t nheld = 0, free_model = REGION_PAGES;

    fresh_space(&s);
    unit_rng_seed(10);
    for (int step = 0; step < 20000; step++) {
        if (nheld > 0 && unit_rng_below(2)) {
            size_t k = unit_rng_below(nheld), first = (held[k].start - REGION_START) / PAGE_SIZE;

            CHECK_INT(vmap_space_release(&s, held[k].start, held[k].pages), 0);
            for (size_t p = 0; p < held[k].pages; p++)
                taken[first + p] = false;
            free_model += held[k].pages;
            held[k] = held[--nheld];
        } else {
            size_t pages = 1 + unit_rng_below(8), first;
            uintptr_t va;
            int rc = vmap_space_reserve(&s, pages, &va);

            if (rc) {
                CHECK_INT(rc, -ENOSPC);
                continue;
            }
            first = (va - REGION_START) / PAGE_SIZE;
            CHECK(va % PAGE_SIZE == 0 && first + pages <= REGION_PAGES);
            for (size_t p = 0; p < pages && first + p < REGION_PAGES; p++) {
                CHECK(!taken[first + p]);
                taken[first + p] = true;
            }
            free_model -= pages;
            held[nheld].start = va;
            held[nheld++].pages = pages;
        }
        CHECK_INT(vmap_space_free_pages(&s), free_model);
    }
    while (nheld > 0) {
        nheld--;
        CHECK_INT(vmap_space_release(&s, held[nheld].start, held[nheld].pages), 0);
    }
    check_whole_region_free(&s);
    vmap_space_destroy(&s);
}

static const struct unit_test tests[] = {
    UNIT_ENTRY(init_refuses_an_empty_or_wrapping_region),
    UNIT_ENTRY(zero_pages_are_refused),
    UNIT_ENTRY(reservations_are_first_fit_and_disjoint),
    UNIT_ENTRY(a_double_release_is_refused),
    UNIT_ENTRY(a_release_of_what_was_never_reserved_is_refused),
    UNIT_ENTRY(a_partial_or_overlapping_release_is_refused),
    UNIT_ENTRY(exhaustion_refuses_and_recovers),
    UNIT_ENTRY(random_reservations_match_a_model),
};

int main(void)
{
    int rc;

    if (host_mm_init(100, 2048))
        return 1;
    rc = unit_main(tests, UNIT_COUNT(tests));
    return host_mm_exit() ? 1 : rc;
}
