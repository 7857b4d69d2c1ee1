/*
 * A binary buddy allocator over one range of page frames [first_pfn, end_pfn).
 *
 * Frame pfn is mapped at base + pfn * 4096 (the kernel maps all of its memory
 * with base 0). Blocks are 2^order frames and naturally aligned: a block of
 * order k starts at a pfn that is a multiple of 2^k. The zone keeps one state
 * byte per frame, supplied by the caller, so that buddy checks are O(1) and a
 * bad free is recognised from that array alone, never from memory contents.
 * A free block holds its free-list links in its own first bytes, so free
 * frames must stay mapped and writable.
 *
 * No allocation and no locking inside: the kernel calls these from threads only,
 * never from event handlers, one at a time (threads are cooperative); a host test
 * calls them on an arena of its own.
 */
#ifndef MM_BUDDY_H
#define MM_BUDDY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/list.h"

#define BUDDY_PAGE_SHIFT 12
#define BUDDY_PAGE_SIZE  (1UL << BUDDY_PAGE_SHIFT)
#define BUDDY_MAX_ORDER  18 /* largest block: 2^18 pages = 1 GiB */

/*
 * Fill it with buddy_init and neither copy nor move it afterwards: the first
 * and last free block of each order point back at their list head in the zone.
 */
struct buddy_zone {
    uintptr_t base;          /* virtual address of frame 0 */
    unsigned long first_pfn; /* first frame of the zone */
    unsigned long end_pfn;   /* one past the last frame */
    uint8_t *state;          /* state[pfn - first_pfn]: see buddy.c */
    unsigned long free_frames;
    /* Free blocks of each order, doubly linked through the blocks themselves. */
    struct list_node free_list[BUDDY_MAX_ORDER + 1];
};

/* Bytes of state array that a zone of nr_frames frames needs. */
size_t buddy_state_bytes(unsigned long nr_frames);

/*
 * Set up a zone over [first_pfn, end_pfn), with every frame held back
 * (neither free nor allocated) until buddy_free_range hands it over. state is
 * buddy_state_bytes(end_pfn - first_pfn) bytes of any content. Returns 0, or
 * -EINVAL if end_pfn < first_pfn or state is NULL.
 */
int buddy_init(struct buddy_zone *z, uintptr_t base, unsigned long first_pfn, unsigned long end_pfn,
               uint8_t *state);

/*
 * Extend the zone up to end_pfn, the new frames held back like buddy_init's. The
 * state array must have room for them (buddy_state_bytes(end_pfn - first_pfn)).
 * Returns 0, or -EINVAL if end_pfn is below the zone's end. A zone can so start
 * small and grow as its memory becomes usable; only the new frames' state is set.
 */
int buddy_grow(struct buddy_zone *z, unsigned long end_pfn);

/*
 * Hand frames [pfn, end) to the allocator, as the largest aligned blocks that
 * fit, merging them with free neighbours. Returns 0, or -EINVAL (and changes
 * nothing) if the range is outside the zone or any of its frames was handed
 * over before. An empty range is fine.
 */
int buddy_free_range(struct buddy_zone *z, unsigned long pfn, unsigned long end);

/*
 * The first frame of a free block of 2^order frames aligned to 2^order
 * frames, now allocated; -ENOMEM if there is none, -EINVAL if order is above
 * BUDDY_MAX_ORDER.
 */
long buddy_alloc(struct buddy_zone *z, unsigned int order);

/*
 * Give back the block of 2^order frames at pfn, merging it with its free
 * buddies. Returns 0, or -EINVAL (and changes nothing) if pfn is not the first
 * frame of an allocated block of exactly that order: a double free, a wrong
 * order, a frame inside a block or outside the zone.
 */
int buddy_free(struct buddy_zone *z, unsigned long pfn, unsigned int order);

/* The order of the allocated block that starts at pfn, or -EINVAL if none does. */
int buddy_allocated_order(const struct buddy_zone *z, unsigned long pfn);

unsigned long buddy_free_frames(const struct buddy_zone *z);

/* Whether pfn is one of the zone's frames (free, allocated or held back). */
bool buddy_contains(const struct buddy_zone *z, unsigned long pfn);

#endif
