/*
 * The console: through the console_io hypercall as dom0, through the shared console
 * ring as a domU.
 */
#ifndef XEN_CONSOLE_H
#define XEN_CONSOLE_H

#include <stddef.h>
#include <xen/xen.h>
#include <xen/event_channel.h>

/* Picks the path from start_info and registers it as a printk sink. */
void console_init(const struct start_info *si);

/* Copy up to size bytes of input that has already arrived; 0 when there is none. */
size_t console_read_available(char *buf, size_t size);
/*
 * The event channel that signals input: the ring's, or 0 for the initial domain,
 * which is told by VIRQ_CONSOLE instead.
 */
evtchn_port_t console_input_port(void);

#endif
