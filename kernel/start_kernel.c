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
#include "arch/setup.h"
#include "mm/init.h"
#include "xen/xencons.h"
#include "xen/events.h"
#include "xen/gnttab.h"
#include "xen/time.h"
#include "kernel/app.h"
#include "kernel/boot_report.h"
#include "kernel/initcall.h"
#include "kernel/cmdline.h"
#include "kernel/sched.h"
#include "kernel/shutdown.h"
#include "kernel/start_kernel.h"
#include "kernel/thread.h"
#include "kernel/timer.h"

static char evtchn_option[8] = "auto";
KERNEL_PARAM_STRING(evtchn_option, "evtchn", "event-channel ABI: auto, fifo or 2l");

/* System time when timers_init had set up the clock: where uptime counts from. */
static uint64_t clock_started_ns;

uint64_t kernel_uptime_ns(void)
{
    return xen_system_time_ns() - clock_started_ns;
}

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
    int rc;

    rc = events_init(evtchn_choice());
    if (rc)
        panic("event channels: the %s ABI cannot be used: %s\n", evtchn_option, errno_name(rc));
    boot_step_done("events_init");
    rc = timers_init();
    if (rc)
        panic("timers: binding VIRQ_TIMER failed: %s\n", errno_name(rc));
    clock_started_ns = xen_system_time_ns();
    boot_step_done("timers_init");
    threads_init("main");
    boot_step_done("threads_init");
}

/* What `verbose` adds about the steps above, printed after them: printing takes time. */
static void subsystems_print(void)
{
    printk("Events: %s ABI, ports 1-%u\n", evtchn_abi_name(), evtchn_port_limit() - 1);
    if (gnttab_capacity())
        printk("Grant table: %u references, %u free\n", gnttab_capacity(), gnttab_free_count());
    else
        printk("Grant table: set up by the first grant\n");
    printk("Time: system time %lu ms, wall clock %lu s since the epoch\n",
           xen_system_time_ns() / NSEC_PER_MSEC, xen_wallclock_ns() / NSEC_PER_SEC);
}

/*
 * The drivers start, then the application, in the main thread, which the start of
 * day has become (threads_init): they may block, and the idle thread runs meanwhile.
 * The application's verdict ends the domain. Kept out of line: fault reports name it
 * as the frame below app_main.
 */
static void main_thread(void) __attribute__((noreturn, noinline));
static void main_thread(void)
{
    int rc;

    /* The start of day ran with events masked; a thread runs with them enabled. */
    events_enable();
    kernel_inits_run();
    boot_step_done("app_main");
    boot_report();
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

    boot_step_done("arch_early_init");
    xencons_init();
    boot_step_done("xencons_init");
    cmdline = boot_cmdline(&cmdline_size);
    params_apply_all(cmdline, cmdline_size);
    boot_step_done("params_apply_all");
    if (boot_verbose()) {
        printk("Mini-OS for Xen, %s\n", ARCH_GUEST_NAME);
        boot_info_print();
        boot_step_done("(printing start_info)");
    }
    arch_init();
    boot_step_done("arch_init");
    mm_init();
    boot_step_done("mm_init");
    if (boot_verbose()) {
        mm_report();
        boot_step_done("(printing the memory)");
    }
    events_time_threads_init();
    if (boot_verbose()) {
        subsystems_print();
        boot_step_done("(printing the above)");
    }

    main_thread();
}
