/*
 * The first frame of a new thread's stack, in the order arch/x86/switch.S pops it.
 */
#include "arch/context.h"

extern char arch_thread_entry[];

/* What arch_switch_stack pops, lowest address first, then the address it returns to. */
struct initial_frame {
    uint64_t r15, r14, r13, r12, rbx, rbp;
    uint64_t rip;
};

uintptr_t arch_stack_init(void *top, void (*fn)(void *), void *arg)
{
    /* arch_thread_entry's call must find %rsp 16-byte aligned (the SysV ABI). */
    uintptr_t after_ret = ((uintptr_t)top - 16) & ~(uintptr_t)15;
    struct initial_frame *f = (struct initial_frame *)(after_ret - sizeof(*f));

    *f = (struct initial_frame){
        .r12 = (uint64_t)(uintptr_t)fn,
        .r13 = (uint64_t)(uintptr_t)arg,
        .rip = (uint64_t)(uintptr_t)arch_thread_entry,
    };
    return (uintptr_t)f;
}
