/*
 * Virtual NMIs. A PV guest has no NMI pin to acknowledge: Xen marks the NMI pending on
 * the vCPU, enters the callback registered as CALLBACKTYPE_nmi with events masked
 * (xen/callback.h), and delivers no further NMI until the guest returns with the iret
 * hypercall (xen/arch-x86/xen-x86_64.h), which restores the interrupted event mask.
 * arch/x86/pv/trap_entry.S:trap_common always returns that way, so handling one is just
 * saying so: an NMI that comes while this one is handled waits for that iret.
 */
#include "lib/printk.h"
#include "arch/nmi.h"

static unsigned long received;

void nmi_handle(struct trap_frame *frame)
{
    (void)frame;
    received++;
    printk("NMI received (%lu)\n", received);
}

unsigned long nmi_count(void)
{
    return __atomic_load_n(&received, __ATOMIC_RELAXED);
}
