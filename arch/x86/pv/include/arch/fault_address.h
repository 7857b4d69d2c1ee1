/*
 * The address the last page fault was for. A PV kernel runs in ring 3 and cannot read
 * %cr2, so Xen stores the address in the vCPU's cr2 slot of shared_info (struct
 * arch_vcpu_info, xen/arch-x86/xen-x86_64.h) before it delivers the fault.
 */
#ifndef ARCH_FAULT_ADDRESS_H
#define ARCH_FAULT_ADDRESS_H

#include "arch/setup.h"

static inline unsigned long fault_address(void)
{
    return shared_info->vcpu_info[0].arch.cr2;
}

#endif
