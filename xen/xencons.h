/*
 * The console: through the console_io hypercall as dom0, through the shared console
 * ring as a domU.
 */
#ifndef XEN_XENCONS_H
#define XEN_XENCONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/event_channel.h>

/* Picks the path by the kind of domain and registers it as a printk sink. */
void xencons_init(void);

/* Copy up to size bytes of input that has already arrived; 0 when there is none. */
size_t xencons_read_available(char *buf, size_t size);
/*
 * The event channel that signals input: the ring's, or 0 for the initial domain,
 * which is told by VIRQ_CONSOLE instead.
 */
evtchn_port_t xencons_input_port(void);

/*
 * The ring's event came: the backend may have drained output, so move what waits
 * into the ring. Safe from event handlers; nothing to do as the initial domain.
 */
void xencons_output_kick(void);

/* How output through the ring fares (all zero as the initial domain). */
struct xencons_output_stats {
    bool stalled;                /* the backend took nothing for a while */
    uint64_t dropped_total;      /* bytes of messages dropped since boot */
    uint64_t dropped_unreported; /* of those, not yet told in "console: N bytes dropped" */
};
void xencons_output_stats(struct xencons_output_stats *stats);

struct console_ring;
/*
 * Write one message to a console ring as printk does: whole, safe from any context
 * (with events disabled). The console's own ring is written this way; tests pass
 * their own.
 */
void xencons_ring_print(struct console_ring *r, const char *text, size_t len);

#endif
