/*
 * The trap table and Xen's callbacks: where exceptions and events enter the kernel.
 *
 * A PV guest has no IDT of its own: it gives Xen a virtual one with set_trap_table
 * (struct trap_info, xen/arch-x86/xen.h), and registers the entry points for event
 * upcalls, the failsafe return path and NMIs with callback_op (xen/callback.h).
 */
#include <stddef.h>
#include <xen/xen.h>
#include <xen/callback.h>

#include "lib/errno.h"
#include "lib/panic.h"
#include "arch/hypercall.h"
#include "arch/fault_report.h"
#include "arch/nmi.h"
#include "arch/probe.h"
#include "arch/setup.h"
#include "arch/shutdown.h"
#include "arch/traps.h"

extern const unsigned long trap_entry_table[TRAP_NR_VECTORS];
extern char event_callback_entry[], failsafe_callback_entry[], nmi_callback_entry[];

/* trap_entry.S builds struct trap_frame with pushes; these offsets are all it assumes. */
BUILD_BUG_ON(offsetof(struct trap_frame, rax) + 8 != TRAP_FRAME_VECTOR);
BUILD_BUG_ON(offsetof(struct trap_frame, vector) != TRAP_FRAME_VECTOR);
BUILD_BUG_ON(offsetof(struct trap_frame, error_code) != TRAP_FRAME_VECTOR + 8);
BUILD_BUG_ON(offsetof(struct trap_frame, rip) != TRAP_FRAME_RIP);

static trap_handler_fn trap_handlers[TRAP_NR_VECTORS];
static event_upcall_fn event_upcall;

/*
 * trap_info.flags (xen/arch-x86/xen.h): the privilege level that may raise the vector
 * with a software interrupt (3: everyone, which includes the ring-3 PV kernel), and
 * whether events are masked on entry, like an interrupt gate clearing IF.
 */
#define TI_DPL_KERNEL 1
#define TI_DPL_ANY    3

static void register_callback(uint16_t type, const void *entry, uint16_t flags)
{
    struct callback_register cb = {
        .type = type,
        .flags = flags,
        .address = (unsigned long)entry,
    };
    int rc = hypercall_callback_op(CALLBACKOP_register, &cb);

    if (rc)
        panic("callback_op(register, type %u) failed: %d\n", type, rc);
}

void traps_init(void)
{
    /* One entry per vector, then the terminating entry with address 0. */
    static struct trap_info table[TRAP_NR_VECTORS + 1];
    unsigned int v, n = 0;
    int rc;

    for (v = 0; v < TRAP_NR_VECTORS; v++) {
        /* NMIs arrive through CALLBACKTYPE_nmi, not the trap table. */
        if (v == TRAP_NMI)
            continue;
        table[n].vector = v;
        /* int3 (3) and into (4) are meant to be raised by software. */
        TI_SET_DPL(&table[n], (v == 3 || v == 4) ? TI_DPL_ANY : TI_DPL_KERNEL);
        TI_SET_IF(&table[n], 1);
        table[n].cs = FLAT_KERNEL_CS;
        table[n].address = trap_entry_table[v];
        n++;
    }
    rc = hypercall_set_trap_table(table);
    if (rc)
        panic("set_trap_table failed: %d\n", rc);

    register_callback(CALLBACKTYPE_event, event_callback_entry, 0);
    register_callback(CALLBACKTYPE_failsafe, failsafe_callback_entry, CALLBACKF_mask_events);
    /* Xen masks events on NMI entry whatever the flags say (xen/callback.h). */
    register_callback(CALLBACKTYPE_nmi, nmi_callback_entry, 0);
}

int trap_set_handler(unsigned int vector, trap_handler_fn fn)
{
    if (vector >= TRAP_NR_VECTORS)
        return -EINVAL;
    trap_handlers[vector] = fn;
    return 0;
}

void trap_set_event_upcall(event_upcall_fn fn)
{
    event_upcall = fn;
}

/* Called by arch/x86/trap_entry.S:trap_common for every exception and callback. */
void trap_dispatch(struct trap_frame *frame)
{
    if (frame->vector == TRAP_EVENT_UPCALL) {
        if (event_upcall) {
            event_upcall(frame);
        } else {
            /* Nobody listens yet: acknowledge so Xen stops re-raising the upcall. */
            shared_info->vcpu_info[0].evtchn_upcall_pending = 0;
        }
        return;
    }
    if (frame->vector == TRAP_NMI) {
        nmi_handle(frame);
        return;
    }
    if (probe_fixup(frame))
        return;
    if (frame->vector < TRAP_NR_VECTORS && trap_handlers[frame->vector] &&
        trap_handlers[frame->vector](frame))
        return;

    fault_report(frame);
    arch_crash();
}
