/*
 * Walking the frame-pointer chain and naming each return address from the symbol
 * table linked into the image (tools/gen-symbols).
 */
#ifndef ARCH_BACKTRACE_H
#define ARCH_BACKTRACE_H

#include <stddef.h>
#include <stdint.h>

/* The name of the function holding addr, and addr's offset in it; NULL if none. */
const char *kernel_symbol_lookup(uintptr_t addr, uintptr_t *offset);

/* Where the running context's stack is: [lo, hi). Frames outside it are not followed. */
void backtrace_set_stack(uintptr_t lo, uintptr_t hi);

/* Print "  [addr] function+offset" for each frame, starting at frame pointer rbp. */
void backtrace_print(uintptr_t rbp);

/* Fill pcs[] with up to max return addresses from frame pointer rbp; returns the count. */
size_t backtrace_collect(uintptr_t rbp, uintptr_t *pcs, size_t max);

#endif
