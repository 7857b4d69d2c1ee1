/*
 * _start: where Xen enters the kernel (XEN_ELFNOTE_ENTRY).
 *
 * At entry (xen/xen.h, "Start-of-day memory layout") the image, start_info, the p2m
 * list and the bootstrap page tables are mapped; %rsi holds the virtual address of
 * start_info; %rsp points into Xen's bootstrap stack. This code stamps the TSC (for
 * the boot-time figure), clears bss, switches to the kernel's own stack, hands
 * start_info to arch_early_init (arch/x86/pv/setup.c) and calls start_kernel. It
 * lives alone in page 0, which is unmapped once the kernel runs.
 */
#include "arch/page.h"

/*
 * The boot stack runs the start of day and then, for good, the main thread: the
 * application's stack (kernel/start_kernel.c), so it is as large as an application
 * may want. The idle thread gets a stack of its own: the idle loop, with an event
 * handler or a fault report on top, stays well within 8 KiB (the start of day, which
 * goes deeper, reaches about 5.7 KiB; hello, measured). Each stack has an unmapped
 * guard page below it (arch/x86/pv/direct_map.c). Both are ready at boot, so the
 * start of day creates no thread stack and no page table for one.
 */
#define BOOT_STACK_SIZE (64 * 1024)
#define IDLE_STACK_SIZE (8 * 1024)

    .section .text.boot, "ax"
    .globl _start
_start:
    cld
    rdtsc
    shlq $32, %rdx
    orq %rdx, %rax
    movq %rax, %r13             /* TSC at entry, kept across the bss clear */
    movq %rsi, %r12             /* start_info */

    leaq __bss_start(%rip), %rdi
    leaq __bss_end(%rip), %rcx
    subq %rdi, %rcx
    xorl %eax, %eax
    rep stosb

    leaq boot_stack_top(%rip), %rsp
    xorl %ebp, %ebp             /* a zero frame pointer ends every backtrace */
    movq %r13, boot_tsc(%rip)
    movq %r12, %rdi
    call arch_early_init
    call start_kernel
    ud2                         /* start_kernel never returns */
    .size _start, . - _start

    .section .bss.page_aligned, "aw", @nobits
    .balign PAGE_SIZE
    /* Unmapped once the kernel's page tables are built: an overflow faults here. */
    .globl boot_stack_guard
boot_stack_guard:
    .skip PAGE_SIZE
    .globl boot_stack, boot_stack_top
boot_stack:
    .skip BOOT_STACK_SIZE
boot_stack_top:
    .globl idle_stack_guard
idle_stack_guard:
    .skip PAGE_SIZE
    .globl idle_stack, idle_stack_top
idle_stack:
    .skip IDLE_STACK_SIZE
idle_stack_top:

    .section .bss
    .balign 8
    .globl boot_tsc
boot_tsc:
    .quad 0
