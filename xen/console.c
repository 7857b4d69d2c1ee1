/*
 * The console, the two ways a PV guest has: output here, and the non-blocking half
 * of input (drivers/console/ waits for it).
 *
 * The initial domain (SIF_INITDOMAIN in start_info.flags) owns the machine's
 * console: its console_io writes go to Xen's serial line. Any other domain gets a
 * page shared with xenconsoled in dom0 (start_info.console.domU, the ring layout of
 * xen/io/console.h) and an event channel to tell the backend there is output.
 * (Xen's release builds refuse a domU's console_io writes.)
 */
#include <stdbool.h>
#include <stddef.h>
#include <xen/xen.h>
#include <xen/event_channel.h>
#include <xen/io/console.h>
#include <xen/sched.h>

#include "lib/printk.h"
#include "arch/x86/cpu.h"
#include "arch/x86/hypercall.h"
#include "arch/x86/page.h"
#include "xen/console.h"

static struct xencons_interface *ring;
static evtchn_port_t ring_port;
/* Set when the backend's indices stop making sense: the ring is left alone from then on. */
static bool ring_broken;

static void console_io_write(const char *text, size_t len)
{
    /* Errors are not reported: there is nowhere left to report them to. */
    hypercall_console_io(CONSOLEIO_write, len, text);
}

static void ring_notify(void)
{
    struct evtchn_send send = {.port = ring_port};

    hypercall_event_channel_op(EVTCHNOP_send, &send);
}

/*
 * Copy as much of text as the ring has room for, turning "\n" into the "\r\n" a
 * terminal wants; returns the bytes of text consumed. A consumer index more than a
 * ring away from ours means the page is not a console ring any more: write nothing
 * rather than scribble.
 */
static size_t ring_put(const char *text, size_t len)
{
    XENCONS_RING_IDX cons = READ_ONCE(ring->out_cons);
    XENCONS_RING_IDX prod = ring->out_prod;
    size_t room, n = 0;

    mb(); /* read out_cons before overwriting the slots it frees */
    if (prod - cons > sizeof(ring->out)) {
        ring_broken = true;
        return 0;
    }
    room = sizeof(ring->out) - (prod - cons);
    while (n < len) {
        if (text[n] == '\n') {
            if (room < 2)
                break;
            ring->out[MASK_XENCONS_IDX(prod++, ring->out)] = '\r';
            room--;
        } else if (room < 1) {
            break;
        }
        ring->out[MASK_XENCONS_IDX(prod++, ring->out)] = text[n++];
        room--;
    }
    wmb(); /* the bytes before the index that publishes them */
    ring->out_prod = prod;
    return n;
}

static void console_ring_write(const char *text, size_t len)
{
    unsigned int stalls = 0;

    while (len > 0 && !ring_broken) {
        size_t n = ring_put(text, len);

        if (n == 0) {
            /* Full: let the backend drain it. A backend that takes nothing for this
             * long is gone: drop this message rather than hang the kernel. */
            ring_notify();
            hypercall_sched_op(SCHEDOP_yield, NULL);
            if (++stalls > 100000)
                return;
            continue;
        }
        stalls = 0;
        text += n;
        len -= n;
    }
    if (!ring_broken)
        ring_notify();
}

/*
 * Input from the ring's in[] half, which the backend fills: read in_prod, then the
 * bytes, then hand the slots back through in_cons and tell the backend.
 */
static size_t console_ring_read(char *buf, size_t size)
{
    XENCONS_RING_IDX cons = ring->in_cons, prod = READ_ONCE(ring->in_prod);
    size_t n = 0;

    rmb(); /* the index before the bytes it publishes */
    if (ring_broken)
        return 0;
    if (prod - cons > sizeof(ring->in)) {
        /* Not a console ring any more: say so on whatever output is left, take nothing. */
        printk("console: the input ring's indices are impossible; input stops\n");
        ring_broken = true;
        return 0;
    }
    while (cons != prod && n < size)
        buf[n++] = ring->in[MASK_XENCONS_IDX(cons++, ring->in)];
    if (n == 0)
        return 0;
    mb(); /* done with the slots before the backend may refill them */
    ring->in_cons = cons;
    ring_notify();
    return n;
}

size_t console_read_available(char *buf, size_t size)
{
    int n;

    if (ring)
        return console_ring_read(buf, size);
    /* The initial domain gets the serial line's input through Xen (xen/xen.h, console_io). */
    n = hypercall_console_io(CONSOLEIO_read, size, buf);
    return n > 0 ? (size_t)n : 0;
}

evtchn_port_t console_input_port(void)
{
    return ring ? ring_port : 0;
}

void console_init(const struct start_info *si)
{
    if (si->flags & SIF_INITDOMAIN) {
        printk_add_sink(console_io_write);
        return;
    }
    ring = mfn_to_virt(si->console.domU.mfn);
    ring_port = si->console.domU.evtchn;
    printk_add_sink(console_ring_write);
}
