/*
 * The kernel's C entry point, called by the architecture's entry once its own early
 * set-up is done (arch/x86/pv/boot.S:_start on x86_64 PV).
 */
#ifndef KERNEL_START_KERNEL_H
#define KERNEL_START_KERNEL_H

#include <stdint.h>

void start_kernel(void) __attribute__((noreturn));

/* Nanoseconds since the kernel's clock started, early in the start of day. */
uint64_t kernel_uptime_ns(void);

#endif
