/*
 * The 2-level event-channel ABI (xen/xen.h, struct shared_info and struct vcpu_info).
 *
 * shared_info holds two bitmaps of EVTCHN_2L_NR_CHANNELS bits, evtchn_pending and
 * evtchn_mask, in 64-bit words. When Xen sets a pending bit whose mask bit is clear,
 * it also sets that word's bit in the vCPU's evtchn_pending_sel and then raises
 * evtchn_upcall_pending. The guest clears these top-down, scanning only the words the
 * selector names. Xen writes the same words from other CPUs, so every change the
 * guest makes is an atomic read-modify-write.
 */
#include "arch/setup.h"
#include "lib/errno.h"
#include "xen/events.h"
#include "xen/evtchn_abi.h"

#define BITS_PER_WORD (sizeof(xen_ulong_t) * 8)

static inline unsigned int word_of(evtchn_port_t port)
{
    return port / BITS_PER_WORD;
}

static inline xen_ulong_t bit_of(evtchn_port_t port)
{
    return (xen_ulong_t)1 << (port % BITS_PER_WORD);
}

static int evtchn_2l_init(void)
{
    unsigned int i;

    for (i = 0; i < EVTCHN_2L_NR_CHANNELS / BITS_PER_WORD; i++)
        __atomic_store_n(&shared_info->evtchn_mask[i], ~(xen_ulong_t)0, __ATOMIC_SEQ_CST);
    return 0;
}

static unsigned int evtchn_2l_port_limit(void)
{
    return EVTCHN_2L_NR_CHANNELS;
}

static int evtchn_2l_setup_port(evtchn_port_t port)
{
    return port < EVTCHN_2L_NR_CHANNELS ? 0 : -ENOSPC;
}

static void evtchn_2l_mask(evtchn_port_t port)
{
    __atomic_fetch_or(&shared_info->evtchn_mask[word_of(port)], bit_of(port), __ATOMIC_SEQ_CST);
}

/*
 * Clearing the mask bit does not make Xen look at the port again, so a pending event
 * is raised here the way Xen would have: selector bit, then evtchn_upcall_pending.
 * It runs when events are next enabled, or now if they are.
 */
static void evtchn_2l_unmask(evtchn_port_t port)
{
    struct vcpu_info *v = &shared_info->vcpu_info[0];
    unsigned int w = word_of(port);

    __atomic_fetch_and(&shared_info->evtchn_mask[w], ~bit_of(port), __ATOMIC_SEQ_CST);
    if (!(__atomic_load_n(&shared_info->evtchn_pending[w], __ATOMIC_SEQ_CST) & bit_of(port)))
        return;
    __atomic_fetch_or(&v->evtchn_pending_sel, (xen_ulong_t)1 << w, __ATOMIC_SEQ_CST);
    __atomic_store_n(&v->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
    if (!events_are_disabled())
        events_force_upcall();
}

static void evtchn_2l_clear_pending(evtchn_port_t port)
{
    __atomic_fetch_and(&shared_info->evtchn_pending[word_of(port)], ~bit_of(port),
                       __ATOMIC_SEQ_CST);
}

/* Pending and unmasked ports of one word. */
static xen_ulong_t ready_bits(unsigned int w)
{
    return __atomic_load_n(&shared_info->evtchn_pending[w], __ATOMIC_SEQ_CST) &
           ~__atomic_load_n(&shared_info->evtchn_mask[w], __ATOMIC_SEQ_CST);
}

/* The first set bit of sel at or after bit `from`, wrapping round; sel is not 0. */
static unsigned int next_word(xen_ulong_t sel, unsigned int from)
{
    xen_ulong_t later = from < BITS_PER_WORD ? sel & (~(xen_ulong_t)0 << from) : 0;

    return __builtin_ctzl(later ? later : sel);
}

/*
 * The first ready port at or after `from`, in the words *sel names, wrapping round
 * (the ports of from's word that come before it are looked at last). Words found
 * empty leave *sel.
 */
static bool find_ready(xen_ulong_t *sel, evtchn_port_t from, evtchn_port_t *port)
{
    unsigned int start = word_of(from);
    xen_ulong_t ready;

    if (*sel & ((xen_ulong_t)1 << start)) {
        ready = ready_bits(start) & (~(xen_ulong_t)0 << (from % BITS_PER_WORD));
        if (ready) {
            *port = start * BITS_PER_WORD + __builtin_ctzl(ready);
            return true;
        }
    }
    while (*sel) {
        unsigned int w = next_word(*sel, start + 1);

        ready = ready_bits(w);
        if (ready) {
            *port = w * BITS_PER_WORD + __builtin_ctzl(ready);
            return true;
        }
        *sel &= ~((xen_ulong_t)1 << w);
    }
    return false;
}

/* Words the selector named that a budget cut short, and the port to go on from. */
static xen_ulong_t sel_left;
static evtchn_port_t next_port;

/*
 * Take the selector in one exchange, then serve ready ports in port order from where
 * the last call stopped, round the whole bitmap, so that low ports that keep firing
 * cannot starve higher ones. Events that arrive meanwhile set the selector again and
 * are found by the next call (xen/events.c calls again while evtchn_upcall_pending
 * is set and budget remains).
 */
static bool evtchn_2l_handle_events(evtchn_dispatch_fn dispatch, unsigned int *budget)
{
    struct vcpu_info *v = &shared_info->vcpu_info[0];
    xen_ulong_t sel = sel_left | __atomic_exchange_n(&v->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
    evtchn_port_t port;

    while (*budget && find_ready(&sel, next_port, &port)) {
        (*budget)--;
        next_port = (port + 1) % EVTCHN_2L_NR_CHANNELS;
        evtchn_2l_clear_pending(port);
        dispatch(port);
    }
    sel_left = sel;
    return sel != 0;
}

const struct evtchn_abi evtchn_abi_2l = {
    .name = "2-level",
    .init = evtchn_2l_init,
    .port_limit = evtchn_2l_port_limit,
    .setup_port = evtchn_2l_setup_port,
    .mask = evtchn_2l_mask,
    .unmask = evtchn_2l_unmask,
    .clear_pending = evtchn_2l_clear_pending,
    .handle_events = evtchn_2l_handle_events,
};
