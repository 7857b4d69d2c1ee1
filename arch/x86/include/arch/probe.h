/*
 * Reading or writing memory that may not be mapped, without a fatal fault: for tests
 * of the kernel's own protections and for reports that must not fault themselves.
 */
#ifndef ARCH_PROBE_H
#define ARCH_PROBE_H

#include <stdbool.h>

#include "arch/traps.h"

/* 0 and the word at va in *value, or -EFAULT (and *value untouched) when reading faulted. */
int probe_read(const void *va, unsigned long *value);
/* 0, or -EFAULT when writing the word at va faulted. */
int probe_write(void *va, unsigned long value);

/* Called by trap_dispatch: resumes a faulting probe. */
bool probe_fixup(struct trap_frame *frame);

#endif
