/*
 * The FIFO event-channel ABI (xen/event_channel.h, "FIFO ABI").
 *
 * Each port has a 32-bit event word in an event array the guest builds from its own
 * pages (EVTCHNOP_expand_array, 1,024 words a page): PENDING, MASKED, LINKED and BUSY
 * flags and a 17-bit link to the next port. Xen links a pending, unmasked port onto
 * the tail of one of 16 per-vCPU queues (its priority, 0 highest), records the head
 * of an empty queue in the vCPU's control block, sets the queue's bit in `ready` and
 * raises evtchn_upcall_pending. The guest consumes from the heads, highest priority
 * first, one event at a time. EVTCHNOP_init_control switches the domain to FIFO; any
 * event pending under the 2-level ABI at that moment is lost.
 */
#include "arch/page.h"
#include "lib/errno.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/page_alloc.h"
#include "xen/events.h"
#include "xen/evtchn_abi.h"
#include "arch/hypercall.h"

#define WORDS_PER_PAGE  (PAGE_SIZE / sizeof(event_word_t))
#define MAX_ARRAY_PAGES (EVTCHN_FIFO_NR_CHANNELS / WORDS_PER_PAGE)

#define FLAG(bit) ((event_word_t)1 << (bit))

/* The bits of `ready` that name a queue; Xen has no others, whatever the word holds. */
#define QUEUE_BITS ((uint32_t)((1ull << EVTCHN_FIFO_MAX_QUEUES) - 1))

static struct evtchn_fifo_control_block *control_block;
/* The event array's pages by frame number: half the room of pointers, so that the
 * kernel's data stays on one page; the direct map turns a frame into its address. */
static uint32_t event_array_pfn[MAX_ARRAY_PAGES];
static unsigned int array_pages;
static unsigned int port_limit = EVTCHN_FIFO_NR_CHANNELS;
/* Our copy of each queue's head: Xen writes control_block->head only when it links
 * onto an empty queue, so once we have started on a queue we follow the links. */
static uint32_t queue_head[EVTCHN_FIFO_MAX_QUEUES];
/* Queues a budget cut short: still ready, though Xen's `ready` no longer says so. */
static uint32_t ready_left;
static bool told_stray_ready;

static event_word_t *event_word(evtchn_port_t port)
{
    event_word_t *page = pfn_to_virt(event_array_pfn[port / WORDS_PER_PAGE]);

    return &page[port % WORDS_PER_PAGE];
}

static bool port_in_array(evtchn_port_t port)
{
    return port / WORDS_PER_PAGE < array_pages;
}

/* Give Xen one more zeroed page of event words, every port in it masked. */
static int expand_array(void)
{
    struct evtchn_expand_array expand;
    event_word_t *page;
    unsigned int i;
    int rc;

    if (array_pages == MAX_ARRAY_PAGES)
        return -ENOSPC;
    page = alloc_page();
    if (!page)
        return -ENOMEM;
    for (i = 0; i < WORDS_PER_PAGE; i++)
        page[i] = FLAG(EVTCHN_FIFO_MASKED);
    expand.array_gfn = pfn_to_mfn(virt_to_pfn(page));
    rc = hypercall_event_channel_op(EVTCHNOP_expand_array, &expand);
    if (rc) {
        free_page(page);
        return rc;
    }
    event_array_pfn[array_pages++] = virt_to_pfn(page);
    return 0;
}

static int evtchn_fifo_init(void)
{
    struct evtchn_init_control init;
    int rc;

    control_block = alloc_page();
    if (!control_block)
        return -ENOMEM;
    memset(control_block, 0, PAGE_SIZE);
    init = (struct evtchn_init_control){
        .control_gfn = pfn_to_mfn(virt_to_pfn(control_block)),
        .offset = 0,
        .vcpu = 0,
    };
    rc = hypercall_event_channel_op(EVTCHNOP_init_control, &init);
    if (rc) {
        free_page(control_block);
        control_block = NULL;
        return rc;
    }
    if (init.link_bits && init.link_bits < EVTCHN_FIFO_LINK_BITS)
        port_limit = 1u << init.link_bits;
    /* Ports bound before us (a domU's console and xenstore) must have a word. */
    return expand_array();
}

static unsigned int evtchn_fifo_port_limit(void)
{
    return port_limit;
}

static int evtchn_fifo_setup_port(evtchn_port_t port)
{
    int rc;

    if (port >= port_limit)
        return -ENOSPC;
    while (!port_in_array(port)) {
        rc = expand_array();
        if (rc)
            return rc;
    }
    return 0;
}

static void evtchn_fifo_mask(evtchn_port_t port)
{
    __atomic_fetch_or(event_word(port), FLAG(EVTCHN_FIFO_MASKED), __ATOMIC_SEQ_CST);
}

/*
 * Clear MASKED, but only while Xen is not holding the word (BUSY) and no event is
 * pending. A pending event needs linking onto a queue, which only Xen may do: then
 * EVTCHNOP_unmask clears the mask and links it.
 */
static void evtchn_fifo_unmask(evtchn_port_t port)
{
    event_word_t *word = event_word(port);
    event_word_t w = __atomic_load_n(word, __ATOMIC_SEQ_CST);

    for (;;) {
        event_word_t expected = w & ~FLAG(EVTCHN_FIFO_BUSY);

        if (!(w & FLAG(EVTCHN_FIFO_MASKED)))
            return;
        if (w & FLAG(EVTCHN_FIFO_PENDING))
            break;
        if (__atomic_compare_exchange_n(word, &expected, expected & ~FLAG(EVTCHN_FIFO_MASKED),
                                        false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
            return;
        w = expected;
    }
    struct evtchn_unmask unmask = {.port = port};
    hypercall_event_channel_op(EVTCHNOP_unmask, &unmask);
}

static void evtchn_fifo_clear_pending(evtchn_port_t port)
{
    __atomic_fetch_and(event_word(port), ~FLAG(EVTCHN_FIFO_PENDING), __ATOMIC_SEQ_CST);
}

/* Unlink the word from its queue; returns the next port (0: it was the tail). */
static uint32_t clear_linked(event_word_t *word)
{
    event_word_t w = __atomic_load_n(word, __ATOMIC_SEQ_CST);
    event_word_t next;

    do {
        next = w & ~(FLAG(EVTCHN_FIFO_LINKED) | EVTCHN_FIFO_LINK_MASK);
    } while (
        !__atomic_compare_exchange_n(word, &w, next, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
    return w & EVTCHN_FIFO_LINK_MASK;
}

/* Take the event at the head of queue q; clear q's bit in *ready once it is empty. */
static void consume_one(unsigned int q, uint32_t *ready, evtchn_dispatch_fn dispatch)
{
    evtchn_port_t port = queue_head[q];
    uint32_t next;

    if (port == 0)
        port = __atomic_load_n(&control_block->head[q], __ATOMIC_SEQ_CST);
    if (port == 0 || !port_in_array(port)) {
        /* Nothing linked, or a link outside our array: not from a sane Xen. */
        if (port)
            printk("events: FIFO queue %u links to port %u, beyond the event array; "
                   "queue dropped\n",
                   q, port);
        queue_head[q] = 0;
        *ready &= ~(1u << q);
        return;
    }
    next = clear_linked(event_word(port));
    if (next == 0)
        *ready &= ~(1u << q);
    queue_head[q] = next;

    event_word_t w = __atomic_load_n(event_word(port), __ATOMIC_SEQ_CST);
    if ((w & FLAG(EVTCHN_FIFO_PENDING)) && !(w & FLAG(EVTCHN_FIFO_MASKED))) {
        evtchn_fifo_clear_pending(port);
        dispatch(port);
    }
}

/*
 * Take Xen's `ready` word, keeping only the bits that name one of the
 * EVTCHN_FIFO_MAX_QUEUES queues: a bit beyond them would index past queue_head.
 */
static uint32_t take_ready(void)
{
    uint32_t ready = __atomic_exchange_n(&control_block->ready, 0, __ATOMIC_SEQ_CST);

    if ((ready & ~QUEUE_BITS) && !told_stray_ready) {
        told_stray_ready = true;
        printk("events: FIFO ready word %#x names queues beyond %u; ignored\n", ready,
               EVTCHN_FIFO_MAX_QUEUES);
    }
    return ready & QUEUE_BITS;
}

/*
 * Lowest set bit of ready is the highest-priority queue; look again after each event.
 * A port that is raised again while we run joins the tail of its queue, behind the
 * others already there.
 */
static bool evtchn_fifo_handle_events(evtchn_dispatch_fn dispatch, unsigned int *budget)
{
    uint32_t ready = ready_left | take_ready();

    while (ready && *budget) {
        (*budget)--;
        consume_one(__builtin_ctz(ready), &ready, dispatch);
        ready |= take_ready();
    }
    ready_left = ready;
    return ready != 0;
}

#ifdef KERNEL_TESTS
int evtchn_fifo_test_set_ready(uint32_t bits)
{
    volatile struct vcpu_info *v = &shared_info->vcpu_info[0];

    if (!control_block)
        return -ENOSYS;
    __atomic_fetch_or(&control_block->ready, bits, __ATOMIC_SEQ_CST);
    v->evtchn_upcall_pending = 1;
    if (!events_are_disabled())
        events_force_upcall();
    return 0;
}
#endif

const struct evtchn_abi evtchn_abi_fifo = {
    .name = "FIFO",
    .init = evtchn_fifo_init,
    .port_limit = evtchn_fifo_port_limit,
    .setup_port = evtchn_fifo_setup_port,
    .mask = evtchn_fifo_mask,
    .unmask = evtchn_fifo_unmask,
    .clear_pending = evtchn_fifo_clear_pending,
    .handle_events = evtchn_fifo_handle_events,
};
