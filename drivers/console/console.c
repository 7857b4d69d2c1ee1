/*
 * Console input: the event handler wakes readers, readers take bytes out of the
 * ring (or, as the initial domain, from Xen) and keep what a line read did not use.
 */
#include <stdbool.h>
#include <xen/xen.h>

#include "lib/errno.h"
#include "lib/string.h"
#include "xen/xencons.h"
#include "xen/events.h"
#include "kernel/initcall.h"
#include "kernel/wait.h"
#include "drivers/console/console.h"

static struct wait_queue input_wq = WAIT_QUEUE_INIT(input_wq);
static bool input_pending;

/* Bytes taken from the console that no reader has used yet. */
static char held[256];
static size_t held_len;
/* A "\r" ended the last line: a "\n" right after it belongs to it. */
static bool after_cr;
/* A line too long to hold is being dropped up to its end, across calls. */
static bool dropping_long_line;

/* The port is shared with output: an event may also mean the backend drained some. */
static void input_event(evtchn_port_t port, void *arg)
{
    (void)port;
    (void)arg;
    xencons_output_kick();
    input_pending = true;
    wait_queue_wake_all(&input_wq);
}

/* Move input that has arrived into held; returns how many bytes came. */
static size_t fill_held(void)
{
    size_t n;

    input_pending = false;
    n = xencons_read_available(held + held_len, sizeof(held) - held_len);
    held_len += n;
    return n;
}

static void drop_held(size_t n)
{
    memmove(held, held + n, held_len - n);
    held_len -= n;
}

/* Wait until more input arrives. The event may come before the bytes do: re-check. */
static int wait_for_more(uint64_t deadline_ns)
{
    while (fill_held() == 0) {
        if (!wait_event_deadline(&input_wq, input_pending, deadline_ns))
            return -ETIMEDOUT;
    }
    return 0;
}

int console_read(char *buf, size_t size, uint64_t deadline_ns)
{
    size_t n;

    if (size == 0)
        return 0;
    fill_held();
    if (held_len == 0) {
        int rc = wait_for_more(deadline_ns);

        if (rc)
            return rc;
    }
    n = held_len < size ? held_len : size;
    memcpy(buf, held, n);
    drop_held(n);
    return (int)n;
}

/* Where the first line in held ends, or held_len if it has not ended yet. */
static size_t line_end(void)
{
    size_t i;

    for (i = 0; i < held_len; i++)
        if (held[i] == '\n' || held[i] == '\r')
            return i;
    return held_len;
}

int console_read_line(char *buf, size_t size, uint64_t deadline_ns)
{
    for (;;) {
        size_t end;
        int rc;

        fill_held();
        if (after_cr && held_len > 0) {
            if (held[0] == '\n')
                drop_held(1);
            after_cr = false;
        }
        end = line_end();
        if (end < held_len) {
            after_cr = held[end] == '\r';
            if (dropping_long_line || end >= size) {
                dropping_long_line = false;
                drop_held(end + 1);
                if (size > 0)
                    buf[0] = '\0';
                return -E2BIG;
            }
            memcpy(buf, held, end);
            buf[end] = '\0';
            drop_held(end + 1);
            return (int)end;
        }
        if (held_len == sizeof(held)) {
            dropping_long_line = true;
            held_len = 0;
        }
        /* Nothing is taken until the line is complete: a timeout leaves it all unread. */
        rc = wait_for_more(deadline_ns);
        if (rc)
            return rc;
    }
}

static int console_input_start(void)
{
    evtchn_port_t port = xencons_input_port();

    if (port)
        return evtchn_attach(port, input_event, NULL);
    return evtchn_bind_virq(VIRQ_CONSOLE, input_event, NULL, &port);
}
KERNEL_INIT(1, console_input_start);
