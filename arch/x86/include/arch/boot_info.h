/*
 * What Xen handed the domain at start of day, in the terms the kernel above arch/
 * needs, whatever kind of guest it is: a PV guest reads it from start_info
 * (arch/x86/pv/boot_info.c); a PVH one would from hvm_start_info and HVM parameters.
 */
#ifndef ARCH_BOOT_INFO_H
#define ARCH_BOOT_INFO_H

#include <stdbool.h>
#include <stddef.h>
#include <xen/xen.h>
#include <xen/event_channel.h>

/* A page shared with a backend in another domain, and the event channel bound to it. */
struct boot_ring {
    void *page;
    evtchn_port_t port;
};

/* Whether this is the initial domain (dom0), which has no console ring or xenstore. */
bool boot_is_initial_domain(void);

/* The domain's memory, in pages. */
unsigned long boot_nr_pages(void);

/* The command line: at most *size bytes at the result, not necessarily NUL-terminated. */
const char *boot_cmdline(size_t *size);

/* The console ring xenconsoled serves; false as the initial domain, which has none. */
bool boot_console_ring(struct boot_ring *ring);

/* The ring to xenstored; false when there is none yet, as for the initial domain. */
bool boot_xenstore_ring(struct boot_ring *ring);

/* Print what Xen handed over, field by field. */
void boot_info_print(void);

#endif
