/*
 * The kernel's C entry point, called by arch/x86/boot.S:_start.
 */
#ifndef KERNEL_START_KERNEL_H
#define KERNEL_START_KERNEL_H

#include <xen/xen.h>

void start_kernel(const struct start_info *si) __attribute__((noreturn));

#endif
