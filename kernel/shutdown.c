/*
 * Poweroff, reboot and crash: each a distinct SCHEDOP_shutdown reason (xen/sched.h)
 * that Xen prints and the toolstack acts on (on_poweroff, on_reboot, on_crash).
 */
#include <xen/sched.h>

#include "lib/printk.h"
#include "arch/shutdown.h"
#include "kernel/shutdown.h"

void kernel_poweroff(void)
{
    printk("Shutting down: poweroff\n");
    arch_shutdown(SHUTDOWN_poweroff);
}

void kernel_reboot(void)
{
    printk("Shutting down: reboot\n");
    arch_shutdown(SHUTDOWN_reboot);
}

void kernel_crash(void)
{
    printk("Shutting down: crash\n");
    arch_shutdown(SHUTDOWN_crash);
}
