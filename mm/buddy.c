/*
 * The buddy allocator (see buddy.h for the contract).
 *
 * Each frame has one state byte. The first frame of a block records whether
 * the block is free or allocated, and its order; every other frame of a block
 * is 0; a frame not yet handed over by buddy_free_range is HELD. So the buddy
 * of a block is free and whole exactly when its first frame reads
 * FREE_HEAD | order, and a free is valid exactly when its frame reads
 * ALLOC_HEAD | order: both O(1), neither trusts the blocks' memory.
 *
 * The free lists are the only thing kept in the blocks themselves: each free
 * block starts with a struct buddy_free_block linking it to the others of its
 * order, so a block leaves its list in O(1) when its buddy absorbs it.
 */
#include "lib/errno.h"
#include "lib/list.h"
#include "lib/panic.h"
#include "mm/buddy.h"

#define STATE_ORDER_MASK 0x1f /* holds 0..BUDDY_MAX_ORDER */
#define STATE_HELD       0x20 /* not handed over yet: neither free nor allocated */
#define STATE_ALLOC_HEAD 0x40 /* first frame of an allocated block */
#define STATE_FREE_HEAD  0x80 /* first frame of a free block */

BUILD_BUG_ON(BUDDY_MAX_ORDER > STATE_ORDER_MASK);

struct buddy_free_block {
    struct list_node link; /* on z->free_list[order] */
};

size_t buddy_state_bytes(unsigned long nr_frames)
{
    return nr_frames;
}

static uint8_t *state_of(const struct buddy_zone *z, unsigned long pfn)
{
    return &z->state[pfn - z->first_pfn];
}

static struct buddy_free_block *block_at(const struct buddy_zone *z, unsigned long pfn)
{
    return (struct buddy_free_block *)(z->base + (pfn << BUDDY_PAGE_SHIFT));
}

static unsigned long pfn_of(const struct buddy_zone *z, const struct buddy_free_block *b)
{
    return ((uintptr_t)b - z->base) >> BUDDY_PAGE_SHIFT;
}

static void free_list_push(struct buddy_zone *z, unsigned long pfn, unsigned int order)
{
    list_add(&z->free_list[order], &block_at(z, pfn)->link);
    *state_of(z, pfn) = STATE_FREE_HEAD | order;
    z->free_frames += 1UL << order;
}

/* Take the free block at pfn off its list; its state byte becomes 0. */
static void free_list_remove(struct buddy_zone *z, unsigned long pfn, unsigned int order)
{
    list_del(&block_at(z, pfn)->link);
    *state_of(z, pfn) = 0;
    z->free_frames -= 1UL << order;
}

int buddy_init(struct buddy_zone *z, uintptr_t base, unsigned long first_pfn, unsigned long end_pfn,
               uint8_t *state)
{
    unsigned int order;

    if (end_pfn < first_pfn || !state)
        return -EINVAL;
    z->base = base;
    z->first_pfn = first_pfn;
    z->end_pfn = first_pfn;
    z->state = state;
    z->free_frames = 0;
    for (order = 0; order <= BUDDY_MAX_ORDER; order++)
        list_init(&z->free_list[order]);
    return buddy_grow(z, end_pfn);
}

int buddy_grow(struct buddy_zone *z, unsigned long end_pfn)
{
    unsigned long pfn;

    if (end_pfn < z->end_pfn)
        return -EINVAL;
    for (pfn = z->end_pfn; pfn < end_pfn; pfn++)
        *state_of(z, pfn) = STATE_HELD;
    z->end_pfn = end_pfn;
    return 0;
}

bool buddy_contains(const struct buddy_zone *z, unsigned long pfn)
{
    return pfn >= z->first_pfn && pfn < z->end_pfn;
}

unsigned long buddy_free_frames(const struct buddy_zone *z)
{
    return z->free_frames;
}

int buddy_allocated_order(const struct buddy_zone *z, unsigned long pfn)
{
    uint8_t s;

    if (!buddy_contains(z, pfn))
        return -EINVAL;
    s = *state_of(z, pfn);
    if (!(s & STATE_ALLOC_HEAD))
        return -EINVAL;
    return s & STATE_ORDER_MASK;
}

/*
 * Free the block at pfn, whose state byte the caller has already cleared:
 * merge it with its buddy for as long as the buddy is a whole free block of
 * the same order inside the zone, then list the result.
 */
static void merge_and_list(struct buddy_zone *z, unsigned long pfn, unsigned int order)
{
    while (order < BUDDY_MAX_ORDER) {
        unsigned long buddy = pfn ^ (1UL << order);

        if (!buddy_contains(z, buddy) || *state_of(z, buddy) != (STATE_FREE_HEAD | order))
            break;
        free_list_remove(z, buddy, order);
        pfn &= ~(1UL << order);
        order++;
    }
    free_list_push(z, pfn, order);
}

int buddy_free(struct buddy_zone *z, unsigned long pfn, unsigned int order)
{
    if (order > BUDDY_MAX_ORDER || !buddy_contains(z, pfn))
        return -EINVAL;
    if (*state_of(z, pfn) != (STATE_ALLOC_HEAD | order))
        return -EINVAL;
    *state_of(z, pfn) = 0;
    merge_and_list(z, pfn, order);
    return 0;
}

long buddy_alloc(struct buddy_zone *z, unsigned int order)
{
    unsigned int k = order;
    unsigned long pfn;

    if (order > BUDDY_MAX_ORDER)
        return -EINVAL;
    while (k <= BUDDY_MAX_ORDER && list_empty(&z->free_list[k]))
        k++;
    if (k > BUDDY_MAX_ORDER)
        return -ENOMEM;
    pfn = pfn_of(z, list_first_entry(&z->free_list[k], struct buddy_free_block, link));
    free_list_remove(z, pfn, k);
    /* Split: keep the lower half, list the upper half, until the size fits. */
    while (k > order) {
        k--;
        free_list_push(z, pfn + (1UL << k), k);
    }
    *state_of(z, pfn) = STATE_ALLOC_HEAD | order;
    return (long)pfn;
}

/* The largest order of an aligned block at pfn that ends at or before end. */
static unsigned int largest_block(unsigned long pfn, unsigned long end)
{
    unsigned int order = 0;

    while (order < BUDDY_MAX_ORDER) {
        unsigned long size = 1UL << (order + 1);

        if ((pfn & (size - 1)) || end - pfn < size)
            break;
        order++;
    }
    return order;
}

int buddy_free_range(struct buddy_zone *z, unsigned long pfn, unsigned long end)
{
    unsigned long i;

    if (pfn > end || pfn < z->first_pfn || end > z->end_pfn)
        return -EINVAL;
    /* Check everything first, so a bad range changes nothing. */
    for (i = pfn; i < end; i++)
        if (*state_of(z, i) != STATE_HELD)
            return -EINVAL;
    for (i = pfn; i < end; i++)
        *state_of(z, i) = 0;
    while (pfn < end) {
        unsigned int order = largest_block(pfn, end);

        merge_and_list(z, pfn, order);
        pfn += 1UL << order;
    }
    return 0;
}
