/*
 * Changing the kernel's page tables through Xen: one walker, batched updates, and
 * the rule that a page must be read-only everywhere before it becomes a table.
 */
#ifndef MM_PAGETABLE_H
#define MM_PAGETABLE_H

#include <stddef.h>
#include <xen/xen.h>

#include "arch/x86/pagetable.h"

/* Requests queued for one mmu_update hypercall; Xen applies them in order. */
#define PT_BATCH_SIZE 128

struct pt_batch {
    struct mmu_update reqs[PT_BATCH_SIZE];
    unsigned int count;
};

/* Supplies a zeroed, writable page for a new table; NULL when none is left. */
typedef void *(*pt_table_alloc_fn)(void);

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

/* Flags for the direct map and the NX bit, set once NX is known to work. */
uint64_t pt_nx(void);

/*
 * Map n frames at va (tables created with alloc_table as needed) with the given leaf
 * flags, or unmap n pages at va. Both flush the TLB for what they change.
 */
int pt_map_frames(uintptr_t va, const mfn_t *mfns, size_t n, uint64_t flags,
                  pt_table_alloc_fn alloc_table);
int pt_unmap(uintptr_t va, size_t n);
/* Create the tables down to L1 for [va, va + n pages), leaving the entries empty. */
int pt_prepare(uintptr_t va, size_t n, pt_table_alloc_fn alloc_table);

int pt_flush_tlb(void);

#endif
