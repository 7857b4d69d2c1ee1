/*
 * Event channels: Xen's virtual interrupts (xen/event_channel.h).
 *
 * A port is one end of a channel. Xen marks it pending, and if it is not masked,
 * raises an upcall on the vCPU: the kernel enters through the event callback
 * (arch/x86/pv/trap_entry.S) and runs the handler bound to each pending port, with
 * events masked. Handlers must not block; they do the minimum and wake a thread.
 *
 * Two ABIs say how pending ports are recorded: the 2-level bitmaps in shared_info
 * (4,096 ports on x86_64) and the FIFO queues in guest pages (up to 131,072 ports,
 * with priorities). The kernel uses FIFO when Xen offers it.
 */
#ifndef XEN_EVENTS_H
#define XEN_EVENTS_H

#include <stdbool.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/event_channel.h>

#include "arch/setup.h"

typedef void (*evtchn_handler_fn)(evtchn_port_t port, void *arg);

enum evtchn_abi_choice {
    EVTCHN_ABI_AUTO, /* FIFO if Xen offers it, else 2-level */
    EVTCHN_ABI_2L,
    EVTCHN_ABI_FIFO,
};

/*
 * Pick and set up the ABI, mask every port, and start taking upcalls. Must run
 * before any port is bound (switching to FIFO drops pending 2-level events).
 * Falls back to 2-level only when Xen lacks FIFO (-ENOSYS); returns that error when
 * FIFO was asked for, and any other failure to set FIFO up.
 */
int events_init(enum evtchn_abi_choice choice);
const char *evtchn_abi_name(void);
/* One more than the highest port number the ABI can deliver. */
unsigned int evtchn_port_limit(void);

/*
 * Each bind gives the new local port to *port, registers fn(port, arg) for it and
 * unmasks it. They fail with Xen's error, or -ENOMEM. An event pending on the port is
 * delivered at once: Xen raises every port it binds interdomain, in case the peer
 * sent before the bind, so a handler must expect one event with nothing new.
 */
int evtchn_bind_virq(uint32_t virq, evtchn_handler_fn fn, void *arg, evtchn_port_t *port);
/* A port that domain `remote` (DOMID_SELF: this one) may bind to. */
int evtchn_alloc_unbound(domid_t remote, evtchn_handler_fn fn, void *arg, evtchn_port_t *port);
int evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port, evtchn_handler_fn fn,
                            void *arg, evtchn_port_t *port);
/*
 * Take over a port that was bound before the kernel ran (a domU's console and
 * xenstore ports, handed over at start of day): register fn(port, arg) and unmask it.
 */
int evtchn_attach(evtchn_port_t port, evtchn_handler_fn fn, void *arg);
/* Replace the handler of a bound port (fn NULL: events on it are counted, then dropped). */
int evtchn_set_handler(evtchn_port_t port, evtchn_handler_fn fn, void *arg);

/*
 * FIFO only: the queue a port's events join, EVTCHN_FIFO_PRIORITY_MAX (0, served
 * first) to EVTCHN_FIFO_PRIORITY_MIN (15); new ports get EVTCHN_FIFO_PRIORITY_DEFAULT.
 * -ENOSYS under 2-level.
 */
int evtchn_set_priority(evtchn_port_t port, unsigned int priority);

int evtchn_send(evtchn_port_t port);
void evtchn_mask(evtchn_port_t port);
/* An event that arrived while the port was masked is delivered now. */
void evtchn_unmask(evtchn_port_t port);
/* Mask, forget the handler and close; a pending event is discarded. */
int evtchn_close(evtchn_port_t port);

/*
 * Upcalls taken, events that found no handler, and upcalls that ran out of budget
 * and left work for later, since boot.
 */
struct evtchn_stats {
    uint64_t upcalls;
    uint64_t unhandled;
    uint64_t deferred;
};
void evtchn_get_stats(struct evtchn_stats *stats);

/*
 * An upcall handles a bounded number of events, so that a port that fires without
 * pause cannot keep threads from running; the rest waits, with
 * events_work_deferred set (written only by xen/events.c). It runs again at the
 * next chance the kernel gets: when events are re-enabled, at a send, and between
 * threads (the scheduler calls events_raise_deferred with events masked, before it
 * switches and before it blocks the vCPU). events_raise_deferred marks an upcall
 * pending, which runs when events are next enabled (or at once in SCHEDOP_block).
 */
extern bool events_work_deferred;
void events_raise_deferred(void);

/* True while event handlers run: code that would block checks it and panics. */
bool events_in_handler(void);

/*
 * Masking all event delivery to this vCPU (its vcpu_info.evtchn_upcall_mask), the
 * guest's equivalent of clearing the interrupt flag. events_disable returns the
 * previous state for events_restore; restoring to enabled runs any upcall that
 * became pending meanwhile, and the work an upcall left for later.
 */
static inline unsigned int events_disable(void)
{
    volatile struct vcpu_info *v = &shared_info->vcpu_info[0];
    unsigned int prev = v->evtchn_upcall_mask;

    v->evtchn_upcall_mask = 1;
    asm volatile("" ::: "memory");
    return prev;
}

void events_force_upcall(void);

/*
 * Block the vCPU until an event is pending (SCHEDOP_block, xen/sched.h). Xen unmasks
 * events as part of the call, so an event that arrives between the caller's last
 * check and the block still wakes it; its handler has run when this returns, with
 * events enabled.
 */
void events_block_vcpu(void);

static inline void events_restore(unsigned int prev)
{
    volatile struct vcpu_info *v = &shared_info->vcpu_info[0];

    asm volatile("" ::: "memory");
    v->evtchn_upcall_mask = prev;
    asm volatile("" ::: "memory");
    if (prev)
        return;
    if (events_work_deferred)
        events_raise_deferred();
    if (v->evtchn_upcall_pending)
        events_force_upcall();
}

static inline void events_enable(void)
{
    events_restore(0);
}

static inline bool events_are_disabled(void)
{
    return shared_info->vcpu_info[0].evtchn_upcall_mask != 0;
}

#endif
