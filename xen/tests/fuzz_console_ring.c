/*
 * libFuzzer target for xen/console_ring.c: arbitrary bytes play xenconsoled's side of
 * a console ring page. They decide, step by step, what the backend does to every
 * index it owns (out_cons and in_prod: forward by any amount, backwards, anywhere),
 * whether it takes output when the guest yields to it or has stopped, what it puts
 * into in[], what it scribbles over the guest's own indices, and when
 * the guest writes messages (sometimes from inside a write, as a fault would),
 * reads input, or takes the backend's event. After each step the guest's promises
 * are checked: out_prod only moves forward and never more than a ring ahead of
 * what the backend took, the buffer stays bounded, reads stay within their size,
 * and while the backend behaves, what it takes out is every message whole, in
 * order, or a "console: N bytes dropped" line. Any broken promise aborts, which
 * libFuzzer reports as a crash.
 *
 * tests/fuzz.mk builds it with clang -fsanitize=fuzzer,address,undefined.
 */
#include "lib/tests/host_names.h"
#include "xen/console_ring.h"
#define HOST_NAMES_RESTORE
#include "lib/tests/host_names.h"

#include <stdio.h>
#include <string.h>
#include "lib/tests/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct xencons_interface page;
static struct console_ring ring;
static struct fuzz_input in;
/* The backend has only ever moved out_cons forward over what was published. */
static bool honest;
/* Output the backend took while honest, as one partial line at a time. */
static char line[CONSOLE_PENDING_SIZE];
static size_t line_len;
static unsigned int next_message, nested_pending;
/* A stopped backend takes nothing when the guest yields to it. */
static bool stopped;
/* One more than the number of the last message the backend took whole. */
static unsigned int seen_messages;

/* A whole line the guest may have written: a message "m<N> <fill>" or a drop note. */
static void check_line(const char *s, size_t len)
{
    unsigned int n;
    char tail[16];

    if (len > 9 && memcmp(s, "console: ", 9) == 0) {
        REQUIRE(len > 23 && memcmp(s + len - 14, " bytes dropped", 14) == 0);
        return;
    }
    REQUIRE(len >= 2 && s[0] == 'm');
    REQUIRE(sscanf(s, "m%u %15s", &n, tail) >= 1);
    /* Messages come in order; dropped ones leave gaps. */
    REQUIRE(n >= seen_messages && n < next_message);
    seen_messages = n + 1;
    for (size_t i = 1; i < len; i++)
        REQUIRE(s[i] != '\r' && s[i] != '\n');
}

/* The backend takes up to n published bytes, as xenconsoled would. */
static void take(uint32_t n)
{
    while (n-- && page.out_cons != page.out_prod) {
        char c = page.out[MASK_XENCONS_IDX(page.out_cons++, page.out)];

        if (!honest)
            continue;
        if (c == '\n') {
            REQUIRE(line_len > 0 && line[line_len - 1] == '\r');
            check_line(line, line_len - 1);
            line_len = 0;
            continue;
        }
        REQUIRE(line_len < sizeof(line));
        line[line_len++] = c;
    }
}

static void write_message(void)
{
    char msg[1100];
    size_t fill = fuzz_u8(&in) * 4u, n;

    n = (size_t)snprintf(msg, sizeof(msg), "m%u ", next_message++);
    for (size_t i = 0; i < fill; i++)
        msg[n++] = (char)('a' + i % 26);
    msg[n++] = '\n';
    console_ring_write(&ring, msg, n);
}

static void fuzz_notify(struct console_ring *r)
{
    (void)r;
    /* A fault breaks into the write: it writes too, once. */
    if (nested_pending) {
        nested_pending--;
        write_message();
    }
}

static void fuzz_yield(struct console_ring *r)
{
    (void)r;
    if (!stopped)
        take(256);
}

static const struct console_ring_ops ops = {.notify = fuzz_notify, .yield = fuzz_yield};

static void check_invariants(XENCONS_RING_IDX prod_before)
{
    /* Forward only, and by no more than a few buffers' worth in one step. */
    REQUIRE(ring.out_prod - prod_before <= 4 * (sizeof(page.out) + CONSOLE_PENDING_SIZE));
    REQUIRE(console_ring_pending(&ring) <= CONSOLE_PENDING_SIZE);
    REQUIRE(ring.nested_len == 0);
    REQUIRE(!ring.writing);
    if (!ring.broken && honest)
        REQUIRE(ring.out_prod - page.out_cons <= sizeof(page.out));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char buf[64];

    fuzz_input_init(&in, data, size);
    memset(&page, 0, sizeof(page));
    page.out_cons = page.out_prod = fuzz_u32(&in);
    page.in_cons = page.in_prod = fuzz_u32(&in);
    console_ring_init(&ring, &page, &ops);
    honest = true;
    stopped = false;
    line_len = 0;
    next_message = 0;
    seen_messages = 0;
    nested_pending = 0;
    while (fuzz_input_left(&in)) {
        XENCONS_RING_IDX prod_before = ring.out_prod;
        uint8_t op = fuzz_u8(&in);

        switch (op % 12) {
        case 0: /* out_cons anywhere */
            page.out_cons = fuzz_u32(&in);
            honest = false;
            break;
        case 1: /* out_cons forward over what was published */
            take(fuzz_u8(&in) * 8u);
            break;
        case 2: /* out_cons back or forward a little, past what was published */
            page.out_cons += (int8_t)fuzz_u8(&in);
            honest = false;
            break;
        case 3: { /* input: bytes into in[], then in_prod */
            uint8_t n = fuzz_u8(&in);

            for (uint8_t i = 0; i < n; i++)
                page.in[MASK_XENCONS_IDX(page.in_prod + i, page.in)] = (char)fuzz_u8(&in);
            page.in_prod += n;
            break;
        }
        case 4: /* in_prod anywhere */
            page.in_prod = fuzz_u32(&in);
            break;
        case 5: /* the guest's own indices, which it must not trust */
            page.in_cons = fuzz_u32(&in);
            if (fuzz_u8(&in) & 1) {
                page.out_prod = fuzz_u32(&in);
                honest = false;
            }
            break;
        case 6: {
            size_t want = fuzz_u8(&in) % sizeof(buf);
            size_t got = console_ring_read(&ring, buf, want);

            REQUIRE(got <= want);
            break;
        }
        case 7:
            console_ring_push(&ring);
            break;
        case 8:
            nested_pending = fuzz_u8(&in) % 3;
            write_message();
            nested_pending = 0;
            break;
        case 9: /* the backend stops taking output, or goes on */
            stopped = !stopped;
            break;
        case 10: {
            uint8_t n = fuzz_u8(&in) % 64;

            while (n--)
                write_message();
            break;
        }
        default:
            write_message();
            break;
        }
        check_invariants(prod_before);
    }
    return 0;
}
