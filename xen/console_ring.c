/*
 * The guest's side of a console ring page: output through a bounded buffer, input
 * straight out of in[]. No hypercalls: xen/xencons.c supplies them through ops.
 *
 * How writers stay out of each other's way. printk is called by threads, by event
 * handlers, and by the fault reporter (and an NMI handler), which may interrupt a
 * write at any instruction. The caller disables events around a write
 * (xen/xencons.c:xencons_ring_print), so event handlers never interrupt one; a write
 * that still finds r->writing set is nested inside another (a fault or NMI) and only
 * reserves space in r->nested with a compare-and-swap and copies its message there.
 * The outer write queues those messages after its own before it ends. On one vCPU
 * a nested write always ends before the write it interrupted resumes, so the indices
 * have one writer at a time, out_prod only moves forward, and every message stays
 * whole: a line from an interrupting context never lands inside another line.
 *
 * A stopped backend: the ring holds 2 KiB, and xenconsoled may stop reading it.
 * While the backend is live, a writer waits (by yielding, never blocking: printk
 * runs in event handlers) until its message is in the ring, as a kernel that ends
 * right after printing needs. After CONSOLE_STALL_YIELDS yields in a row without
 * progress the backend counts as stalled, and writers wait no more: output goes
 * into r->pending (16 KiB), and a message that does not fit there is dropped whole
 * and its bytes counted, so the kernel runs on. Once the backend takes output again
 * (its event, or any write, sees out_cons move), the pending output follows, then
 * the line "console: N bytes dropped", where the gap is.
 */
#include "lib/string.h"
#include "arch/cpu.h"
#include "xen/console_ring.h"

#define PENDING_MASK (CONSOLE_PENDING_SIZE - 1)
_Static_assert((CONSOLE_PENDING_SIZE & PENDING_MASK) == 0, "pending size is a power of two");

void console_ring_init(struct console_ring *r, struct xencons_interface *page,
                       const struct console_ring_ops *ops)
{
    memset(r, 0, sizeof(*r));
    r->page = page;
    r->ops = ops;
    /* The indices need not start at 0; ours are taken as they are, and never re-read. */
    r->out_prod = page->out_prod;
    r->in_cons = page->in_cons;
    r->seen_cons = READ_ONCE(page->out_cons);
}

static uint32_t pending_room(const struct console_ring *r)
{
    return CONSOLE_PENDING_SIZE - console_ring_pending(r);
}

/* Bytes text takes once each "\n" has become the "\r\n" a terminal wants. */
static size_t out_size(const char *text, size_t len)
{
    size_t n = len, i;

    for (i = 0; i < len; i++)
        n += text[i] == '\n';
    return n;
}

static void put_byte(struct console_ring *r, char c)
{
    r->pending[r->pending_head++ & PENDING_MASK] = c;
}

/* The caller has checked the room (out_size). */
static void append(struct console_ring *r, const char *text, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        if (text[i] == '\n')
            put_byte(r, '\r');
        put_byte(r, text[i]);
    }
}

/* "console: N bytes dropped\n" into buf (at least 48 bytes); returns its length. */
static size_t format_drop_note(char *buf, uint64_t dropped)
{
    static const char head[] = "console: ", tail[] = " bytes dropped\n";
    char digits[20];
    size_t n = 0, len;

    do {
        digits[n++] = (char)('0' + dropped % 10);
        dropped /= 10;
    } while (dropped);
    memcpy(buf, head, sizeof(head) - 1);
    len = sizeof(head) - 1;
    while (n)
        buf[len++] = digits[--n];
    memcpy(buf + len, tail, sizeof(tail) - 1);
    return len + sizeof(tail) - 1;
}

/*
 * Move pending bytes into out[] as far as it has room; returns how many moved.
 * out_cons is the backend's: read once, and a value more than a ring away from
 * our out_prod means the page is no console ring any more.
 */
static size_t move_out(struct console_ring *r)
{
    struct xencons_interface *page = r->page;
    XENCONS_RING_IDX cons = READ_ONCE(page->out_cons), prod = r->out_prod;
    size_t moved = 0;

    if (r->broken)
        return 0;
    mb(); /* read out_cons before overwriting the slots it frees */
    if (prod - cons > sizeof(page->out)) {
        r->broken = true;
        return 0;
    }
    if (cons != r->seen_cons) {
        r->seen_cons = cons;
        r->stalled = false;
    }
    while (prod - cons < sizeof(page->out) && r->pending_tail != r->pending_head) {
        page->out[MASK_XENCONS_IDX(prod, page->out)] = r->pending[r->pending_tail & PENDING_MASK];
        prod++;
        r->pending_tail++;
        moved++;
    }
    if (moved) {
        wmb(); /* the bytes before the index that publishes them */
        page->out_prod = r->out_prod = prod;
    }
    return moved;
}

/* Queue the note about dropped bytes, if there are any and it fits. */
static void queue_drop_note(struct console_ring *r)
{
    char note[48];
    uint64_t dropped = __atomic_load_n(&r->dropped, __ATOMIC_RELAXED);
    size_t len;

    if (dropped == 0)
        return;
    len = format_drop_note(note, dropped);
    if (out_size(note, len) > pending_room(r))
        return;
    append(r, note, len);
    /* Drops counted meanwhile (by a nested write) wait for the next note. */
    __atomic_fetch_sub(&r->dropped, dropped, __ATOMIC_RELAXED);
}

static void count_dropped(struct console_ring *r, size_t len)
{
    __atomic_fetch_add(&r->dropped, len, __ATOMIC_RELAXED);
    __atomic_fetch_add(&r->dropped_total, len, __ATOMIC_RELAXED);
}

/* Room for text after the note that must come before it. */
static bool fits(const struct console_ring *r, const char *text, size_t len)
{
    return out_size(text, len) + (r->dropped ? 48 : 0) <= pending_room(r);
}

/*
 * Move pending output into the ring; while the backend is live, wait (by yielding)
 * until all of it is there, so that a kernel that ends right after a printk has
 * said everything. Returns the bytes moved.
 */
static size_t move_out_waiting(struct console_ring *r)
{
    unsigned int idle = 0;
    size_t moved = move_out(r);

    while (console_ring_pending(r) && !r->broken && !r->stalled) {
        size_t m;

        r->ops->notify(r);
        r->ops->yield(r);
        m = move_out(r);
        moved += m;
        if (m)
            idle = 0;
        else if (++idle >= CONSOLE_STALL_YIELDS)
            r->stalled = true;
    }
    return moved;
}

static void write_message(struct console_ring *r, const char *text, size_t len)
{
    size_t moved = move_out_waiting(r);

    if (r->broken)
        return;
    /* A gap is one gap: the note waits until the backend has drained again. */
    if (!r->stalled)
        queue_drop_note(r);
    /* While the note of earlier drops waits, later messages cannot go before it. */
    if (__atomic_load_n(&r->dropped, __ATOMIC_RELAXED) == 0 && fits(r, text, len))
        append(r, text, len);
    else
        count_dropped(r, len);
    moved += move_out_waiting(r);
    if (moved)
        r->ops->notify(r);
}

/* A write nested inside another: reserve room in r->nested atomically, copy, leave. */
static void stash_nested(struct console_ring *r, const char *text, size_t len)
{
    uint32_t at = __atomic_load_n(&r->nested_len, __ATOMIC_RELAXED);

    do {
        if (len > CONSOLE_NESTED_SIZE - at) {
            count_dropped(r, len);
            return;
        }
    } while (!__atomic_compare_exchange_n(&r->nested_len, &at, at + len, false, __ATOMIC_RELAXED,
                                          __ATOMIC_RELAXED));
    memcpy(r->nested + at, text, len);
}

/* Queue what nested writes left, message by message as they reserved it. */
static void take_nested(struct console_ring *r)
{
    uint32_t done = 0, len;

    for (;;) {
        len = __atomic_load_n(&r->nested_len, __ATOMIC_ACQUIRE);
        if (len == done) {
            if (__atomic_compare_exchange_n(&r->nested_len, &len, 0, false, __ATOMIC_ACQ_REL,
                                            __ATOMIC_RELAXED))
                return;
            continue;
        }
        write_message(r, r->nested + done, len - done);
        done = len;
    }
}

void console_ring_write(struct console_ring *r, const char *text, size_t len)
{
    /* A message longer than the buffer cannot stay whole; it goes in pieces. */
    const size_t piece = CONSOLE_PENDING_SIZE / 4;

    if (r->writing) {
        stash_nested(r, text, len);
        return;
    }
    r->writing = true;
    barrier();
    while (len > piece) {
        write_message(r, text, piece);
        text += piece;
        len -= piece;
    }
    write_message(r, text, len);
    take_nested(r);
    barrier();
    r->writing = false;
}

void console_ring_push(struct console_ring *r)
{
    size_t moved;

    if (r->writing)
        return; /* the write this interrupts pushes when it ends */
    r->writing = true;
    barrier();
    moved = move_out(r);
    if (!r->stalled && !r->broken) {
        queue_drop_note(r);
        moved += move_out(r);
    }
    take_nested(r);
    barrier();
    r->writing = false;
    if (moved)
        r->ops->notify(r);
}

size_t console_ring_read(struct console_ring *r, char *buf, size_t size)
{
    struct xencons_interface *page = r->page;
    XENCONS_RING_IDX cons = r->in_cons, prod = READ_ONCE(page->in_prod);
    size_t n = 0;

    rmb(); /* the index before the bytes it publishes */
    if (r->broken)
        return 0;
    if (prod - cons > sizeof(page->in)) {
        r->broken = true;
        return 0;
    }
    while (cons != prod && n < size)
        buf[n++] = page->in[MASK_XENCONS_IDX(cons++, page->in)];
    if (n == 0)
        return 0;
    mb(); /* done with the slots before the backend may refill them */
    page->in_cons = r->in_cons = cons;
    r->ops->notify(r);
    return n;
}
