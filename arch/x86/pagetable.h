/*
 * x86-64 four-level paging, as a PV guest sees it.
 *
 * A virtual address splits into four 9-bit table indices above a 12-bit offset;
 * each table is one page of 512 eight-byte entries holding a machine frame number
 * and flag bits. A PV guest reads its tables directly (they are mapped read-only)
 * but changes them only through Xen (mmu_update, update_va_mapping in xen/xen.h),
 * which checks every entry.
 */
#ifndef ARCH_X86_PAGETABLE_H
#define ARCH_X86_PAGETABLE_H

#include <stdint.h>

#include "arch/x86/page.h"

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

#endif
