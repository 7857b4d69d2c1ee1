/*
 * What the kernel says about its own start of day. By default one summary line just
 * before app_main; `quiet` on the command line says nothing, `verbose` says
 * everything (what Xen handed over, the memory layout, each subsystem's line) and
 * `boot_timeline` adds what each start-of-day step cost.
 *
 * Printing is not free (as dom0 each line is a console_io hypercall to Xen's serial
 * line; as a domU a full console ring makes the kernel wait for xenconsoled), so
 * nothing is printed on the way unless asked. The timeline itself costs one rdtsc
 * per step; it is printed once the steps are done.
 */
#ifndef KERNEL_BOOT_REPORT_H
#define KERNEL_BOOT_REPORT_H

#include <stdbool.h>

/* Whether the command line asked for everything (`verbose`). */
bool boot_verbose(void);

/* Record that the start-of-day step named step (a string that lives on) just ended. */
void boot_step_done(const char *step);

/* The summary line (unless `quiet`) and the timeline (if asked); then app_main runs. */
void boot_report(void);

#endif
