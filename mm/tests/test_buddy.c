/*
 * Host tests for mm/buddy.c. Random alloc/free sequences run against a model
 * that records the owner of every frame: live blocks never overlap, stay in
 * the zone and are naturally aligned, the free count is exact after every
 * step, -ENOMEM comes only when no aligned run of free frames is left, and
 * freeing everything coalesces back to the zone's largest blocks. Bad frees
 * must be refused without changing anything. The zone's frames are an arena
 * from aligned_alloc, placed at base + pfn * 4096 as in the kernel.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "lib/errno.h"
#include "mm/buddy.h"
#include "lib/tests/unit.h"

#define PAGE       BUDDY_PAGE_SIZE
#define MAX_LIVE   512
#define TEST_ORDER 10 /* random blocks are orders 0..TEST_ORDER */
#define MARK       0x6d61726b6d61726bULL

struct live_block {
    unsigned long pfn;
    unsigned int order;
};

/* A zone, its arena, and the model it is checked against. */
struct model {
    struct buddy_zone z;
    uint8_t *state;
    unsigned char *arena;
    unsigned long first, end;
    int *owner; /* owner[pfn - first]: index in live[], or -1 when free */
    struct live_block live[MAX_LIVE];
    unsigned int nr_live;
    unsigned long free_frames;
};

static unsigned char *page_of(struct model *m, unsigned long pfn)
{
    return m->arena + (pfn - m->first) * PAGE;
}

static void model_setup(struct model *m, unsigned long first, unsigned long end)
{
    unsigned long n = end - first;

    memset(m, 0, sizeof(*m));
    m->first = first;
    m->end = end;
    m->arena = aligned_alloc(PAGE, n * PAGE);
    m->state = malloc(buddy_state_bytes(n));
    m->owner = malloc(n * sizeof(int));
    if (!m->arena || !m->state || !m->owner) {
        printf("out of host memory\n");
        exit(1);
    }
    /* Garbage in the state array: buddy_init must not depend on its contents. */
    memset(m->state, 0xa5, buddy_state_bytes(n));
    for (unsigned long i = 0; i < n; i++)
        m->owner[i] = -1;
    CHECK_INT(buddy_init(&m->z, (uintptr_t)m->arena - first * PAGE, first, end, m->state), 0);
    CHECK_INT(buddy_free_frames(&m->z), 0);
    CHECK_INT(buddy_free_range(&m->z, first, end), 0);
    m->free_frames = n;
    CHECK_INT(buddy_free_frames(&m->z), n);
}

static void model_teardown(struct model *m)
{
    free(m->arena);
    free(m->state);
    free(m->owner);
}

/* Whether the model has 2^order free frames, aligned, inside the zone. */
static int model_has_free_run(struct model *m, unsigned int order)
{
    unsigned long size = 1UL << order;
    unsigned long start = (m->first + size - 1) & ~(size - 1);

    for (; start + size <= m->end; start += size) {
        unsigned long i;

        for (i = start; i < start + size && m->owner[i - m->first] < 0; i++)
            ;
        if (i == start + size)
            return 1;
    }
    return 0;
}

/* Every page of a live block carries its pfn and owner, so scribbles show. */
static void mark_block(struct model *m, unsigned long pfn, unsigned int order, int slot)
{
    for (unsigned long p = pfn; p < pfn + (1UL << order); p++) {
        uint64_t *w = (uint64_t *)page_of(m, p);

        w[0] = MARK ^ p;
        w[1] = (uint64_t)slot;
        w[PAGE / 8 - 1] = MARK ^ ~p;
    }
}

static int block_marked(struct model *m, unsigned long pfn, unsigned int order, int slot)
{
    for (unsigned long p = pfn; p < pfn + (1UL << order); p++) {
        uint64_t *w = (uint64_t *)page_of(m, p);

        if (w[0] != (MARK ^ p) || w[1] != (uint64_t)slot || w[PAGE / 8 - 1] != (MARK ^ ~p))
            return 0;
    }
    return 1;
}

/* Allocate one block and check it against the model; returns 0 or what buddy_alloc did. */
static long model_alloc(struct model *m, unsigned int order)
{
    unsigned long size = 1UL << order;
    int slot = (int)m->nr_live;
    long pfn;

    CHECK(m->nr_live < MAX_LIVE);
    if (m->nr_live == MAX_LIVE)
        return -ENOSPC;
    pfn = buddy_alloc(&m->z, order);

    if (pfn == -ENOMEM) {
        CHECK(!model_has_free_run(m, order));
        CHECK_INT(buddy_free_frames(&m->z), m->free_frames);
        return pfn;
    }
    CHECK(pfn >= 0);
    if (pfn < 0)
        return pfn;
    CHECK((unsigned long)pfn >= m->first && (unsigned long)pfn + size <= m->end);
    CHECK_INT((unsigned long)pfn & (size - 1), 0);
    for (unsigned long p = pfn; p < pfn + size; p++) {
        CHECK_INT(m->owner[p - m->first], -1);
        m->owner[p - m->first] = slot;
    }
    m->live[slot].pfn = pfn;
    m->live[slot].order = order;
    m->nr_live++;
    m->free_frames -= size;
    mark_block(m, pfn, order, slot);
    CHECK_INT(buddy_free_frames(&m->z), m->free_frames);
    CHECK_INT(buddy_allocated_order(&m->z, pfn), order);
    return 0;
}

/* Free live[slot]; the last live block takes its slot. */
static void model_free(struct model *m, unsigned int slot)
{
    struct live_block b = m->live[slot];
    unsigned int last = m->nr_live - 1;

    CHECK(block_marked(m, b.pfn, b.order, slot));
    CHECK_INT(buddy_free(&m->z, b.pfn, b.order), 0);
    for (unsigned long p = b.pfn; p < b.pfn + (1UL << b.order); p++)
        m->owner[p - m->first] = -1;
    m->free_frames += 1UL << b.order;
    if (slot != last) {
        struct live_block moved = m->live[last];

        m->live[slot] = moved;
        for (unsigned long p = moved.pfn; p < moved.pfn + (1UL << moved.order); p++)
            m->owner[p - m->first] = (int)slot;
        mark_block(m, moved.pfn, moved.order, (int)slot);
    }
    m->nr_live--;
    CHECK_INT(buddy_free_frames(&m->z), m->free_frames);
}

/* Every frame's allocated order agrees with the model: heads of live blocks only. */
static void model_check_all(struct model *m)
{
    for (unsigned long p = m->first; p < m->end; p++) {
        int slot = m->owner[p - m->first];
        int want = slot >= 0 && m->live[slot].pfn == p ? (int)m->live[slot].order : -EINVAL;

        CHECK_INT(buddy_allocated_order(&m->z, p), want);
    }
}

static void model_free_all(struct model *m)
{
    while (m->nr_live)
        model_free(m, unit_rng_below(m->nr_live));
}

static void run_random(struct model *m, unsigned int steps)
{
    for (unsigned int i = 0; i < steps && !unit_failures; i++) {
        if (m->nr_live < MAX_LIVE && (m->nr_live == 0 || unit_rng_below(100) < 55))
            model_alloc(m, unit_rng_below(TEST_ORDER + 1));
        else
            model_free(m, unit_rng_below(m->nr_live));
        if (i % 256 == 0)
            model_check_all(m);
    }
    model_check_all(m);
}

/*
 * Fully coalesced, [first, end) is its largest aligned blocks. Allocate
 * greedily from the largest order down and count blocks of each order: the
 * counts must match that decomposition, and the zone must end up empty.
 */
static void check_coalesced(struct model *m)
{
    unsigned long want[BUDDY_MAX_ORDER + 1] = {0}, got[BUDDY_MAX_ORDER + 1] = {0};
    unsigned long pfn = m->first;

    while (pfn < m->end) {
        unsigned int k = 0;

        while (k < BUDDY_MAX_ORDER && !(pfn & (1UL << k)) && pfn + (2UL << k) <= m->end)
            k++;
        want[k]++;
        pfn += 1UL << k;
    }
    for (int k = BUDDY_MAX_ORDER; k >= 0; k--) {
        while (model_alloc(m, k) == 0)
            got[k]++;
        CHECK_INT(got[k], want[k]);
    }
    CHECK_INT(buddy_free_frames(&m->z), 0);
    model_free_all(m);
}

UNIT_TEST(test_random_unaligned_zone)
{
    struct model m;

    unit_rng_seed(0x9e3779b97f4a7c15ULL);
    model_setup(&m, 1000037, 1000037 + 5000);
    run_random(&m, 20000);
    model_free_all(&m);
    CHECK_INT(buddy_free_frames(&m.z), 5000);
    check_coalesced(&m);
    CHECK_INT(buddy_free_frames(&m.z), 5000);
    model_teardown(&m);
}

UNIT_TEST(test_random_aligned_zone_coalesces_to_one_block)
{
    struct model m;

    unit_rng_seed(12345);
    model_setup(&m, 3 << 12, 4 << 12);
    run_random(&m, 20000);
    model_free_all(&m);
    CHECK_INT(buddy_free_frames(&m.z), 1 << 12);
    CHECK_INT(buddy_alloc(&m.z, 12), 3 << 12);
    CHECK_INT(buddy_free_frames(&m.z), 0);
    CHECK_INT(buddy_free(&m.z, 3 << 12, 12), 0);
    CHECK_INT(buddy_free_frames(&m.z), 1 << 12);
    model_teardown(&m);
}

UNIT_TEST(test_exhaustion)
{
    struct model m;
    long pfn;

    model_setup(&m, 7, 7 + 300);
    for (int i = 0; i < 300; i++)
        CHECK_INT(model_alloc(&m, 0), 0);
    CHECK_INT(buddy_free_frames(&m.z), 0);
    for (unsigned int k = 0; k <= BUDDY_MAX_ORDER; k++)
        CHECK_INT(buddy_alloc(&m.z, k), -ENOMEM);
    CHECK_INT(buddy_alloc(&m.z, BUDDY_MAX_ORDER + 1), -EINVAL);
    model_free(&m, 0);
    pfn = buddy_alloc(&m.z, 0);
    CHECK(pfn >= 7 && pfn < 307);
    CHECK_INT(buddy_free(&m.z, pfn, 0), 0);
    model_free_all(&m);
    check_coalesced(&m);
    model_teardown(&m);
}

UNIT_TEST(test_bad_frees_change_nothing)
{
    struct model m;
    unsigned long pfn;
    unsigned long before;

    model_setup(&m, 5, 5 + 1000);
    CHECK_INT(model_alloc(&m, 3), 0);
    CHECK_INT(model_alloc(&m, 0), 0);
    pfn = m.live[0].pfn;
    before = buddy_free_frames(&m.z);

    CHECK_INT(buddy_free(&m.z, pfn, 2), -EINVAL);     /* too small */
    CHECK_INT(buddy_free(&m.z, pfn, 4), -EINVAL);     /* too large */
    CHECK_INT(buddy_free(&m.z, pfn + 1, 0), -EINVAL); /* inside the block */
    CHECK_INT(buddy_free(&m.z, pfn + 4, 2), -EINVAL); /* aligned, inside the block */
    CHECK_INT(buddy_free(&m.z, pfn, BUDDY_MAX_ORDER + 1), -EINVAL);
    CHECK_INT(buddy_free(&m.z, 4, 0), -EINVAL);     /* below the zone */
    CHECK_INT(buddy_free(&m.z, 1005, 0), -EINVAL);  /* just past it */
    CHECK_INT(buddy_free(&m.z, ~0UL, 0), -EINVAL);  /* far past it */
    for (unsigned long p = m.first; p < m.end; p++) /* free frames, heads or not */
        for (unsigned int k = 0; k <= 4 && m.owner[p - m.first] < 0; k++)
            CHECK_INT(buddy_free(&m.z, p, k), -EINVAL);
    CHECK_INT(buddy_free_frames(&m.z), before);
    CHECK_INT(buddy_allocated_order(&m.z, pfn), 3);
    model_check_all(&m);

    /* Double free: the second is refused, even after the memory is reused. */
    model_free(&m, 0);
    before = buddy_free_frames(&m.z);
    CHECK_INT(buddy_free(&m.z, pfn, 3), -EINVAL);
    CHECK_INT(buddy_free_frames(&m.z), before);
    CHECK_INT(buddy_allocated_order(&m.z, pfn), -EINVAL);
    CHECK_INT(buddy_allocated_order(&m.z, 4), -EINVAL);
    CHECK_INT(buddy_allocated_order(&m.z, 1005), -EINVAL);
    model_check_all(&m);
    model_free_all(&m);
    check_coalesced(&m);
    model_teardown(&m);
}

UNIT_TEST(test_free_range_pieces_and_errors)
{
    static uint8_t state[1024];
    unsigned char *arena = aligned_alloc(PAGE, 1024 * PAGE);
    struct buddy_zone z;
    uintptr_t base = (uintptr_t)arena - 2048 * PAGE;

    CHECK_INT(buddy_init(&z, base, 2048, 2047, state), -EINVAL);
    CHECK_INT(buddy_init(&z, base, 2048, 2048 + 1024, NULL), -EINVAL);
    CHECK_INT(buddy_init(&z, base, 2048, 2048 + 1024, state), 0);
    CHECK(buddy_contains(&z, 2048) && buddy_contains(&z, 3071));
    CHECK(!buddy_contains(&z, 2047) && !buddy_contains(&z, 3072));
    CHECK_INT(buddy_alloc(&z, 0), -ENOMEM); /* nothing handed over yet */
    CHECK_INT(buddy_allocated_order(&z, 2048), -EINVAL);

    /* Two pieces with unaligned edges merge into one block once both are in. */
    CHECK_INT(buddy_free_range(&z, 2048 + 301, 2048 + 1024), 0);
    CHECK_INT(buddy_free_frames(&z), 1024 - 301);
    CHECK_INT(buddy_free_range(&z, 2048 + 300, 2048 + 302), -EINVAL); /* overlaps */
    CHECK_INT(buddy_free_range(&z, 2047, 2049), -EINVAL);             /* below */
    CHECK_INT(buddy_free_range(&z, 3000, 3073), -EINVAL);             /* past */
    CHECK_INT(buddy_free_range(&z, 2049, 2048), -EINVAL);             /* reversed */
    CHECK_INT(buddy_free_frames(&z), 1024 - 301);
    CHECK_INT(buddy_free_range(&z, 2100, 2100), 0); /* empty */
    CHECK_INT(buddy_alloc(&z, 10), -ENOMEM);
    CHECK_INT(buddy_free_range(&z, 2048, 2048 + 301), 0);
    CHECK_INT(buddy_free_frames(&z), 1024);
    CHECK_INT(buddy_alloc(&z, 10), 2048);
    CHECK_INT(buddy_allocated_order(&z, 2048), 10);
    CHECK_INT(buddy_free_range(&z, 2048, 2049), -EINVAL); /* allocated, not held */
    CHECK_INT(buddy_free(&z, 2048, 10), 0);
    free(arena);
}

UNIT_TEST(test_grow_adds_held_frames_that_merge)
{
    static uint8_t state[1024];
    unsigned char *arena = aligned_alloc(PAGE, 1024 * PAGE);
    struct buddy_zone z;

    memset(state, 0xff, sizeof(state)); /* garbage past the zone's end is never read */
    CHECK_INT(buddy_init(&z, (uintptr_t)arena, 0, 100, state), 0);
    CHECK_INT(buddy_free_range(&z, 0, 100), 0);
    CHECK(!buddy_contains(&z, 100));
    CHECK_INT(buddy_free_range(&z, 100, 101), -EINVAL); /* not in the zone yet */
    CHECK_INT(buddy_grow(&z, 99), -EINVAL);             /* zones only grow */
    CHECK_INT(buddy_grow(&z, 1024), 0);
    CHECK(buddy_contains(&z, 1023));
    CHECK_INT(buddy_free_frames(&z), 100);
    CHECK_INT(buddy_allocated_order(&z, 500), -EINVAL); /* held: neither free nor allocated */
    CHECK_INT(buddy_free_range(&z, 100, 1024), 0);
    CHECK_INT(buddy_free_frames(&z), 1024);
    CHECK_INT(buddy_alloc(&z, 10), 0); /* the old and new frames merged into one block */
    CHECK_INT(buddy_free(&z, 0, 10), 0);
    free(arena);
}

UNIT_TEST(test_max_order_and_beyond)
{
    /* 2^19 + 5 frames: 2 GiB of address space, but only block heads are touched. */
    unsigned long n = (1UL << 19) + 5;
    size_t bytes = n * PAGE;
    unsigned char *arena = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                                MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    uint8_t *state = malloc(buddy_state_bytes(n));
    struct buddy_zone z;

    CHECK(arena != MAP_FAILED && state);
    if (arena == MAP_FAILED || !state)
        return;
    CHECK_INT(buddy_init(&z, (uintptr_t)arena, 0, n, state), 0);
    CHECK_INT(buddy_free_range(&z, 0, n), 0);
    CHECK_INT(buddy_free_frames(&z), n);
    /* Two order-18 blocks never merge into an order-19 one, before or after a free. */
    for (int round = 0; round < 2; round++) {
        long a = buddy_alloc(&z, BUDDY_MAX_ORDER), b = buddy_alloc(&z, BUDDY_MAX_ORDER);

        CHECK((a == 0 && b == 1L << 18) || (a == 1L << 18 && b == 0));
        CHECK_INT(buddy_alloc(&z, BUDDY_MAX_ORDER), -ENOMEM);
        CHECK_INT(buddy_free_frames(&z), 5);
        CHECK_INT(buddy_free(&z, 0, BUDDY_MAX_ORDER), 0);
        CHECK_INT(buddy_free(&z, 1UL << 18, BUDDY_MAX_ORDER), 0);
        CHECK_INT(buddy_free_frames(&z), n);
    }
    free(state);
    munmap(arena, bytes);
}

static const struct unit_test tests[] = {
    UNIT_ENTRY(test_random_unaligned_zone),
    UNIT_ENTRY(test_random_aligned_zone_coalesces_to_one_block),
    UNIT_ENTRY(test_exhaustion),
    UNIT_ENTRY(test_bad_frees_change_nothing),
    UNIT_ENTRY(test_free_range_pieces_and_errors),
    UNIT_ENTRY(test_grow_adds_held_frames_that_merge),
    UNIT_ENTRY(test_max_order_and_beyond),
};

int main(void)
{
    return unit_main(tests, UNIT_COUNT(tests));
}
