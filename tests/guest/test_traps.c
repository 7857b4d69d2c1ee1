/*
 * Traps: resumable exceptions return through the iret hypercall; fatal ones (run one
 * per boot, by name) produce the fault report and a crash the rig checks.
 */
#include <stdbool.h>
#include <xen/vcpu.h>

#include "lib/string.h"
#include "arch/backtrace.h"
#include "arch/cpu.h"
#include "arch/hypercall.h"
#include "arch/nmi.h"
#include "arch/setup.h"
#include "arch/probe.h"
#include "arch/traps.h"
#include "lib/errno.h"
#include "kernel/shutdown.h"
#include "kernel/test.h"
#include "lib/panic.h"
#include "xen/time.h"

/* Resume after the one instruction the test put between these labels. */
extern char trap_fixup_start[], trap_fixup_end[];
static unsigned int trap_hits;
static unsigned long trap_error_code;

static bool skip_fixup_instruction(struct trap_frame *frame)
{
    if (frame->rip != (uintptr_t)trap_fixup_start)
        return false;
    trap_hits++;
    trap_error_code = frame->error_code;
    frame->rip = (uintptr_t)trap_fixup_end;
    return true;
}

KERNEL_TEST(page_zero_is_unmapped)
{
    unsigned long value = 0x1234;

    trap_hits = 0;
    trap_set_handler(TRAP_PAGE_FAULT, skip_fixup_instruction);
    asm volatile("trap_fixup_start: movq 0, %0\ntrap_fixup_end:" : "+r"(value)::"memory");
    trap_set_handler(TRAP_PAGE_FAULT, NULL);
    TEST_ASSERT_EQ(trap_hits, 1);
    TEST_ASSERT_EQ(value, 0x1234);
    TEST_ASSERT_EQ(shared_info->vcpu_info[0].arch.cr2, 0);
    /* A read of a not-present page from the kernel: no P, W or I/D bit. */
    TEST_ASSERT_EQ(trap_error_code & 0x13, 0);
}

extern char ud2_start[], ud2_end[];
static bool skip_ud2(struct trap_frame *frame)
{
    if (frame->rip != (uintptr_t)ud2_start)
        return false;
    trap_hits++;
    frame->rip = (uintptr_t)ud2_end;
    return true;
}

KERNEL_TEST(invalid_opcode_resumes_with_registers_intact)
{
    register unsigned long r12 asm("r12") = 0x1122334455667788UL;

    trap_hits = 0;
    trap_set_handler(TRAP_INVALID_OPCODE, skip_ud2);
    asm volatile("ud2_start: ud2\nud2_end:" : "+r"(r12)::"memory");
    trap_set_handler(TRAP_INVALID_OPCODE, NULL);
    TEST_ASSERT_EQ(trap_hits, 1);
    TEST_ASSERT_EQ(r12, 0x1122334455667788UL);
}

static bool count_breakpoint(struct trap_frame *frame)
{
    (void)frame; /* int3 is a trap: rip already points past it */
    trap_hits++;
    return true;
}

KERNEL_TEST(breakpoint_is_delivered)
{
    trap_hits = 0;
    trap_set_handler(3, count_breakpoint);
    asm volatile("int3" ::: "memory");
    trap_set_handler(3, NULL);
    TEST_ASSERT_EQ(trap_hits, 1);
}

/* Not inlined or cloned, so that each has a frame and its own name in the backtrace. */
static __attribute__((noipa)) size_t backtrace_inner(uintptr_t *pcs, size_t max)
{
    size_t n = backtrace_collect(read_rbp(), pcs, max);

    barrier();
    return n;
}

static __attribute__((noipa)) size_t backtrace_outer(uintptr_t *pcs, size_t max)
{
    size_t n = backtrace_inner(pcs, max);

    barrier();
    return n;
}

KERNEL_TEST(backtrace_names_the_callers)
{
    uintptr_t pcs[16], off;
    size_t n = backtrace_outer(pcs, 16);
    const char *names[3];

    TEST_ASSERT(n >= 4);
    for (int i = 0; i < 3; i++) {
        names[i] = kernel_symbol_lookup(pcs[i] - 1, &off);
        TEST_ASSERT(names[i] != NULL);
    }
    TEST_ASSERT(strcmp(names[0], "backtrace_outer") == 0);
    TEST_ASSERT(strcmp(names[1], "test_backtrace_names_the_callers") == 0);
    TEST_ASSERT(strcmp(names[2], "test_run_one") == 0);
}

/* Each test below ends the domain; the rig runs them one per boot (tests/dom0/run). */

KERNEL_TEST_FLAGS(crash_page_fault, TEST_ON_REQUEST)
{
    /* A write to an address nothing maps, below the hypervisor hole. */
    *(volatile unsigned long *)0x400000000000UL = 0xdead;
}

KERNEL_TEST_FLAGS(crash_null_dereference, TEST_ON_REQUEST)
{
    volatile unsigned long *volatile p = NULL;

    (void)*p;
}

KERNEL_TEST_FLAGS(crash_divide_error, TEST_ON_REQUEST)
{
    volatile unsigned int zero = 0;
    unsigned int q;

    asm volatile("divl %[d]" : "=a"(q) : "a"(1), "d"(0), [d] "r"(zero));
    (void)q;
}

KERNEL_TEST_FLAGS(crash_general_protection, TEST_ON_REQUEST)
{
    /* A non-canonical address: #GP, not #PF (Intel SDM vol. 3, 3.3.7.1). */
    *(volatile unsigned long *)0x8000000000000000UL = 1;
}

KERNEL_TEST_FLAGS(crash_panic, TEST_ON_REQUEST)
{
    panic("deliberate panic from test %s\n", "crash_panic");
}

KERNEL_TEST_FLAGS(crash_assert, TEST_ON_REQUEST)
{
    volatile int answer = 41;

    ASSERT(answer == 42);
}

KERNEL_TEST_FLAGS(shutdown_poweroff, TEST_ON_REQUEST)
{
    kernel_poweroff();
}

KERNEL_TEST_FLAGS(shutdown_reboot, TEST_ON_REQUEST)
{
    kernel_reboot();
}

KERNEL_TEST_FLAGS(shutdown_crash, TEST_ON_REQUEST)
{
    kernel_crash();
}

KERNEL_TEST(probes_survive_faults)
{
    unsigned long v = 7;

    TEST_ASSERT_EQ(probe_read(NULL, &v), -EFAULT);
    TEST_ASSERT_EQ(probe_read((void *)0x8000000000000000UL, &v), -EFAULT); /* #GP */
    TEST_ASSERT_EQ(probe_write((void *)0x400000000000UL, 1), -EFAULT);
    TEST_ASSERT_EQ(probe_read(&v, &v), 0);
    TEST_ASSERT_EQ(v, 7);
    TEST_ASSERT_EQ(probe_write(&v, 9), 0);
    TEST_ASSERT_EQ(v, 9);
}

/*
 * A virtual NMI sent to our own vCPU (VCPUOP_send_nmi, xen/vcpu.h) arrives on the way
 * back from the hypercall: it is counted and the code it interrupted goes on, with
 * its registers intact. Xen holds a second NMI until the first one's iret, so two in
 * a row are two.
 */
KERNEL_TEST(nmi_is_counted_and_resumes)
{
    register unsigned long r13 asm("r13") = 0x0123456789abcdefUL;
    unsigned long before = nmi_count();
    uint64_t deadline = TEST_DEADLINE_MS(5000);

    TEST_ASSERT_EQ(hypercall_vcpu_op(VCPUOP_send_nmi, 0, NULL), 0);
    while (nmi_count() == before && xen_system_time_ns() < deadline)
        continue;
    asm volatile("" : "+r"(r13));
    TEST_ASSERT_EQ(nmi_count(), before + 1);
    TEST_ASSERT_EQ(r13, 0x0123456789abcdefUL);
    TEST_ASSERT_EQ(hypercall_vcpu_op(VCPUOP_send_nmi, 0, NULL), 0);
    while (nmi_count() == before + 1 && xen_system_time_ns() < deadline)
        continue;
    TEST_ASSERT_EQ(nmi_count(), before + 2);
}
