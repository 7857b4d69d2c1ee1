/*
 * The kernel's page tables on x86_64 PV: x86-64 four-level paging, changed only
 * through Xen.
 *
 * A virtual address splits into four 9-bit table indices above a 12-bit offset;
 * each table is one page of 512 eight-byte entries holding a machine frame number
 * and flag bits. A PV guest reads its tables directly (they are mapped read-only)
 * but changes them only through Xen (mmu_update, update_va_mapping in xen/xen.h),
 * which checks every entry and refuses a page as a table while any writable mapping
 * of it exists.
 *
 * mm/ uses only the first four functions, which any architecture provides; the
 * entry format, the walker and the batched updates below them are this one's, for
 * the direct map and for the tests that look at entries.
 */
#ifndef ARCH_PAGETABLE_H
#define ARCH_PAGETABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>

#include "arch/page.h"

/* Supplies a zeroed, writable page for a new table; NULL when none is left. */
typedef void *(*pt_table_alloc_fn)(void);

/*
 * Map n frames at va (tables created with alloc_table as needed) read-write and
 * non-executable, or unmap n pages at va. Both flush the TLB for what they change.
 */
int pt_map_frames(uintptr_t va, const mfn_t *mfns, size_t n, pt_table_alloc_fn alloc_table);
int pt_unmap(uintptr_t va, size_t n);
/* Create the tables down to L1 for [va, va + n pages), leaving the entries empty. */
int pt_prepare(uintptr_t va, size_t n, pt_table_alloc_fn alloc_table);
/* True when a page is mapped at va, with its machine frame in *mfn. */
bool pt_mapped_frame(uintptr_t va, mfn_t *mfn);

/* Page-table entry bits (the x86 architecture's, as Xen validates them). */
#define PTE_PRESENT  (1ULL << 0)
#define PTE_RW       (1ULL << 1)
#define PTE_USER     (1ULL << 2)
#define PTE_ACCESSED (1ULL << 5)
#define PTE_DIRTY    (1ULL << 6)
#define PTE_NX       (1ULL << 63)

typedef uint64_t pte_t;
typedef uint64_t maddr_t; /* a machine address */

#define PT_LEVELS             4
#define PT_ENTRIES            512
#define PT_LEVEL_SHIFT(level) (PAGE_SHIFT + 9 * ((level)-1)) /* level 1 maps 4 KiB pages */
#define PT_INDEX(va, level)   (((uintptr_t)(va) >> PT_LEVEL_SHIFT(level)) & (PT_ENTRIES - 1))

#define PTE_ADDR_MASK 0x000ffffffffff000ULL

static inline mfn_t pte_mfn(pte_t pte)
{
    return (pte & PTE_ADDR_MASK) >> PAGE_SHIFT;
}

static inline pte_t pte_make(mfn_t mfn, uint64_t flags)
{
    return ((pte_t)mfn << PAGE_SHIFT) | flags;
}

/* Flags for an entry that points at a lower table: everything is decided at the leaf. */
#define PTE_TABLE (PTE_PRESENT | PTE_RW | PTE_USER | PTE_ACCESSED)

/* Requests queued for one mmu_update hypercall; Xen applies them in order. */
#define PT_BATCH_SIZE 128

struct pt_batch {
    struct mmu_update reqs[PT_BATCH_SIZE];
    unsigned int count;
};

void pt_init(pte_t *root);
pte_t *pt_root(void);

/* The entry at `level` that maps va, or NULL when a table above it is missing. */
pte_t *pt_lookup(uintptr_t va, unsigned int level);

/* The machine address of an entry, as mmu_update wants it. */
maddr_t pt_entry_maddr(const pte_t *entry);

/* The table an entry points to, through the direct map. */
pte_t *pt_entry_table(pte_t entry);

void pt_batch_init(struct pt_batch *b);
int pt_batch_set(struct pt_batch *b, const pte_t *entry, pte_t value);
int pt_batch_flush(struct pt_batch *b);

/*
 * Queue making `page` (writable, zeroed or filled) a table under `parent`: first
 * its own mapping becomes read-only, then the parent points at it. The caller must
 * have flushed any batch that created the tables mapping `page`.
 */
int pt_batch_install_table(struct pt_batch *b, pte_t *parent, void *page);
/* The first half of that: queue making `page` read-only in the direct map. */
int pt_batch_make_read_only(struct pt_batch *b, void *page);

/* Flags for the direct map and the NX bit, set once NX is known to work. */
uint64_t pt_nx(void);

int pt_flush_tlb(void);

#endif
