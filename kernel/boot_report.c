/*
 * The start-of-day report: a TSC stamp per step on the way (kernel/boot_report.h),
 * and the lines printed once app_main is about to run.
 */
#include <stdint.h>

#include "lib/printk.h"
#include "arch/boot_info.h"
#include "arch/cpu.h"
#include "arch/setup.h"
#include "xen/events.h"
#include "xen/time.h"
#include "kernel/boot_report.h"
#include "kernel/cmdline.h"

static bool quiet, verbose, timeline;
KERNEL_PARAM_FLAG(quiet, "quiet", "print nothing at boot");
KERNEL_PARAM_FLAG(verbose, "verbose", "print everything at boot, the timeline included");
KERNEL_PARAM_FLAG(timeline, "boot_timeline", "print what each start-of-day step cost");

/* More than the steps start_kernel and the KERNEL_INITs have; later ones are not kept. */
#define MAX_STEPS 24

static struct boot_step {
    const char *name;
    uint64_t tsc;
} steps[MAX_STEPS];
static unsigned int nr_steps;

bool boot_verbose(void)
{
    return verbose;
}

void boot_step_done(const char *step)
{
    if (nr_steps < MAX_STEPS)
        steps[nr_steps++] = (struct boot_step){step, rdtsc()};
}

static uint64_t us_since_start(uint64_t tsc)
{
    return xen_tsc_to_ns(tsc - boot_tsc) / 1000;
}

/* One line per step: its name, what it cost and when it ended, in us since _start. */
static void timeline_print(void)
{
    uint64_t before = boot_tsc;
    unsigned int i;

    printk("Boot timeline: step, its cost, its end since _start (us)\n");
    for (i = 0; i < nr_steps; i++) {
        printk("  %-22s %7lu %7lu\n", steps[i].name, xen_tsc_to_ns(steps[i].tsc - before) / 1000,
               us_since_start(steps[i].tsc));
        before = steps[i].tsc;
    }
}

void boot_report(void)
{
    uint64_t up_us = us_since_start(rdtsc());

    if (verbose || timeline)
        timeline_print();
    if (quiet)
        return;
    printk("Mini-OS for Xen, %s %s, %lu MiB, %s events; _start to app_main in %lu us\n",
           ARCH_GUEST_NAME, boot_is_initial_domain() ? "dom0" : "domU", boot_nr_pages() >> 8,
           evtchn_abi_name(), up_us);
}
