/*
 * Start of day on x86_64 PV: what Xen handed over, kept where the rest of the
 * kernel can read it.
 */
#ifndef ARCH_SETUP_H
#define ARCH_SETUP_H

#include <stdint.h>
#include <xen/xen.h>

/*
 * Xen's start_info page, set by arch_early_init. The page is part of the boot layout,
 * which the memory code keeps out of its allocator: it stays as Xen wrote it.
 */
extern const struct start_info *start_info;
/* Its address, for the boot layout (arch/x86/pv/boot_layout.c). */
extern uintptr_t start_info_xen_va;
/* Xen's shared_info page, mapped at start of day. */
extern struct shared_info *const shared_info;
/* The TSC when Xen entered _start (arch/x86/pv/boot.S). */
extern uint64_t boot_tsc;

/* The kind of guest the kernel was built as, for the banner. */
#define ARCH_GUEST_NAME "x86_64 PV"

/* Called by arch/x86/pv/boot.S:_start with what Xen handed over, before start_kernel. */
void arch_early_init(const struct start_info *si);
/* Called by start_kernel once the console works. */
void arch_init(void);

#endif
