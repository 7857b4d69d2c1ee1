/*
 * Hypercalls on x86_64: one typed wrapper per hypercall any kind of guest makes; those
 * only a PV guest makes are in arch/x86/pv/include/arch/pv_hypercall.h.
 *
 * Xen fills hypercall_page (arch/x86/hypercall_page.S) with one 32-byte stub per
 * hypercall number; calling stub N issues hypercall N. Register convention
 * (xen/arch-x86/xen-x86_64.h): arguments in %rdi, %rsi, %rdx, %r10, %r8; result in
 * %rax. The stubs Xen writes today save %rcx and %r11 around their `syscall`, but the
 * ABI does not promise it, so the wrappers declare both clobbered. A negative result
 * is a Xen errno value (xen/errno.h).
 *
 * Code above arch/ calls the hypercall_*() wrappers below, never the raw macros.
 */
#ifndef ARCH_HYPERCALL_H
#define ARCH_HYPERCALL_H

/* Bytes per stub in hypercall_page; arch/x86/pv/trap_entry.S jumps to one too. */
#define HYPERCALL_STUB_SIZE 32

#ifndef __ASSEMBLY__

#include <stdint.h>
#include <xen/xen.h>
#include <xen/sched.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/vcpu.h>
#include <xen/version.h>

extern char hypercall_page[];

#define _hypercall1(nr, a1)                                                                        \
    ({                                                                                             \
        long res_, i1_;                                                                            \
        asm volatile("call hypercall_page + %c[off]"                                               \
                     : "=a"(res_), "=D"(i1_)                                                       \
                     : [off] "i"((nr)*HYPERCALL_STUB_SIZE), "1"((long)(a1))                        \
                     : "rcx", "r11", "memory");                                                    \
        res_;                                                                                      \
    })

#define _hypercall2(nr, a1, a2)                                                                    \
    ({                                                                                             \
        long res_, i1_, i2_;                                                                       \
        asm volatile("call hypercall_page + %c[off]"                                               \
                     : "=a"(res_), "=D"(i1_), "=S"(i2_)                                            \
                     : [off] "i"((nr)*HYPERCALL_STUB_SIZE), "1"((long)(a1)), "2"((long)(a2))       \
                     : "rcx", "r11", "memory");                                                    \
        res_;                                                                                      \
    })

#define _hypercall3(nr, a1, a2, a3)                                                                \
    ({                                                                                             \
        long res_, i1_, i2_, i3_;                                                                  \
        asm volatile("call hypercall_page + %c[off]"                                               \
                     : "=a"(res_), "=D"(i1_), "=S"(i2_), "=d"(i3_)                                 \
                     : [off] "i"((nr)*HYPERCALL_STUB_SIZE), "1"((long)(a1)), "2"((long)(a2)),      \
                       "3"((long)(a3))                                                             \
                     : "rcx", "r11", "memory");                                                    \
        res_;                                                                                      \
    })

#define _hypercall4(nr, a1, a2, a3, a4)                                                            \
    ({                                                                                             \
        long res_, i1_, i2_, i3_;                                                                  \
        register long a4_ asm("r10") = (long)(a4);                                                 \
        asm volatile("call hypercall_page + %c[off]"                                               \
                     : "=a"(res_), "=D"(i1_), "=S"(i2_), "=d"(i3_), "+r"(a4_)                      \
                     : [off] "i"((nr)*HYPERCALL_STUB_SIZE), "1"((long)(a1)), "2"((long)(a2)),      \
                       "3"((long)(a3))                                                             \
                     : "rcx", "r11", "memory");                                                    \
        res_;                                                                                      \
    })

static inline int hypercall_console_io(int cmd, unsigned int count, const char *buf)
{
    return _hypercall3(__HYPERVISOR_console_io, cmd, count, buf);
}

static inline int hypercall_sched_op(int cmd, void *arg)
{
    return _hypercall2(__HYPERVISOR_sched_op, cmd, arg);
}

static inline int hypercall_event_channel_op(int cmd, void *arg)
{
    return _hypercall2(__HYPERVISOR_event_channel_op, cmd, arg);
}

static inline long hypercall_xen_version(int cmd, void *arg)
{
    return _hypercall2(__HYPERVISOR_xen_version, cmd, arg);
}

/* An absolute system time in ns (0 cancels); on x86_64 one 64-bit argument. */
static inline int hypercall_set_timer_op(uint64_t timeout)
{
    return _hypercall1(__HYPERVISOR_set_timer_op, timeout);
}

static inline int hypercall_vcpu_op(int cmd, unsigned int vcpu, void *arg)
{
    return _hypercall3(__HYPERVISOR_vcpu_op, cmd, vcpu, arg);
}

/* count operations of one GNTTABOP_* kind, in an array at ops (xen/grant_table.h). */
static inline int hypercall_grant_table_op(unsigned int cmd, void *ops, unsigned int count)
{
    return _hypercall3(__HYPERVISOR_grant_table_op, cmd, ops, count);
}

#endif /* __ASSEMBLY__ */

#endif
