/*
 * Console output: through the console_io hypercall as dom0, through the shared
 * console ring as a domU.
 */
#ifndef XEN_CONSOLE_H
#define XEN_CONSOLE_H

#include <xen/xen.h>

/* Picks the path from start_info and registers it as a printk sink. */
void console_init(const struct start_info *si);

#endif
