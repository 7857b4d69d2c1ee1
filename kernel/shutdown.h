/*
 * Ending the domain, as the toolstack and Xen will report it.
 */
#ifndef KERNEL_SHUTDOWN_H
#define KERNEL_SHUTDOWN_H

void kernel_poweroff(void) __attribute__((noreturn));
void kernel_reboot(void) __attribute__((noreturn));
void kernel_crash(void) __attribute__((noreturn));

#endif
