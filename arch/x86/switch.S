/*
 * Switching between kernel threads (kernel/sched.c), x86_64.
 *
 * A thread that is not running is just its stack: the callee-saved registers of the
 * System V ABI (%rbp, %rbx, %r12-%r15) pushed by arch_switch_stack, with the return
 * address above them. Everything else the C caller of arch_switch_stack already
 * assumes is clobbered. The kernel never touches the FPU or SSE registers
 * (-mgeneral-regs-only), so there is no other state to save.
 */

/* void arch_switch_stack(uintptr_t *save_sp, uintptr_t next_sp) */
    .text
    .globl arch_switch_stack
arch_switch_stack:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size arch_switch_stack, . - arch_switch_stack

/*
 * A new thread's first return from arch_switch_stack lands here, with the function
 * in %r12 and its argument in %r13 (arch/x86/context.c:arch_stack_init) and %rbp
 * zero, which ends backtraces. The function never returns.
 */
    .globl arch_thread_entry
arch_thread_entry:
    movq %r13, %rdi
    call *%r12
    ud2
    .size arch_thread_entry, . - arch_thread_entry
