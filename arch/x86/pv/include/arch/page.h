/*
 * Pages, frames and the addresses the kernel uses for them on x86_64 PV.
 *
 * A PV guest sees two kinds of frame numbers: its own pseudo-physical frames (pfn,
 * 0 .. nr_pages-1, contiguous) and the machine frames (mfn) they really are. The
 * p2m list Xen hands over (start_info.mfn_list) maps pfn -> mfn; Xen's read-only
 * machine_to_phys_mapping table maps mfn -> pfn (xen/arch-x86/xen-x86_64.h).
 * The kernel is loaded at virtual base 0, so pfn N is at virtual address N * 4096.
 */
#ifndef ARCH_PAGE_H
#define ARCH_PAGE_H

#define PAGE_SHIFT 12

#ifdef __ASSEMBLY__

/* For arch/x86/pv/boot.S and hypercall_page.S: the assembler takes no UL suffix. */
#define PAGE_SIZE (1 << PAGE_SHIFT)

#else

#include <stdint.h>
#include <xen/xen.h>

#define PAGE_SIZE        (1UL << PAGE_SHIFT)
#define PAGE_MASK        (~(PAGE_SIZE - 1))

/*
 * Zeroed storage in the image that starts on a page of its own (the link script puts
 * these sections first in bss), for objects mapped elsewhere or given back whole.
 */
#define PAGE_ALIGNED_BSS __attribute__((aligned(PAGE_SIZE), section(".bss.page_aligned")))

typedef unsigned long pfn_t; /* pseudo-physical frame number */
typedef unsigned long mfn_t; /* machine frame number */

/* Frame ranges are half-open: [start, end). A range with start == end is empty. */
struct pfn_range {
    unsigned long start, end;
};

/* The p2m list, set from start_info.mfn_list at start of day (arch/x86/pv/setup.c). */
extern const unsigned long *arch_p2m;

/*
 * The direct-map address of a frame. Mapped for the frames of the boot layout and for
 * any frame the page allocator handed out; the rest of the direct map is built while
 * the allocator adds its frames (mm/page_alloc.c), so a frame it has not added yet may
 * not be mapped: page_alloc_grow until it returns false maps them all.
 */
static inline void *pfn_to_virt(pfn_t pfn)
{
    return (void *)(pfn << PAGE_SHIFT);
}

static inline pfn_t virt_to_pfn(const void *va)
{
    return (uintptr_t)va >> PAGE_SHIFT;
}

static inline mfn_t pfn_to_mfn(pfn_t pfn)
{
    return arch_p2m[pfn];
}

static inline pfn_t mfn_to_pfn(mfn_t mfn)
{
    return machine_to_phys_mapping[mfn];
}

static inline void *mfn_to_virt(mfn_t mfn)
{
    return pfn_to_virt(mfn_to_pfn(mfn));
}

#endif /* __ASSEMBLY__ */

#endif
