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
 * The boot stack stays the idle thread's for good. Start of day and the idle loop
 * reach about 5.5 KiB deep (hello, measured); 16 KiB leaves room for a fault report
 * or an event handler on top.
 */
#define BOOT_STACK_SIZE (16 * 1024)

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

    .section .bss
    .balign 8
    .globl boot_tsc
boot_tsc:
    .quad 0
