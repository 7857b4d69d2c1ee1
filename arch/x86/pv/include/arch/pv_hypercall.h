/*
 * The hypercalls only a PV guest makes: asking Xen to write its page tables
 * (mmu_update, mmuext_op, update_va_mapping), and installing its virtual trap table
 * and callbacks (set_trap_table, callback_op). arch/x86/pv/trap_entry.S also returns
 * from every trap through the iret hypercall's stub. The mechanism, and the
 * hypercalls every x86 guest makes, are in arch/x86/include/arch/hypercall.h.
 */
#ifndef ARCH_PV_HYPERCALL_H
#define ARCH_PV_HYPERCALL_H

#include <stdint.h>
#include <xen/xen.h>
#include <xen/callback.h>

#include "arch/hypercall.h"

static inline int hypercall_mmu_update(const struct mmu_update *reqs, unsigned int count,
                                       unsigned int *done, domid_t domid)
{
    return _hypercall4(__HYPERVISOR_mmu_update, reqs, count, done, domid);
}

static inline int hypercall_mmuext_op(const struct mmuext_op *ops, unsigned int count,
                                      unsigned int *done, domid_t domid)
{
    return _hypercall4(__HYPERVISOR_mmuext_op, ops, count, done, domid);
}

static inline int hypercall_set_trap_table(const struct trap_info *table)
{
    return _hypercall1(__HYPERVISOR_set_trap_table, table);
}

static inline int hypercall_callback_op(int cmd, const void *arg)
{
    return _hypercall2(__HYPERVISOR_callback_op, cmd, arg);
}

static inline int hypercall_update_va_mapping(unsigned long va, uint64_t pte, unsigned long flags)
{
    return _hypercall3(__HYPERVISOR_update_va_mapping, va, pte, flags);
}

#endif
