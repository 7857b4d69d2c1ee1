/*
 * Exceptions and Xen's callbacks on x86_64: the saved register frame, and how a
 * higher layer claims a vector or the event upcall without arch/ knowing about it.
 *
 * The entry code (arch/x86/pv/trap_entry.S for a PV guest) includes this file too,
 * for the constants above the __ASSEMBLY__ line: the vectors it pushes and the frame
 * offsets it relies on.
 */
#ifndef ARCH_TRAPS_H
#define ARCH_TRAPS_H

#define TRAP_NR_VECTORS   32
#define TRAP_EVENT_UPCALL 256 /* not a vector: the event-channel callback */
#define TRAP_FAILSAFE     257 /* not a vector: Xen's failsafe callback (PV only) */

#define TRAP_DIVIDE_ERROR    0
#define TRAP_NMI             2
#define TRAP_INVALID_OPCODE  6
#define TRAP_GENERAL_PROTECT 13
#define TRAP_PAGE_FAULT      14

/* Byte offsets in struct trap_frame: the saved registers end where vector begins. */
#define TRAP_FRAME_VECTOR 120 /* fifteen general registers of 8 bytes */
#define TRAP_FRAME_RIP    136 /* the hardware frame, after vector and error_code */

#ifndef __ASSEMBLY__

#include <stdbool.h>
#include <stdint.h>

/* Pushed by arch/x86/pv/trap_entry.S:trap_common, lowest address first. */
struct trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error_code;
    /* The hardware frame, as the CPU or Xen built it. */
    uint64_t rip, cs, rflags, rsp, ss;
};

/*
 * A handler returns true when it dealt with the trap and execution may resume at
 * frame->rip (which it may change); false lets the fault be reported as fatal.
 */
typedef bool (*trap_handler_fn)(struct trap_frame *frame);

int trap_set_handler(unsigned int vector, trap_handler_fn fn);

/* The event-channel layer registers the function that runs on each upcall. */
typedef void (*event_upcall_fn)(struct trap_frame *frame);
void trap_set_event_upcall(event_upcall_fn fn);

void trap_dispatch(struct trap_frame *frame);

#endif /* __ASSEMBLY__ */

#endif
