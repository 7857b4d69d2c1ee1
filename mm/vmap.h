/*
 * Virtual areas: a region of the address space for mappings outside the direct map:
 * a second view of the domain's own frames, thread stacks with an unmapped guard
 * page below them, and (with grant tables) pages other domains grant.
 */
#ifndef MM_VMAP_H
#define MM_VMAP_H

#include <stddef.h>
#include <stdint.h>

#include "arch/page.h"

/* 16 TiB, above any direct map (arch/x86/pv/boot_layout.c caps the domain's size there). */
#define VMAP_START (1UL << 44)
#define VMAP_PAGES (1UL << 24) /* 64 GiB */

int vmap_init(void);

/*
 * Map n (at least one) of the domain's own frames read-write and non-executable; NULL
 * when n is 0 or space runs out. (mmu_update with DOMID_SELF maps only the caller's frames: another
 * domain's pages arrive through grant maps, which reserve address space here too.)
 */
void *vmap_map_mfns(const mfn_t *mfns, size_t n);
/*
 * Unmap what vmap_map_mfns returned, with the same n; the frames themselves are the
 * caller's. -EINVAL for any other range (nothing is unmapped then). When Xen refuses
 * to clear an entry, returns its error and the range stays reserved: the frames may
 * still be reachable there, so the caller must not reuse them for anything else.
 */
int vmap_unmap(void *va, size_t n);

/*
 * Address space for n pages whose page tables exist but whose entries are empty, for
 * Xen to fill: a grant map writes the entry at a virtual address itself, and needs
 * the L1 table there. NULL when address space or memory runs out. Release it only
 * once every entry is empty again.
 */
void *vmap_reserve_tables(size_t n);
/* -EINVAL unless [va, va + n pages) is one vmap_reserve_tables range; -EBUSY while mapped. */
int vmap_release_tables(void *va, size_t n);

#define VMAP_STACK_MAX_PAGES 64

/*
 * A stack of `pages` (at most VMAP_STACK_MAX_PAGES) fresh pages with an unmapped guard page below
 * it. Returns its lowest mapped address; the top is that plus pages * PAGE_SIZE. NULL when memory
 * or address space runs out.
 */
void *vmap_alloc_stack(size_t pages);
/*
 * Unmap a stack and free its frames. -EINVAL (nothing done) unless base and pages are
 * what vmap_alloc_stack returned and was given; when the unmap fails, its error, and
 * the frames and the range are kept for good.
 */
int vmap_free_stack(void *base, size_t pages);

/* Address space left in the region, in pages. */
size_t vmap_free_pages(void);

#ifdef KERNEL_TESTS
/*
 * A test hook, in the tests image only: make the next `count` page-table unmaps here
 * fail with -EIO, as if Xen had refused them. Xen does not refuse to clear this
 * kernel's own entries, so nothing else reaches the paths that must then keep the
 * range and the frames.
 */
void vmap_fail_unmaps_for_test(unsigned int count);
#endif

#endif
