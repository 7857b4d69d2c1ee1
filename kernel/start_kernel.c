/*
 * start_kernel: bring the kernel up in dependency order, run the application, and
 * end the domain with the application's verdict.
 */
#include "lib/errno.h"
#include "lib/escape.h"
#include "lib/panic.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "arch/boot_info.h"
#include "arch/cpu.h"
#include "arch/setup.h"
#include "mm/init.h"
#include "xen/xencons.h"
#include "xen/events.h"
#include "xen/gnttab.h"
#include "xen/time.h"
#include "kernel/app.h"
#include "kernel/initcall.h"
#include "kernel/cmdline.h"
#include "kernel/sched.h"
#include "kernel/shutdown.h"
#include "kernel/start_kernel.h"
#include "kernel/thread.h"
#include "kernel/timer.h"

static char evtchn_option[8] = "auto";
KERNEL_PARAM_STRING(evtchn_option, "evtchn", "event-channel ABI: auto, fifo or 2l");

/* The application's stack, 64 KiB: applications do more than a worker thread. */
#define MAIN_THREAD_STACK_PAGES 16

static enum evtchn_abi_choice evtchn_choice(void)
{
    if (strcmp(evtchn_option, "fifo") == 0)
        return EVTCHN_ABI_FIFO;
    if (strcmp(evtchn_option, "2l") == 0)
        return EVTCHN_ABI_2L;
    if (strcmp(evtchn_option, "auto") != 0) {
        char shown[ESCAPE_TEXT_SIZE(sizeof(evtchn_option))];

        printk("cmdline: evtchn=%s is not auto, fifo or 2l; using auto\n",
               escape_text(shown, sizeof(shown), evtchn_option, strlen(evtchn_option)));
    }
    return EVTCHN_ABI_AUTO;
}

static void events_time_threads_init(void)
{
    uint64_t wall_s;
    int rc;

    rc = events_init(evtchn_choice());
    if (rc)
        panic("event channels: the %s ABI cannot be used: %s\n", evtchn_option, errno_name(rc));
    printk("Events: %s ABI, ports 1-%u\n", evtchn_abi_name(), evtchn_port_limit() - 1);
    rc = gnttab_init();
    if (rc)
        panic("grant table: set-up failed: %s\n", errno_name(rc));
    printk("Grant table: %u references, %u free\n", gnttab_capacity(), gnttab_free_count());
    rc = timers_init();
    if (rc)
        panic("timers: binding VIRQ_TIMER failed: %s\n", errno_name(rc));
    threads_init();
    wall_s = xen_wallclock_ns() / NSEC_PER_SEC;
    printk("Time: system time %lu ms, wall clock %lu s since the epoch\n",
           xen_system_time_ns() / NSEC_PER_MSEC, wall_s);
}

/*
 * The drivers start, then the application, in a thread of their own so that they
 * can block; the application's verdict ends the domain.
 */
static void main_thread(void *arg)
{
    uint64_t boot_ns;
    int rc;

    (void)arg;
    kernel_inits_run();
    boot_ns = xen_tsc_to_ns(rdtsc() - boot_tsc);
    printk("Boot: _start to app_main in %lu us\n", boot_ns / 1000);
    rc = app_main();
    if (rc != 0) {
        printk("app_main returned %d\n", rc);
        kernel_crash();
    }
    kernel_poweroff();
}

void start_kernel(void)
{
    const char *cmdline;
    size_t cmdline_size;
    uint64_t mm_ns;

    xencons_init();
    printk("Mini-OS for Xen, %s\n", ARCH_GUEST_NAME);
    arch_init();
    boot_info_print();
    cmdline = boot_cmdline(&cmdline_size);
    params_apply_all(cmdline, cmdline_size);

    mm_ns = xen_system_time_ns();
    mm_init();
    mm_ns = xen_system_time_ns() - mm_ns;
    mm_report();
    printk("Memory: set up in %lu us\n", mm_ns / 1000);

    events_time_threads_init();

    if (!thread_create_with_stack("main", main_thread, NULL, MAIN_THREAD_STACK_PAGES))
        panic("cannot create the main thread\n");
    threads_run_idle();
}
