/*
 * A PV domain's memory at start of day: where Xen put each thing it handed over, and
 * which frames are free. Computed once from start_info, checked before any of it is
 * trusted.
 */
#ifndef ARCH_BOOT_LAYOUT_H
#define ARCH_BOOT_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/page.h"

struct boot_layout {
    unsigned long nr_pages;
    struct pfn_range image;       /* the kernel image, page 0 to _end */
    struct pfn_range p2m;         /* the pfn -> mfn list (start_info.mfn_list) */
    struct pfn_range start_info;  /* the start_info page */
    struct pfn_range page_tables; /* the bootstrap page tables (pt_base, nr_pt_frames) */
    struct pfn_range module;      /* the boot module (mod_start, mod_len), often empty */
    struct pfn_range ring_pages;  /* a domU's xenstore and console pages */
    unsigned long first_free;     /* the first frame after all of the above */
};

/*
 * What the caller knows besides start_info: the image's end, start_info's own
 * virtual address, and the frames of the xenstore and console pages (found through
 * the machine-to-phys table; ~0UL when the domain has none, as dom0).
 */
struct boot_layout_facts {
    uintptr_t image_end;
    uintptr_t start_info_va;
    unsigned long store_pfn, console_pfn;
};

/* Frames the kernel needs free beyond what Xen placed, to build its page tables,
 * allocator state and heap; fewer is refused at boot. */
#define BOOT_LAYOUT_MIN_FREE_PAGES 256

/*
 * Fill *layout from start_info and the facts. Returns 0, or -EINVAL with *why set to
 * a sentence naming the field that does not add up, or -ENOMEM when the domain has
 * too few pages for the kernel.
 */
struct start_info;
int boot_layout_compute(const struct start_info *si, const struct boot_layout_facts *facts,
                        struct boot_layout *layout, const char **why);

#endif
