/*
 * Shutdown requests from the toolstack (drivers/xenbus/control.c). The test only
 * waits, blocked, so that the control thread can run: the rig's xl shutdown or xl
 * reboot must end the domain before the minute is up.
 */
#include "lib/printk.h"
#include "xen/time.h"
#include "kernel/sched.h"
#include "kernel/test.h"

KERNEL_TEST_FLAGS(control_waits_for_the_toolstack, TEST_ON_REQUEST | TEST_DOMU_ONLY)
{
    printk("control: idle, waiting for the toolstack\n");
    thread_sleep_ns(60 * NSEC_PER_SEC);
    TEST_ASSERT(!"the toolstack's request did not end the domain within 60 s");
}
