/*
 * The console, the two ways a PV guest has: output here, and the non-blocking half
 * of input (drivers/console/ waits for it).
 *
 * The initial domain owns the machine's console: its console_io writes go to Xen's
 * serial line. Any other domain gets a page shared with xenconsoled in dom0 (the
 * ring layout of xen/io/console.h) and an event channel to tell the backend there is
 * output; arch/ says where both are (arch/x86/include/arch/boot_info.h).
 * (Xen's release builds refuse a domU's console_io writes.)
 */
#include <stdbool.h>
#include <stddef.h>
#include <xen/xen.h>
#include <xen/event_channel.h>
#include <xen/io/console.h>
#include <xen/sched.h>

#include "lib/printk.h"
#include "arch/boot_info.h"
#include "arch/cpu.h"
#include "arch/hypercall.h"
#include "arch/page.h"
#include "mm/page_alloc.h"
#include "xen/xencons.h"
#include "xen/console_ring.h"
#include "xen/events.h"

/*
 * A domU's console ring, NULL as the initial domain, whose console is Xen's serial
 * line: then the storage (18 KiB, mostly output held while xenconsoled is slow) goes
 * to the page allocator.
 */
static union {
    struct console_ring ring;
    /* Whole pages: what follows in that section starts on a page of its own anyway. */
    uint8_t pages[(sizeof(struct console_ring) + PAGE_SIZE - 1) & PAGE_MASK];
} ring_storage PAGE_ALIGNED_BSS;
static struct console_ring *ring;
static evtchn_port_t ring_port;

static void xencons_io_write(const char *text, size_t len)
{
    /* Errors are not reported: there is nowhere left to report them to. */
    hypercall_console_io(CONSOLEIO_write, len, text);
}

static void ring_notify(struct console_ring *r)
{
    struct evtchn_send send = {.port = ring_port};

    (void)r;
    hypercall_event_channel_op(EVTCHNOP_send, &send);
}

/* The backend runs in dom0: give the physical CPU up so that it can drain the ring. */
static void ring_yield(struct console_ring *r)
{
    (void)r;
    hypercall_sched_op(SCHEDOP_yield, NULL);
}

static const struct console_ring_ops ring_ops = {.notify = ring_notify, .yield = ring_yield};

void xencons_ring_print(struct console_ring *r, const char *text, size_t len)
{
    /* No event handler runs inside a write; see xen/console_ring.c for the rest. */
    unsigned int prev = events_disable();

    console_ring_write(r, text, len);
    events_restore(prev);
}

static void xencons_ring_sink(const char *text, size_t len)
{
    xencons_ring_print(ring, text, len);
}

void xencons_output_kick(void)
{
    unsigned int prev;

    if (!ring)
        return;
    prev = events_disable();
    console_ring_push(ring);
    events_restore(prev);
}

void xencons_output_stats(struct xencons_output_stats *stats)
{
    if (!ring) {
        *stats = (struct xencons_output_stats){0};
        return;
    }
    stats->stalled = ring->stalled;
    stats->dropped_total = __atomic_load_n(&ring->dropped_total, __ATOMIC_RELAXED);
    stats->dropped_unreported = __atomic_load_n(&ring->dropped, __ATOMIC_RELAXED);
}

static size_t xencons_ring_input(char *buf, size_t size)
{
    bool was_broken = ring->broken;
    size_t n = console_ring_read(ring, buf, size);

    if (ring->broken && !was_broken)
        /* Not a console ring any more: say so on whatever output is left. */
        printk("console: the ring's indices are impossible; the console stops\n");
    return n;
}

size_t xencons_read_available(char *buf, size_t size)
{
    int n;

    if (ring)
        return xencons_ring_input(buf, size);
    /* The initial domain gets the serial line's input through Xen (xen/xen.h, console_io). */
    n = hypercall_console_io(CONSOLEIO_read, size, buf);
    return n > 0 ? (size_t)n : 0;
}

evtchn_port_t xencons_input_port(void)
{
    return ring ? ring_port : 0;
}

void xencons_init(void)
{
    struct boot_ring boot_ring;

    if (!boot_console_ring(&boot_ring)) {
        printk_add_sink(xencons_io_write);
        page_alloc_release_image(&ring_storage, sizeof(ring_storage));
        return;
    }
    ring = &ring_storage.ring;
    console_ring_init(ring, boot_ring.page, &ring_ops);
    ring_port = boot_ring.port;
    printk_add_sink(xencons_ring_sink);
}
