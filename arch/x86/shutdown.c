/*
 * Shutting the domain down through SCHEDOP_shutdown (xen/sched.h).
 */
#include <xen/sched.h>

#include "lib/printk.h"
#include "arch/backtrace.h"
#include "arch/cpu.h"
#include "arch/fault_report.h"
#include "arch/hypercall.h"
#include "arch/shutdown.h"

void arch_shutdown(unsigned int reason)
{
    struct sched_shutdown arg = {.reason = reason};
    int rc = hypercall_sched_op(SCHEDOP_shutdown, &arg);

    /*
     * The hypercall does not return on success. If Xen refused, there is nothing
     * left to ask: say so once and give the CPU back forever.
     */
    printk("SCHEDOP_shutdown(reason %u) failed: %d; blocking forever\n", reason, rc);
    for (;;)
        hypercall_sched_op(SCHEDOP_block, NULL);
}

void arch_crash(void)
{
    arch_shutdown(SHUTDOWN_crash);
}

void arch_panic_handler(void)
{
    fault_report_context(false, 0);
    backtrace_print(read_rbp());
    printk("Shutting the domain down as crashed (SHUTDOWN_crash)\n");
    arch_crash();
}
