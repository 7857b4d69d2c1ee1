/*
 * The page-table walker and the only code that asks Xen to change page tables.
 *
 * A PV guest never writes a live page-table entry: it sends Xen (machine address of
 * the entry | MMU_NORMAL_PT_UPDATE, new value) requests, and Xen checks each one
 * (xen/xen.h, mmu_update). Requests are queued in a pt_batch and sent many at once,
 * so building tables costs one hypercall per batch, not one per page.
 *
 * Xen refuses a page as a table while any writable mapping of it exists, so a new
 * table is filled while still writable, then mapped read-only in the direct map,
 * then hooked into its parent, in that order.
 */
#include <xen/xen.h>

#include "lib/errno.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "arch/cpu.h"
#include "arch/pagetable.h"
#include "arch/pv_hypercall.h"

static pte_t *root;
static uint64_t nx_flag;

void pt_init(pte_t *l4)
{
    uint32_t eax, ebx, ecx, edx;

    root = l4;
    /* NX is usable when the CPU has it (CPUID 0x80000001 EDX bit 20); Xen enables it
     * for its guests whenever the CPU does. */
    cpuid(0x80000000, &eax, &ebx, &ecx, &edx);
    if (eax >= 0x80000001) {
        cpuid(0x80000001, &eax, &ebx, &ecx, &edx);
        if (edx & (1u << 20))
            nx_flag = PTE_NX;
    }
}

pte_t *pt_root(void)
{
    return root;
}

uint64_t pt_nx(void)
{
    return nx_flag;
}

pte_t *pt_entry_table(pte_t entry)
{
    return pfn_to_virt(mfn_to_pfn(pte_mfn(entry)));
}

maddr_t pt_entry_maddr(const pte_t *entry)
{
    return ((maddr_t)pfn_to_mfn(virt_to_pfn(entry)) << PAGE_SHIFT) |
           ((uintptr_t)entry & ~PAGE_MASK);
}

pte_t *pt_lookup(uintptr_t va, unsigned int level)
{
    pte_t *table = root;
    unsigned int l;

    for (l = PT_LEVELS; l > level; l--) {
        pte_t entry = table[PT_INDEX(va, l)];

        if (!(entry & PTE_PRESENT))
            return NULL;
        table = pt_entry_table(entry);
    }
    return &table[PT_INDEX(va, level)];
}

void pt_batch_init(struct pt_batch *b)
{
    b->count = 0;
}

int pt_batch_flush(struct pt_batch *b)
{
    unsigned int done = 0;
    int rc;

    if (b->count == 0)
        return 0;
    rc = hypercall_mmu_update(b->reqs, b->count, &done, DOMID_SELF);
    if (rc) {
        printk("mmu_update: request %u of %u (entry %#lx = %#lx) refused: %d\n", done + 1, b->count,
               (unsigned long)b->reqs[done].ptr, (unsigned long)b->reqs[done].val, rc);
    }
    b->count = 0;
    return rc;
}

int pt_batch_set(struct pt_batch *b, const pte_t *entry, pte_t value)
{
    b->reqs[b->count].ptr = pt_entry_maddr(entry) | MMU_NORMAL_PT_UPDATE;
    b->reqs[b->count].val = value;
    if (++b->count == PT_BATCH_SIZE)
        return pt_batch_flush(b);
    return 0;
}

int pt_batch_make_read_only(struct pt_batch *b, void *page)
{
    pte_t *own = pt_lookup((uintptr_t)page, 1);

    if (!own || !(*own & PTE_PRESENT)) {
        printk("page tables: new table page %p is not mapped\n", page);
        return -EFAULT;
    }
    return pt_batch_set(b, own, (*own & ~PTE_RW) | nx_flag);
}

int pt_batch_install_table(struct pt_batch *b, pte_t *parent, void *page)
{
    int rc = pt_batch_make_read_only(b, page);

    if (rc)
        return rc;
    return pt_batch_set(b, parent, pte_make(pfn_to_mfn(virt_to_pfn(page)), PTE_TABLE));
}

int pt_flush_tlb(void)
{
    struct mmuext_op op = {.cmd = MMUEXT_TLB_FLUSH_LOCAL};

    return hypercall_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

/*
 * Make the chain tables[bottom..top] (each linked to the one below by a plain store)
 * read-only and hook tables[top] into parent, in one call: Xen checks the new tables
 * together when the parent entry is written.
 */
static int install_chain(pte_t *parent, pte_t **tables, unsigned int top, unsigned int bottom)
{
    struct pt_batch b;
    unsigned int level;
    int rc = 0;

    pt_batch_init(&b);
    for (level = bottom; level < top && !rc; level++)
        rc = pt_batch_make_read_only(&b, tables[level]);
    if (!rc)
        rc = pt_batch_install_table(&b, parent, tables[top]);
    if (!rc)
        rc = pt_batch_flush(&b);
    return rc; /* on failure the pages may be read-only: they are not given back */
}

/*
 * The level-1 entry for va, creating missing tables with alloc_table. The missing
 * tables are filled while still writable, each new one's entry for the next by a
 * plain store, and installed together, so that it takes one call however many are
 * new. If an allocation fails, those already made are installed, as they are.
 */
static int pt_walk_create(uintptr_t va, pt_table_alloc_fn alloc_table, pte_t **l1e)
{
    pte_t *tables[PT_LEVELS];
    pte_t *table = root;
    unsigned int level, top;
    int rc;

    for (level = PT_LEVELS; level > 1; level--) {
        pte_t *entry = &table[PT_INDEX(va, level)];

        if (!(*entry & PTE_PRESENT))
            break;
        table = pt_entry_table(*entry);
    }
    if (level == 1) {
        *l1e = &table[PT_INDEX(va, 1)];
        return 0;
    }
    top = level - 1; /* the level of the first missing table */
    for (level = top; level >= 1; level--) {
        tables[level] = alloc_table ? alloc_table() : NULL;
        if (!tables[level]) {
            if (level < top) {
                rc = install_chain(&table[PT_INDEX(va, top + 1)], tables, top, level + 1);
                if (rc)
                    return rc;
            }
            return -ENOMEM;
        }
        if (level < top)
            tables[level + 1][PT_INDEX(va, level + 1)] =
                pte_make(pfn_to_mfn(virt_to_pfn(tables[level])), PTE_TABLE);
    }
    rc = install_chain(&table[PT_INDEX(va, top + 1)], tables, top, 1);
    if (rc)
        return rc;
    *l1e = &tables[1][PT_INDEX(va, 1)];
    return 0;
}

int pt_map_frames(uintptr_t va, const mfn_t *mfns, size_t n, pt_table_alloc_fn alloc_table)
{
    uint64_t flags = PTE_PRESENT | PTE_RW | PTE_ACCESSED | PTE_DIRTY | nx_flag;
    struct pt_batch b;
    size_t i;
    int rc = 0;

    pt_batch_init(&b);
    for (i = 0; i < n && !rc; i++) {
        pte_t *l1e;

        rc = pt_walk_create(va + i * PAGE_SIZE, alloc_table, &l1e);
        if (!rc)
            rc = pt_batch_set(&b, l1e, pte_make(mfns[i], flags));
    }
    if (!rc)
        rc = pt_batch_flush(&b);
    pt_flush_tlb();
    return rc;
}

int pt_prepare(uintptr_t va, size_t n, pt_table_alloc_fn alloc_table)
{
    size_t i;
    int rc = 0;

    for (i = 0; i < n && !rc; i++) {
        pte_t *l1e;

        rc = pt_walk_create(va + i * PAGE_SIZE, alloc_table, &l1e);
    }
    return rc;
}

int pt_unmap(uintptr_t va, size_t n)
{
    struct pt_batch b;
    size_t i;
    int rc = 0;

    pt_batch_init(&b);
    for (i = 0; i < n && !rc; i++) {
        pte_t *l1e = pt_lookup(va + i * PAGE_SIZE, 1);

        if (l1e && (*l1e & PTE_PRESENT))
            rc = pt_batch_set(&b, l1e, 0);
    }
    if (!rc)
        rc = pt_batch_flush(&b);
    pt_flush_tlb();
    return rc;
}

bool pt_mapped_frame(uintptr_t va, mfn_t *mfn)
{
    pte_t *l1e = pt_lookup(va, 1);

    if (!l1e || !(*l1e & PTE_PRESENT))
        return false;
    *mfn = pte_mfn(*l1e);
    return true;
}
