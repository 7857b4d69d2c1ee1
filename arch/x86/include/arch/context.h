/*
 * Thread contexts on x86_64: preparing a new stack and switching stacks
 * (arch/x86/switch.S). The scheduler above decides who runs; this only moves.
 */
#ifndef ARCH_CONTEXT_H
#define ARCH_CONTEXT_H

#include <stdint.h>

/*
 * Lay out a fresh stack ending at top so that switching to the returned stack
 * pointer calls fn(arg) on it, at the bottom of a backtrace. fn must not return.
 */
uintptr_t arch_stack_init(void *top, void (*fn)(void *), void *arg);

/* Save the running context's stack pointer in *save_sp and resume next_sp's. */
void arch_switch_stack(uintptr_t *save_sp, uintptr_t next_sp);

#endif
