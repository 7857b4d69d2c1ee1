/*
 * The two ways Xen records pending events (xen/event_channel.h), behind one
 * interface that xen/events.c drives: xen/evtchn_2l.c and xen/evtchn_fifo.c.
 */
#ifndef XEN_EVTCHN_ABI_H
#define XEN_EVTCHN_ABI_H

#include <stdbool.h>
#include <xen/xen.h>
#include <xen/event_channel.h>

typedef void (*evtchn_dispatch_fn)(evtchn_port_t port);

struct evtchn_abi {
    const char *name;
    /* Switch Xen to this ABI if needed and mask every port; 0 or a Xen error. */
    int (*init)(void);
    /* One more than the highest port number the ABI can deliver. */
    unsigned int (*port_limit)(void);
    /* Make the ABI's storage cover port (FIFO grows its event array), masked. */
    int (*setup_port)(evtchn_port_t port);
    void (*mask)(evtchn_port_t port);
    /* Unmask; an event pending meanwhile must reach the vCPU as a new upcall. */
    void (*unmask)(evtchn_port_t port);
    void (*clear_pending)(evtchn_port_t port);
    /*
     * From the upcall: clear and hand pending, unmasked ports to dispatch, taking one
     * from *budget for each port looked at and stopping when it reaches 0. Returns
     * true when it stopped with ports still to look at: the ABI remembers where, and
     * the next call goes on from there, fairly (2-level: after the last port served;
     * FIFO: the queues it did not finish stay ready).
     */
    bool (*handle_events)(evtchn_dispatch_fn dispatch, unsigned int *budget);
};

extern const struct evtchn_abi evtchn_abi_2l;
extern const struct evtchn_abi evtchn_abi_fifo;

#ifdef KERNEL_TESTS
/*
 * A test hook, in the tests image only: set bits in the FIFO control block's `ready`
 * word as Xen would, and raise an upcall. -ENOSYS when the FIFO ABI is not in use.
 */
int evtchn_fifo_test_set_ready(uint32_t bits);
#endif

#endif
