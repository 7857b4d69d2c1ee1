/*
 * Host tests for drivers/xenbus/xs_comms.c: the transport against a daemon played by
 * the test. Blocking is simulated: the transport's wait runs the reader (drain) and
 * one step of the scripted peer at a time; when neither can make the awaited thing
 * happen, time jumps to the deadline, and a wait with no deadline that nothing can end
 * is a hang, which fails the test. LeakSanitizer checks that no reply is leaked.
 */

/* Declare ours under the lib_ names, then let the standard names mean glibc's. */
#include "lib/tests/host_names.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "drivers/xenbus/xs_comms.h"
#define HOST_NAMES_RESTORE
#include "lib/tests/host_names.h"

#include <stdlib.h>
#include "lib/tests/unit.h"

#define HDR sizeof(struct xsd_sockmsg)

static struct xenstore_domain_interface *ring;
static struct xs_comms comms;
static uint64_t now_ns;
static unsigned int hangs, notifies;
/* One step of the daemon; false when it has nothing more to do. */
static bool (*peer_step)(void);
/* What the daemon has taken off the request ring and not yet parsed. */
static char peer_buf[2 * (HDR + XENSTORE_PAYLOAD_MAX)];
static size_t peer_have;
/* The watch token the test has "set". */
static const char *watched_token;
static unsigned int watch_hits;

static bool fake_wait(void *ctx, bool (*ready)(void *arg), void *arg, uint64_t deadline_ns)
{
    (void)ctx;
    for (;;) {
        if (xs_ring_has_responses(ring) && !xs_comms_broken(&comms))
            xs_comms_drain(&comms); /* what the reader thread would do */
        if (ready(arg))
            return true;
        if (peer_step && peer_step())
            continue;
        if (deadline_ns == 0) {
            printf("a wait without a deadline that nothing can end: a hang\n");
            hangs++;
            return false;
        }
        if (now_ns < deadline_ns)
            now_ns = deadline_ns;
        return false;
    }
}

static void fake_notify(void *ctx)
{
    (void)ctx;
    notifies++;
}

static void fake_wake(void *ctx)
{
    (void)ctx;
}

static bool fake_watch_event(void *ctx, const char *path, const char *token)
{
    (void)ctx;
    (void)path;
    if (!watched_token || strcmp(token, watched_token) != 0)
        return false;
    watch_hits++;
    return true;
}

static const struct xs_comms_ops fake_ops = {
    .notify = fake_notify,
    .wait = fake_wait,
    .wake = fake_wake,
    .watch_event = fake_watch_event,
};

static void print_sink(const char *text, size_t len)
{
    printf("    | %.*s", (int)len, text);
}

/* A fresh connection whose indices start at start (they need not start at 0). */
static void setup(XENSTORE_RING_IDX start)
{
    free(ring);
    ring = calloc(1, sizeof(*ring));
    ring->req_cons = ring->req_prod = start;
    ring->rsp_cons = ring->rsp_prod = start;
    xs_comms_init(&comms, ring, &fake_ops, NULL);
    now_ns = 0;
    hangs = notifies = watch_hits = 0;
    peer_step = NULL;
    watched_token = NULL;
    peer_have = 0;
}

/* ---- the daemon's side ---- */

static size_t req_waiting(void)
{
    return ring->req_prod - ring->req_cons;
}

static void peer_read(void *buf, size_t len)
{
    for (size_t i = 0; i < len; i++)
        ((char *)buf)[i] = ring->req[MASK_XENSTORE_IDX(ring->req_cons + i)];
    ring->req_cons += len;
}

/* Take every byte the request ring holds; whether there were any. */
static bool peer_pull(void)
{
    size_t n = req_waiting();

    if (n > sizeof(peer_buf) - peer_have)
        n = sizeof(peer_buf) - peer_have;
    peer_read(peer_buf + peer_have, n);
    peer_have += n;
    return n > 0;
}

/* One whole request out of what was pulled, if there is one. */
static bool peer_pop(struct xsd_sockmsg *hdr, char *payload)
{
    size_t len;

    if (peer_have < HDR)
        return false;
    memcpy(hdr, peer_buf, HDR);
    len = HDR + hdr->len;
    if (peer_have < len)
        return false;
    memcpy(payload, peer_buf + HDR, hdr->len);
    memmove(peer_buf, peer_buf + len, peer_have - len);
    peer_have -= len;
    return true;
}

static void peer_send(uint32_t type, uint32_t req_id, const void *payload, uint32_t len)
{
    struct xsd_sockmsg h = {.type = type, .req_id = req_id, .len = len};
    char msg[HDR + XENSTORE_PAYLOAD_MAX];

    memcpy(msg, &h, HDR);
    memcpy(msg + HDR, payload, len);
    if (XENSTORE_RING_SIZE - (ring->rsp_prod - ring->rsp_cons) < HDR + len) {
        printf("test bug: no room on the response ring\n");
        abort();
    }
    for (size_t i = 0; i < HDR + len; i++)
        ring->rsp[MASK_XENSTORE_IDX(ring->rsp_prod + i)] = msg[i];
    ring->rsp_prod += HDR + len;
}

/* Answer every whole request with its type and id: a write with "OK", any other with
 * its own payload. */
static bool peer_echo(void)
{
    struct xsd_sockmsg h;
    char payload[XENSTORE_PAYLOAD_MAX];
    bool moved = peer_pull();

    while (peer_pop(&h, payload)) {
        if (h.type == XS_WRITE)
            peer_send(h.type, h.req_id, "OK", 3);
        else
            peer_send(h.type, h.req_id, payload, h.len);
        moved = true;
    }
    return moved;
}

/* Take requests off the ring and never answer. */
static bool peer_silent(void)
{
    struct xsd_sockmsg h;
    char payload[XENSTORE_PAYLOAD_MAX];
    bool moved = peer_pull();

    while (peer_pop(&h, payload))
        ;
    return moved;
}

static int read_path(const char *path, uint64_t deadline, char **value)
{
    return xs_comms_request(&comms, XS_READ, 0, &path, 1, NULL, 0, deadline, value, NULL);
}

/* ---- tests ---- */

UNIT_TEST(test_round_trip_across_the_wrap)
{
    char *value;
    int i;

    setup(0xfffffff0u); /* the indices wrap during the test */
    peer_step = peer_echo;
    for (i = 0; i < 100; i++) {
        CHECK_INT(read_path("data/a-path-of-some-length", 1000, &value), 0);
        CHECK_STR(value, "data/a-path-of-some-length");
        free(value);
    }
    CHECK_INT(comms.stats.requests, 100);
    CHECK_INT(comms.stats.replies, 100);
    CHECK_INT(comms.stats.stray, 0);
    CHECK_INT(hangs, 0);
    CHECK(notifies > 0);
}

/* B is sent while A waits, and the daemon answers B before A. */
static char *reply_b;
static int rc_b;

static bool peer_answers_in_reverse(void)
{
    static bool b_sent;
    struct xsd_sockmsg a, b;
    char pa[64], pb[64];

    if (!b_sent) {
        b_sent = true;
        rc_b = read_path("b", 1000, &reply_b); /* runs this step again, nested */
        return true;
    }
    peer_pull();
    if (!peer_pop(&a, pa) || !peer_pop(&b, pb))
        return false;
    peer_send(XS_READ, b.req_id, "value of b", 10);
    peer_send(XS_READ, a.req_id, "value of a", 10);
    return true;
}

UNIT_TEST(test_replies_out_of_order)
{
    char *reply_a;

    setup(0);
    peer_step = peer_answers_in_reverse;
    CHECK_INT(read_path("a", 1000, &reply_a), 0);
    CHECK_INT(rc_b, 0);
    CHECK_STR(reply_a, "value of a");
    CHECK_STR(reply_b, "value of b");
    free(reply_a);
    free(reply_b);
    CHECK_INT(comms.stats.replies, 2);
    CHECK_INT(hangs, 0);
}

/* A reply to no request and a watch event in between: neither disturbs the request. */
static bool peer_interleaves_strays(void)
{
    struct xsd_sockmsg h;
    char payload[64];

    peer_pull();
    if (!peer_pop(&h, payload))
        return false;
    peer_send(XS_WATCH_EVENT, 0, "data/x\0tok\0", 11);
    peer_send(XS_READ, h.req_id + 1000, "not yours", 9);
    peer_send(XS_WATCH_EVENT, 0, "data/x\0other\0", 13);
    peer_send(XS_READ, h.req_id, "yours", 5);
    return true;
}

UNIT_TEST(test_strays_and_watch_events)
{
    char *value;

    setup(7);
    watched_token = "tok";
    peer_step = peer_interleaves_strays;
    CHECK_INT(read_path("a", 1000, &value), 0);
    CHECK_STR(value, "yours");
    free(value);
    CHECK_INT(watch_hits, 1);
    CHECK_INT(comms.stats.watch_events, 1);
    CHECK_INT(comms.stats.stray, 2);
}

UNIT_TEST(test_response_producer_far_ahead)
{
    char *value;

    setup(100);
    ring->rsp_prod = ring->rsp_cons + XENSTORE_RING_SIZE + 1;
    xs_comms_drain(&comms);
    CHECK(xs_comms_broken(&comms));
    CHECK_INT(ring->rsp_cons, 100); /* nothing taken */
    CHECK_INT(read_path("a", 1000, &value), -ENOTCONN);
    CHECK_INT(req_waiting(), 0); /* nothing sent either */
}

UNIT_TEST(test_response_producer_backwards)
{
    setup(0);
    ring->rsp_prod = ring->rsp_cons - 1;
    xs_comms_drain(&comms);
    CHECK(xs_comms_broken(&comms));
}

UNIT_TEST(test_response_ring_exactly_full_is_fine)
{
    char payload[XENSTORE_RING_SIZE - HDR];
    char *value;

    setup(3);
    /* A whole ring's worth of a watch event nobody set: legal, and taken. */
    memset(payload, 'p', sizeof(payload));
    payload[sizeof(payload) - 3] = '\0';
    payload[sizeof(payload) - 1] = '\0';
    peer_send(XS_WATCH_EVENT, 0, payload, sizeof(payload));
    CHECK_INT(ring->rsp_prod - ring->rsp_cons, XENSTORE_RING_SIZE);
    xs_comms_drain(&comms);
    CHECK(!xs_comms_broken(&comms));
    CHECK_INT(comms.stats.stray, 1);
    peer_step = peer_echo;
    CHECK_INT(read_path("a", 1000, &value), 0);
    free(value);
}

/* A malformed header on the ring while a request waits: the request gets -ENOTCONN. */
static bool peer_sends_garbage(void)
{
    struct xsd_sockmsg h;
    char payload[64];

    peer_pull();
    if (!peer_pop(&h, payload))
        return false;
    peer_send(XS_READ, h.req_id, "", 0);
    ring->rsp[MASK_XENSTORE_IDX(ring->rsp_prod - HDR + 13)] = 0x7f; /* len over the max */
    return true;
}

UNIT_TEST(test_malformed_header_breaks_the_connection)
{
    char *value;

    setup(0);
    peer_step = peer_sends_garbage;
    CHECK_INT(read_path("a", 1000, &value), -ENOTCONN);
    CHECK(xs_comms_broken(&comms));
    CHECK_INT(hangs, 0);
}

UNIT_TEST(test_request_consumer_impossible)
{
    char *value;

    setup(0);
    ring->req_cons = ring->req_prod + 5; /* the daemon took bytes never written */
    CHECK_INT(xs_ring_write(ring, "x", 1), -EBADMSG);
    peer_step = peer_echo;
    CHECK_INT(read_path("a", 1000, &value), -ENOTCONN);
    CHECK(xs_comms_broken(&comms));
}

UNIT_TEST(test_ring_write_wraps_and_fills)
{
    char big[2 * XENSTORE_RING_SIZE];

    setup(XENSTORE_RING_SIZE - 10);
    memset(big, 'z', sizeof(big));
    CHECK_INT(xs_ring_write(ring, big, 30), 30);
    CHECK_INT(ring->req[XENSTORE_RING_SIZE - 1], 'z');
    CHECK_INT(ring->req[19], 'z');
    CHECK_INT(xs_ring_write(ring, big, sizeof(big)), XENSTORE_RING_SIZE - 30);
    CHECK(!xs_ring_has_room(ring));
    CHECK_INT(xs_ring_write(ring, big, 1), 0);
    ring->req_cons += 5;
    CHECK(xs_ring_has_room(ring));
    CHECK_INT(xs_ring_write(ring, big, sizeof(big)), 5);
}

/* The daemon takes requests and never answers: each ends at its deadline. */
UNIT_TEST(test_reply_never_comes)
{
    char *value;

    setup(0);
    peer_step = peer_silent;
    CHECK_INT(read_path("a", 5000, &value), -ETIMEDOUT);
    CHECK_INT(now_ns, 5000);
    CHECK_INT(comms.stats.timeouts, 1);
    CHECK(list_empty(&comms.pending));
    CHECK_INT(hangs, 0);
    /* The late reply is dropped (nothing leaks), and the next request gets its own. */
    peer_send(XS_READ, 1, "late", 4);
    xs_comms_drain(&comms);
    CHECK_INT(comms.stats.stray, 1);
    peer_step = peer_echo;
    CHECK_INT(read_path("b", 6000, &value), 0);
    CHECK_STR(value, "b");
    free(value);
    CHECK_INT(comms.stats.stray, 1);
}

static bool peer_stopped(void)
{
    return false;
}

/* The daemon stops reading: a request longer than the room left ends at its deadline. */
UNIT_TEST(test_request_ring_full)
{
    char value[2000], *reply;
    const char *path = "data/big";

    setup(0);
    memset(value, 'v', sizeof(value));
    peer_step = peer_stopped;
    CHECK_INT(
        xs_comms_request(&comms, XS_WRITE, 0, &path, 1, value, sizeof(value), 100, NULL, NULL),
        -ETIMEDOUT);
    CHECK_INT(req_waiting(), XENSTORE_RING_SIZE); /* half of it went */
    CHECK(!comms.writing);                        /* and the lock is free */
    /* While it is full, another request gives up at its deadline too. */
    CHECK_INT(read_path("a", 200, &reply), -ETIMEDOUT);
    CHECK_INT(now_ns, 200);
    CHECK_INT(hangs, 0);
    /* The daemon reads again: the rest of the first request goes before the next one. */
    peer_step = peer_echo;
    CHECK_INT(read_path("c", 300, &reply), 0);
    CHECK_STR(reply, "c");
    free(reply);
    CHECK_INT(comms.stats.stray, 1); /* the first request's late reply */
    CHECK_INT(req_waiting(), 0);
}

/* A full ring with nothing of the request sent: the request is forgotten, not sent late. */
UNIT_TEST(test_request_not_sent_is_dropped)
{
    char fill[XENSTORE_RING_SIZE], *reply;

    setup(0);
    memset(fill, 0, sizeof(fill));
    CHECK_INT(xs_ring_write(ring, fill, sizeof(fill)), XENSTORE_RING_SIZE);
    peer_step = peer_stopped;
    CHECK_INT(read_path("a", 100, &reply), -ETIMEDOUT);
    CHECK_INT(comms.tx_len, 0);
    ring->req_cons = ring->req_prod; /* the daemon takes the filler */
    peer_step = peer_echo;
    CHECK_INT(read_path("b", 200, &reply), 0);
    CHECK_STR(reply, "b");
    free(reply);
    CHECK_INT(comms.stats.stray, 0);
}

/*
 * The daemon answers a request of which it has seen only the first ring's worth, then
 * moves req_cons somewhere impossible. The reply arrived before the request was all
 * written; the connection broke; the reply must still be freed (LeakSanitizer).
 */
static bool peer_answers_early_then_breaks(void)
{
    struct xsd_sockmsg h;

    if (req_waiting() < HDR || xs_comms_broken(&comms))
        return false;
    for (size_t i = 0; i < HDR; i++)
        ((char *)&h)[i] = ring->req[MASK_XENSTORE_IDX(ring->req_cons + i)];
    peer_send(XS_WRITE, h.req_id, "OK", 3);
    xs_comms_drain(&comms);
    ring->req_cons = ring->req_prod + 100;
    return true;
}

UNIT_TEST(test_early_reply_then_break_does_not_leak)
{
    char value[2000];
    const char *path = "data/big";

    setup(0);
    memset(value, 'v', sizeof(value));
    peer_step = peer_answers_early_then_breaks;
    CHECK_INT(
        xs_comms_request(&comms, XS_WRITE, 0, &path, 1, value, sizeof(value), 100, NULL, NULL),
        -ENOTCONN);
    CHECK(xs_comms_broken(&comms));
    CHECK_INT(comms.stats.replies, 1);
}

/* A peer that breaks the connection while a request waits: -ENOTCONN, no hang. */
static bool peer_breaks(void)
{
    if (xs_comms_broken(&comms))
        return false;
    ring->rsp_prod = ring->rsp_cons - 7;
    return true;
}

UNIT_TEST(test_break_ends_waiting_requests)
{
    char *value;

    setup(0);
    peer_step = peer_breaks;
    CHECK_INT(read_path("a", 0, &value), -ENOTCONN);
    CHECK_INT(hangs, 0);
    CHECK(list_empty(&comms.pending));
}

static const struct unit_test tests[] = {
    UNIT_ENTRY(test_round_trip_across_the_wrap),
    UNIT_ENTRY(test_replies_out_of_order),
    UNIT_ENTRY(test_strays_and_watch_events),
    UNIT_ENTRY(test_response_producer_far_ahead),
    UNIT_ENTRY(test_response_producer_backwards),
    UNIT_ENTRY(test_response_ring_exactly_full_is_fine),
    UNIT_ENTRY(test_malformed_header_breaks_the_connection),
    UNIT_ENTRY(test_request_consumer_impossible),
    UNIT_ENTRY(test_ring_write_wraps_and_fills),
    UNIT_ENTRY(test_reply_never_comes),
    UNIT_ENTRY(test_request_ring_full),
    UNIT_ENTRY(test_request_not_sent_is_dropped),
    UNIT_ENTRY(test_early_reply_then_break_does_not_leak),
    UNIT_ENTRY(test_break_ends_waiting_requests),
};

int main(void)
{
    int rc;

    printk_add_sink(print_sink);
    rc = unit_main(tests, UNIT_COUNT(tests));
    free(ring);
    return rc;
}
