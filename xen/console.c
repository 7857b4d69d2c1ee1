/*
 * Console output, the two ways a PV guest has.
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
/* Set when the backend's index stops making sense: output stops, nothing is scribbled. */
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
