/*
 * Ending the domain: SCHEDOP_shutdown with a reason Xen and the toolstack report
 * (SHUTDOWN_poweroff, SHUTDOWN_reboot, SHUTDOWN_crash in xen/sched.h).
 */
#ifndef ARCH_SHUTDOWN_H
#define ARCH_SHUTDOWN_H

void arch_shutdown(unsigned int reason) __attribute__((noreturn));
void arch_crash(void) __attribute__((noreturn));
/* Registered with lib/panic.c: backtrace, then shut down as crashed. */
void arch_panic_handler(void) __attribute__((noreturn));

#endif
