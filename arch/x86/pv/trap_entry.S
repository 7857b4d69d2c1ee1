/*
 * Entry stubs for exceptions and for Xen's callbacks, x86_64 PV.
 *
 * Xen delivers an exception or a callback by building a frame on the kernel stack
 * (xen/arch-x86/xen-x86_64.h): the hardware frame (ss, rsp, rflags, cs, rip), the
 * error code for vectors that have one, and on top the guest's %rcx and %r11, which
 * Xen's own return path clobbered. Each stub restores those two, pushes a uniform
 * error code and vector, and joins trap_common, which saves every register into a
 * struct trap_frame (arch/x86/include/arch/traps.h) and calls trap_dispatch(frame).
 *
 * A PV kernel runs in ring 3 and cannot use iretq to restore its event mask, so it
 * returns through the iret hypercall, which takes struct iret_context
 * (xen/arch-x86/xen-x86_64.h): the stub in the hypercall page pushes %rcx, %r11
 * and %rax itself; the guest pushes the flags word above the hardware frame.
 */
#include <xen/xen.h>

#include "arch/hypercall.h"
#include "arch/traps.h"

/*
 * One entry stub: take back %rcx and %r11, drop them and any extra words Xen pushed
 * above the hardware frame, push a zero error code where the CPU pushed none, then
 * the vector, and join trap_common.
 */
.macro ENTRY_STUB name, vector, has_error_code, extra_words=0
    .globl \name
\name:
    movq (%rsp), %rcx
    movq 8(%rsp), %r11
    addq $(16 + 8 * \extra_words), %rsp
    .if \has_error_code == 0
    pushq $0
    .endif
    pushq $\vector
    jmp trap_common
    .size \name, . - \name
.endm

.macro TRAP_ENTRY vector, has_error_code
    ENTRY_STUB trap_entry_\vector, \vector, \has_error_code
.endm

    .text
/* Vectors with an error code: #DF 8, #TS 10, #NP 11, #SS 12, #GP 13, #PF 14, #AC 17,
 * #CP 21, #VC 29, #SX 30 (Intel SDM vol. 3, table 6-1). */
    TRAP_ENTRY 0, 0
    TRAP_ENTRY 1, 0
    TRAP_ENTRY 2, 0
    TRAP_ENTRY 3, 0
    TRAP_ENTRY 4, 0
    TRAP_ENTRY 5, 0
    TRAP_ENTRY 6, 0
    TRAP_ENTRY 7, 0
    TRAP_ENTRY 8, 1
    TRAP_ENTRY 9, 0
    TRAP_ENTRY 10, 1
    TRAP_ENTRY 11, 1
    TRAP_ENTRY 12, 1
    TRAP_ENTRY 13, 1
    TRAP_ENTRY 14, 1
    TRAP_ENTRY 15, 0
    TRAP_ENTRY 16, 0
    TRAP_ENTRY 17, 1
    TRAP_ENTRY 18, 0
    TRAP_ENTRY 19, 0
    TRAP_ENTRY 20, 0
    TRAP_ENTRY 21, 1
    TRAP_ENTRY 22, 0
    TRAP_ENTRY 23, 0
    TRAP_ENTRY 24, 0
    TRAP_ENTRY 25, 0
    TRAP_ENTRY 26, 0
    TRAP_ENTRY 27, 0
    TRAP_ENTRY 28, 0
    TRAP_ENTRY 29, 1
    TRAP_ENTRY 30, 1
    TRAP_ENTRY 31, 0

/* The table arch/x86/traps.c hands to set_trap_table, indexed by vector. */
    .section .rodata
    .balign 8
    .globl trap_entry_table
trap_entry_table:
    .irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    .quad trap_entry_\v
    .endr
    .if . - trap_entry_table != TRAP_NR_VECTORS * 8
    .error "trap_entry_table must have TRAP_NR_VECTORS entries"
    .endif
    .text

/* CALLBACKTYPE_event: an event-channel upcall; events are masked on entry. */
    ENTRY_STUB event_callback_entry, TRAP_EVENT_UPCALL, 0

/*
 * CALLBACKTYPE_failsafe: Xen could not load the guest's segment registers on a
 * return to it. It pushes %ds, %es, %fs, %gs between %r11 and the hardware frame.
 * The kernel never loads segments itself, so this is a bug: report it as fatal.
 */
    ENTRY_STUB failsafe_callback_entry, TRAP_FAILSAFE, 0, 4

/* CALLBACKTYPE_nmi: a virtual NMI, as vector 2 (arch/x86/pv/nmi.c); resumes like the rest. */
    ENTRY_STUB nmi_callback_entry, TRAP_NMI, 0

/*
 * Save the registers in struct trap_frame order, call trap_dispatch(frame) on a
 * 16-byte aligned stack (the frame Xen built need not be), then restore and return
 * through the iret hypercall with flags 0 (not returning from a system call).
 */
trap_common:
    pushq %rax
    pushq %rbx
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %rbp
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, %rdi
    movq %rsp, %rbx             /* callee-saved: the frame, across the call */
    andq $-16, %rsp
    call trap_dispatch
    movq %rbx, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rbp
    popq %rdi
    popq %rsi
    popq %rdx
    popq %rcx
    popq %rbx
    popq %rax
    addq $(TRAP_FRAME_RIP - TRAP_FRAME_VECTOR), %rsp /* vector and error code */
    pushq $0
    jmp hypercall_page + __HYPERVISOR_iret * HYPERCALL_STUB_SIZE
    .size trap_common, . - trap_common
