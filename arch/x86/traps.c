/*
 * Where every exception and callback lands once the entry code has saved its frame:
 * the handlers higher layers claim, the event upcall, NMIs and probes, and the fault
 * report for what nobody handles. How exceptions reach trap_dispatch depends on the
 * kind of guest (arch/x86/pv/trap_table.c and arch/x86/pv/trap_entry.S for PV).
 */
#include <stddef.h>

#include "lib/errno.h"
#include "lib/panic.h"
#include "arch/fault_report.h"
#include "arch/nmi.h"
#include "arch/probe.h"
#include "arch/setup.h"
#include "arch/shutdown.h"
#include "arch/traps.h"

/* The entry code builds struct trap_frame with pushes; these offsets are all it assumes. */
BUILD_BUG_ON(offsetof(struct trap_frame, rax) + 8 != TRAP_FRAME_VECTOR);
BUILD_BUG_ON(offsetof(struct trap_frame, vector) != TRAP_FRAME_VECTOR);
BUILD_BUG_ON(offsetof(struct trap_frame, error_code) != TRAP_FRAME_VECTOR + 8);
BUILD_BUG_ON(offsetof(struct trap_frame, rip) != TRAP_FRAME_RIP);

static trap_handler_fn trap_handlers[TRAP_NR_VECTORS];
static event_upcall_fn event_upcall;

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

/* Called by arch/x86/pv/trap_entry.S:trap_common for every exception and callback. */
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
