/*
 * The trap table and Xen's callbacks: where exceptions and events enter a PV kernel.
 *
 * A PV guest has no IDT of its own: it gives Xen a virtual one with set_trap_table
 * (struct trap_info, xen/arch-x86/xen.h), and registers the entry points for event
 * upcalls, the failsafe return path and NMIs with callback_op (xen/callback.h). The
 * entry points are in arch/x86/pv/trap_entry.S; each calls trap_dispatch
 * (arch/x86/traps.c).
 */
#include <xen/xen.h>
#include <xen/callback.h>

#include "lib/panic.h"
#include "arch/pv_hypercall.h"
#include "arch/trap_table.h"
#include "arch/traps.h"

extern const unsigned long trap_entry_table[TRAP_NR_VECTORS];
extern char event_callback_entry[], failsafe_callback_entry[], nmi_callback_entry[];

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

void trap_table_init(void)
{
    /*
     * One entry per vector, then the terminating entry with address 0. Xen copies the
     * table into the vCPU's own (set_trap_table), so it need not outlive the call.
     */
    struct trap_info table[TRAP_NR_VECTORS + 1] = {0};
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
