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
#include "mm/heap.h"
#include "mm/init.h"
#include "mm/page_alloc.h"
#include "kernel/boot_report.h"
#include "kernel/cmdline.h"
#include "kernel/thread.h"

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
/* The vCPU's runstate at the first step: what it did since is printed with the steps. */
static struct xen_vcpu_times vcpu_at_start;
static bool have_vcpu_at_start;

bool boot_verbose(void)
{
    return verbose;
}

void boot_step_done(const char *step)
{
    if (nr_steps == 0)
        have_vcpu_at_start = xen_vcpu_times(&vcpu_at_start) == 0;
    if (nr_steps < MAX_STEPS)
        steps[nr_steps++] = (struct boot_step){step, rdtsc()};
}

static uint64_t us_since_start(uint64_t tsc)
{
    return xen_tsc_to_ns(tsc - boot_tsc) / 1000;
}

/*
 * One line per step: its name, what it cost and when it ended, in us since _start.
 * Then when _start and the last step were on Xen's own clock (system time, the time
 * since Xen booted), which Xen's console_timestamps=boot prints on its lines too: so
 * the time from Xen's hand-over can be read without any delay of the serial line.
 */
static void timeline_print(const struct xen_vcpu_times *vcpu)
{
    uint64_t before = boot_tsc, now_tsc = rdtsc(), now_ns = xen_system_time_ns();
    unsigned int i;

    printk("Boot timeline: step, its cost, its end since _start (us)\n");
    for (i = 0; i < nr_steps; i++) {
        printk("  %-22s %7lu %7lu\n", steps[i].name, xen_tsc_to_ns(steps[i].tsc - before) / 1000,
               us_since_start(steps[i].tsc));
        before = steps[i].tsc;
    }
    printk("  on Xen's clock: _start at %lu us, %s at %lu us\n",
           (now_ns - xen_tsc_to_ns(now_tsc - boot_tsc)) / 1000, steps[nr_steps - 1].name,
           (now_ns - xen_tsc_to_ns(now_tsc - before)) / 1000);
    /* With a physical CPU shared (a domU beside a busy dom0), the time above includes
     * Xen running other vCPUs: the vCPU's runstate tells the two apart. */
    if (vcpu)
        printk("  the vCPU from %s to app_main: running %lu us, waiting for a CPU %lu us, "
               "blocked %lu us\n",
               steps[0].name, (vcpu->running_ns - vcpu_at_start.running_ns) / 1000,
               (vcpu->runnable_ns - vcpu_at_start.runnable_ns) / 1000,
               (vcpu->blocked_ns - vcpu_at_start.blocked_ns) / 1000);
}

/*
 * The pages the kernel holds once it is up, and what for: what mm_init left in use
 * (the image, what Xen set up, the direct map's tables), the heap, the threads' stacks,
 * and the rest (the virtual areas' page tables, mostly). The main thread's stack, the
 * boot stack in the image, on which app_main is about to run, is the application's
 * and is counted apart.
 */
static void memory_in_use_print(void)
{
    unsigned long in_use = boot_nr_pages() - pages_free_count();
    unsigned long app_stack = thread_current()->stack_pages; /* part of the image */
    unsigned long at_init = mm_pages_in_use_at_init() - app_stack;
    unsigned long stacks = threads_stack_pages();
    unsigned long own = in_use - app_stack;
    struct heap_stats heap;

    heap_get_stats(&heap);
    printk("Memory at app_main: the kernel uses %lu pages (%lu KiB) for itself and %lu for "
           "app_main's stack: %lu from mm_init, %lu heap, %lu other threads' stacks, "
           "%lu other\n",
           own, own << 2, app_stack, at_init, heap.pages_in_use, stacks,
           own - at_init - stacks - heap.pages_in_use);
}

void boot_report(void)
{
    uint64_t up_us = us_since_start(rdtsc());
    struct xen_vcpu_times vcpu;
    bool have_vcpu = (verbose || timeline) && have_vcpu_at_start && xen_vcpu_times(&vcpu) == 0;

    if (verbose || timeline)
        timeline_print(have_vcpu ? &vcpu : NULL);
    if (verbose)
        memory_in_use_print();
    if (quiet)
        return;
    /* Short: as dom0 every byte crosses QEMU's emulated serial line, about 30 us each. */
    printk("Mini-OS %s %s, %lu MiB, %s events, up in %lu us\n", ARCH_GUEST_NAME,
           boot_is_initial_domain() ? "dom0" : "domU", boot_nr_pages() >> 8, evtchn_abi_name(),
           up_us);
}
