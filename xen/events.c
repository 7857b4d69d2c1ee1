/*
 * Event channels: binding ports to handlers, and the upcall that runs them.
 *
 * The hypercalls (EVTCHNOP_*, xen/event_channel.h) are the same under both ABIs;
 * how pending ports are found, masked and unmasked is the ABI's (xen/evtchn_abi.h).
 * Handlers live in a table indexed by port, in blocks allocated as ports appear, so
 * the 131,072 ports FIFO allows cost nothing until they are used.
 */
#include "arch/hypercall.h"
#include "arch/page.h"
#include "arch/traps.h"
#include "lib/errno.h"
#include "lib/panic.h"
#include "lib/printk.h"
#include "mm/heap.h"
#include "xen/events.h"
#include "xen/evtchn_abi.h"

struct evtchn_slot {
    evtchn_handler_fn fn;
    void *arg;
};

/*
 * A port's slot lies in a block of SLOTS_PER_BLOCK, made when a port in it is first
 * bound, found through a directory of SLOT_BLOCKS_PER_DIR block pointers, also made
 * when first needed. Blocks and directories are both 1 KiB, one heap size class: the
 * first directory and block share a slab page, so a domain that binds a few ports
 * pays one page, not a 4 KiB table for all 131,072 ports the FIFO ABI allows.
 */
#define SLOTS_PER_BLOCK     64
#define SLOT_BLOCKS         (EVTCHN_FIFO_NR_CHANNELS / SLOTS_PER_BLOCK)
#define SLOT_BLOCKS_PER_DIR 128
#define SLOT_DIRS           (SLOT_BLOCKS / SLOT_BLOCKS_PER_DIR)

static const struct evtchn_abi *abi;
static unsigned int upcall_depth;
static struct evtchn_slot **slot_dirs[SLOT_DIRS];
static struct evtchn_stats stats;

static struct evtchn_slot *slot_of(evtchn_port_t port)
{
    unsigned long block_index = port / SLOTS_PER_BLOCK;
    struct evtchn_slot **dir, *block;

    if (port >= EVTCHN_FIFO_NR_CHANNELS)
        return NULL;
    dir = slot_dirs[block_index / SLOT_BLOCKS_PER_DIR];
    block = dir ? dir[block_index % SLOT_BLOCKS_PER_DIR] : NULL;
    return block ? &block[port % SLOTS_PER_BLOCK] : NULL;
}

/* Find or make the port's slot: NULL only when memory runs out. */
static struct evtchn_slot *slot_make(evtchn_port_t port)
{
    unsigned long block_index = port / SLOTS_PER_BLOCK;
    struct evtchn_slot ***dir = &slot_dirs[block_index / SLOT_BLOCKS_PER_DIR];
    struct evtchn_slot **block;

    if (!*dir)
        *dir = xzalloc(SLOT_BLOCKS_PER_DIR * sizeof(**dir), 0);
    if (!*dir)
        return NULL;
    block = &(*dir)[block_index % SLOT_BLOCKS_PER_DIR];
    if (!*block)
        *block = xzalloc(SLOTS_PER_BLOCK * sizeof(**block), 0);
    return *block ? &(*block)[port % SLOTS_PER_BLOCK] : NULL;
}

static void dispatch(evtchn_port_t port)
{
    struct evtchn_slot *slot = slot_of(port);

    if (slot && slot->fn) {
        slot->fn(port, slot->arg);
        return;
    }
    /* Nobody listens: mask it so that it cannot raise upcalls forever. */
    stats.unhandled++;
    abi->mask(port);
}

/*
 * Ports handled per upcall. A peer that raises an event again as soon as its handler
 * has run (or a handler that sends to itself) would otherwise keep the upcall going
 * for ever, and no thread would run again.
 */
#define UPCALL_BUDGET 64

/* The last upcall ran out of budget: work waits for events_raise_deferred. */
bool events_work_deferred;

/*
 * Entered from arch/x86/traps.c:trap_dispatch with events masked; the iret
 * hypercall that ends the upcall restores the mask the interrupted code had. Clearing
 * evtchn_upcall_pending before each scan means an event Xen raises during the scan
 * is either seen by it or leaves the flag set for another pass. Once the budget is
 * spent, the flag is cleared for good: left set, Xen would enter again on the iret
 * before the interrupted code ran one instruction. What is left stays recorded (in
 * the ABI's state and Xen's pending bits) and is raised again by the next switch of
 * threads, events_restore or evtchn_send (xen/events.h).
 */
static void evtchn_upcall(struct trap_frame *frame)
{
    volatile struct vcpu_info *v = &shared_info->vcpu_info[0];
    unsigned int budget = UPCALL_BUDGET;
    bool left;

    (void)frame;
    stats.upcalls++;
    upcall_depth++;
    do {
        v->evtchn_upcall_pending = 0;
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        left = abi->handle_events(dispatch, &budget);
    } while (!left && budget && v->evtchn_upcall_pending);
    if (budget == 0 && (left || v->evtchn_upcall_pending)) {
        v->evtchn_upcall_pending = 0;
        events_work_deferred = true;
        stats.deferred++;
    }
    upcall_depth--;
}

void events_raise_deferred(void)
{
    volatile struct vcpu_info *v = &shared_info->vcpu_info[0];

    if (!events_work_deferred)
        return;
    events_work_deferred = false;
    v->evtchn_upcall_pending = 1;
}

bool events_in_handler(void)
{
    return upcall_depth != 0;
}

/* Any hypercall returns through Xen's check for pending events; this one is cheap. */
void events_force_upcall(void)
{
    hypercall_xen_version(XENVER_version, NULL);
}

void events_block_vcpu(void)
{
    hypercall_sched_op(SCHEDOP_block, NULL);
}

int events_init(enum evtchn_abi_choice choice)
{
    unsigned int prev = events_disable();
    int rc = -ENOSYS;

    if (choice != EVTCHN_ABI_2L) {
        abi = &evtchn_abi_fifo;
        rc = abi->init();
        /* Only a Xen without FIFO sends us back to 2-level: after any other failure
         * Xen may already have switched the domain over. */
        if (rc && (choice == EVTCHN_ABI_FIFO || rc != -ENOSYS)) {
            abi = NULL;
            events_restore(prev);
            return rc;
        }
    }
    if (rc) {
        abi = &evtchn_abi_2l;
        rc = abi->init();
    }
    trap_set_event_upcall(evtchn_upcall);
    events_restore(prev);
    return rc;
}

const char *evtchn_abi_name(void)
{
    return abi ? abi->name : "none";
}

unsigned int evtchn_port_limit(void)
{
    return abi ? abi->port_limit() : 0;
}

static int close_port(evtchn_port_t port)
{
    struct evtchn_close close = {.port = port};

    return hypercall_event_channel_op(EVTCHNOP_close, &close);
}

/*
 * Make the ABI's storage cover port, install the handler, then unmask. An event
 * already pending is delivered then, not dropped: Xen raises a port it has just
 * bound interdomain, in case the peer sent before (xen/event_channel.h).
 */
static int port_take(evtchn_port_t port, evtchn_handler_fn fn, void *arg)
{
    struct evtchn_slot *slot;
    unsigned int prev;
    int rc = abi->setup_port(port);

    if (rc == 0 && !(slot = slot_make(port)))
        rc = -ENOMEM;
    if (rc)
        return rc;
    prev = events_disable();
    abi->mask(port);
    slot->fn = fn;
    slot->arg = arg;
    abi->unmask(port);
    events_restore(prev);
    return 0;
}

/*
 * After a bind hypercall that returned rc and, on success, port. The port reaches the
 * caller's *out only when all of it worked; otherwise it is closed again.
 */
static int bind_finish(int rc, evtchn_port_t port, evtchn_handler_fn fn, void *arg,
                       evtchn_port_t *out)
{
    if (rc)
        return rc;
    rc = port_take(port, fn, arg);
    if (rc) {
        printk("events: cannot take port %u (%s); closing it\n", port, errno_name(rc));
        close_port(port);
        return rc;
    }
    *out = port;
    return 0;
}

int evtchn_attach(evtchn_port_t port, evtchn_handler_fn fn, void *arg)
{
    if (port == 0 || port >= evtchn_port_limit())
        return -EINVAL;
    return port_take(port, fn, arg);
}

int evtchn_bind_virq(uint32_t virq, evtchn_handler_fn fn, void *arg, evtchn_port_t *port)
{
    struct evtchn_bind_virq op = {.virq = virq, .vcpu = 0};
    int rc = hypercall_event_channel_op(EVTCHNOP_bind_virq, &op);

    return bind_finish(rc, op.port, fn, arg, port);
}

int evtchn_alloc_unbound(domid_t remote, evtchn_handler_fn fn, void *arg, evtchn_port_t *port)
{
    struct evtchn_alloc_unbound op = {.dom = DOMID_SELF, .remote_dom = remote};
    int rc = hypercall_event_channel_op(EVTCHNOP_alloc_unbound, &op);

    return bind_finish(rc, op.port, fn, arg, port);
}

int evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port, evtchn_handler_fn fn,
                            void *arg, evtchn_port_t *port)
{
    struct evtchn_bind_interdomain op = {.remote_dom = remote, .remote_port = remote_port};
    int rc = hypercall_event_channel_op(EVTCHNOP_bind_interdomain, &op);

    return bind_finish(rc, op.local_port, fn, arg, port);
}

int evtchn_set_handler(evtchn_port_t port, evtchn_handler_fn fn, void *arg)
{
    struct evtchn_slot *slot = slot_of(port);
    unsigned int prev;

    if (!slot)
        return -EINVAL;
    prev = events_disable();
    slot->fn = fn;
    slot->arg = arg;
    events_restore(prev);
    return 0;
}

int evtchn_set_priority(evtchn_port_t port, unsigned int priority)
{
    struct evtchn_set_priority op = {.port = port, .priority = priority};

    return hypercall_event_channel_op(EVTCHNOP_set_priority, &op);
}

int evtchn_send(evtchn_port_t port)
{
    struct evtchn_send op = {.port = port};

    /* Under FIFO a queue we hold raises no new upcall: run what is left on the way
     * back, so that the event sent here is not held up behind it. */
    events_raise_deferred();
    return hypercall_event_channel_op(EVTCHNOP_send, &op);
}

void evtchn_mask(evtchn_port_t port)
{
    if (slot_of(port))
        abi->mask(port);
}

void evtchn_unmask(evtchn_port_t port)
{
    unsigned int prev;

    if (!slot_of(port))
        return;
    prev = events_disable();
    abi->unmask(port);
    events_restore(prev);
}

int evtchn_close(evtchn_port_t port)
{
    struct evtchn_slot *slot = slot_of(port);
    unsigned int prev;
    int rc;

    if (!slot)
        return -EINVAL;
    prev = events_disable();
    abi->mask(port);
    slot->fn = NULL;
    slot->arg = NULL;
    rc = close_port(port);
    abi->clear_pending(port);
    events_restore(prev);
    return rc;
}

void evtchn_get_stats(struct evtchn_stats *out)
{
    unsigned int prev = events_disable();

    *out = stats;
    events_restore(prev);
}
