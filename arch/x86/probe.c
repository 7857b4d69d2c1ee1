/*
 * Probes: one instruction that may fault, and a fixup that resumes after it.
 *
 * The probe instruction sits at a known label; when a page fault or general
 * protection fault hits exactly there, trap_dispatch calls probe_fixup, which moves
 * rip past the instruction and sets the probe's result register to -EFAULT. The
 * functions are never inlined or cloned, so each label exists once.
 */
#include "lib/errno.h"
#include "arch/probe.h"

extern char probe_read_insn[], probe_read_done[], probe_write_insn[], probe_write_done[];

__attribute__((noipa)) int probe_read(const void *va, unsigned long *value)
{
    long rc = 0;
    unsigned long v = 0;

    asm volatile("probe_read_insn: movq (%[va]), %[v]\n"
                 "probe_read_done:"
                 : [v] "+r"(v), "+a"(rc)
                 : [va] "r"(va)
                 : "memory");
    if (rc == 0)
        *value = v;
    return rc;
}

__attribute__((noipa)) int probe_write(void *va, unsigned long value)
{
    long rc = 0;

    asm volatile("probe_write_insn: movq %[v], (%[va])\n"
                 "probe_write_done:"
                 : "+a"(rc)
                 : [va] "r"(va), [v] "r"(value)
                 : "memory");
    return rc;
}

bool probe_fixup(struct trap_frame *frame)
{
    if (frame->vector != TRAP_PAGE_FAULT && frame->vector != TRAP_GENERAL_PROTECT)
        return false;
    if (frame->rip == (uintptr_t)probe_read_insn)
        frame->rip = (uintptr_t)probe_read_done;
    else if (frame->rip == (uintptr_t)probe_write_insn)
        frame->rip = (uintptr_t)probe_write_done;
    else
        return false;
    frame->rax = (uint64_t)-EFAULT;
    return true;
}
