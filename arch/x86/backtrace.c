/*
 * Backtraces from the frame-pointer chain (the kernel is built with
 * -fno-omit-frame-pointer): each frame holds the caller's %rbp, then the return
 * address. _start zeroes %rbp, which ends the chain.
 */
#include <stdbool.h>

#include "lib/printk.h"
#include "lib/symbols.h"
#include "arch/backtrace.h"

#define BACKTRACE_MAX_FRAMES 32

/* Generated from the first link pass (tools/gen-symbols). */
extern const struct symbol_table kernel_symbols;
extern char _text[], _etext[];
extern char boot_stack[], boot_stack_top[];

/* The running context's stack: the boot stack until the scheduler says otherwise. */
static uintptr_t stack_lo = (uintptr_t)boot_stack, stack_hi = (uintptr_t)boot_stack_top;

void backtrace_set_stack(uintptr_t lo, uintptr_t hi)
{
    stack_lo = lo;
    stack_hi = hi;
}

const char *kernel_symbol_lookup(uintptr_t addr, uintptr_t *offset)
{
    if (addr < (uintptr_t)_text || addr >= (uintptr_t)_etext)
        return NULL;
    return symbols_find(&kernel_symbols, addr, offset);
}

/*
 * A frame pointer is followed only while it stays inside the running stack, is aligned
 * and moves towards the stack's top: a corrupt chain ends the walk instead of
 * faulting inside the fault report.
 */
static bool frame_is_sane(uintptr_t rbp, uintptr_t prev)
{
    return rbp > prev && (rbp & 7) == 0 && rbp >= stack_lo && rbp + 16 <= stack_hi;
}

size_t backtrace_collect(uintptr_t rbp, uintptr_t *pcs, size_t max)
{
    uintptr_t prev = 0;
    size_t n = 0;

    while (n < max && frame_is_sane(rbp, prev)) {
        const uintptr_t *frame = (const uintptr_t *)rbp;

        if (frame[1] == 0)
            break;
        pcs[n++] = frame[1];
        prev = rbp;
        rbp = frame[0];
    }
    return n;
}

void backtrace_print(uintptr_t rbp)
{
    uintptr_t pcs[BACKTRACE_MAX_FRAMES];
    size_t i, n = backtrace_collect(rbp, pcs, BACKTRACE_MAX_FRAMES);

    printk("Backtrace:\n");
    for (i = 0; i < n; i++) {
        uintptr_t off;
        /* A return address may lie just past a call to a noreturn function. */
        const char *name = kernel_symbol_lookup(pcs[i] - 1, &off);

        if (name)
            printk("  [%016lx] %s+0x%lx\n", pcs[i], name, off + 1);
        else
            printk("  [%016lx] ?\n", pcs[i]);
    }
    if (n == 0)
        printk("  (no frames)\n");
}
