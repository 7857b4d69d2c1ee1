/*
 * libFuzzer target for drivers/xenbus/xs_comms.c: the input plays xenstored, which may
 * move every index it owns (rsp_prod and req_cons) anywhere and write any bytes onto
 * the response ring, while the client sends requests one after another. Each byte of
 * the input, read whenever the client waits, is one move of the daemon; when the
 * input runs out the daemon is silent, time jumps to the deadline and the request
 * times out. Checked after every request: the result is 0 with a NUL-terminated reply
 * or one of the errors the transport may return, no request stays listed, the indices
 * we own moved only forward and never past what the daemon published, and once the
 * connection is broken it stays broken. The ring page is its own allocation, so
 * AddressSanitizer catches any access outside it; LeakSanitizer catches a lost reply.
 *
 * tests/fuzz.mk builds it with clang -fsanitize=fuzzer,address,undefined.
 */

/* Declare ours under the lib_ names, then let the standard names mean glibc's. */
#include "lib/tests/host_names.h"
#include "lib/string.h"
#include "drivers/xenbus/xs_comms.h"
#define HOST_NAMES_RESTORE
#include "lib/tests/host_names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/tests/fuzz.h"

#define HDR sizeof(struct xsd_sockmsg)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static struct xenstore_domain_interface *ring;
static struct xs_comms comms;
static struct fuzz_input in;
static uint64_t now_ns;

/* Put n bytes onto the response ring at rsp_prod, as many as the input holds. */
static void put_rsp_bytes(const void *bytes, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ring->rsp[MASK_XENSTORE_IDX(ring->rsp_prod + i)] = ((const char *)bytes)[i];
    ring->rsp_prod += n;
}

/* A reply whose header is well formed, to the request at req_cons if there is one. */
static void reply_to_oldest(void)
{
    struct xsd_sockmsg h = {0}, req = {0};
    uint8_t type = fuzz_u8(&in), len = fuzz_u8(&in);
    char payload[256];

    if (ring->req_prod - ring->req_cons >= HDR) {
        for (size_t i = 0; i < HDR; i++)
            ((char *)&req)[i] = ring->req[MASK_XENSTORE_IDX(ring->req_cons + i)];
        ring->req_cons += HDR;
        if (req.len <= ring->req_prod - ring->req_cons)
            ring->req_cons += req.len;
    }
    h.type = type & 1 ? req.type : type % XS_TYPE_COUNT;
    h.req_id = type & 2 ? req.req_id : fuzz_u32(&in);
    h.len = len;
    for (size_t i = 0; i < len; i++)
        payload[i] = (char)fuzz_u8(&in);
    put_rsp_bytes(&h, HDR);
    put_rsp_bytes(payload, len);
}

/* One move of the daemon; false when the input is used up. */
static bool daemon_move(void)
{
    uint8_t op, n;
    char bytes[256];

    if (!fuzz_input_left(&in))
        return false;
    op = fuzz_u8(&in);
    switch (op % 8) {
    case 0: /* publish n bytes of whatever */
        n = fuzz_u8(&in);
        for (size_t i = 0; i < n; i++)
            bytes[i] = (char)fuzz_u8(&in);
        put_rsp_bytes(bytes, n);
        break;
    case 1: /* move rsp_prod anywhere, near or far, forward or back */
        ring->rsp_prod = op & 8 ? ring->rsp_cons + (int8_t)fuzz_u8(&in) : fuzz_u32(&in);
        break;
    case 2: /* consume some requests, honestly */
        n = fuzz_u8(&in);
        if (n > ring->req_prod - ring->req_cons)
            n = (uint8_t)(ring->req_prod - ring->req_cons);
        ring->req_cons += n;
        break;
    case 3: /* move req_cons anywhere */
        ring->req_cons = op & 8 ? ring->req_prod + (int8_t)fuzz_u8(&in) : fuzz_u32(&in);
        break;
    case 4:
    case 5:
        reply_to_oldest();
        break;
    case 6: /* a watch event */
        n = fuzz_u8(&in);
        for (size_t i = 0; i < n; i++)
            bytes[i] = (char)fuzz_u8(&in);
        {
            struct xsd_sockmsg h = {.type = XS_WATCH_EVENT, .len = n};

            put_rsp_bytes(&h, HDR);
            put_rsp_bytes(bytes, n);
        }
        break;
    default: /* do nothing this time */
        break;
    }
    return true;
}

static bool fuzz_wait(void *ctx, bool (*ready)(void *arg), void *arg, uint64_t deadline_ns)
{
    (void)ctx;
    for (;;) {
        XENSTORE_RING_IDX before = ring->rsp_cons;

        if (!xs_comms_broken(&comms) && xs_ring_has_responses(ring)) {
            XENSTORE_RING_IDX prod = ring->rsp_prod;
            XENSTORE_RING_IDX published = prod - before <= XENSTORE_RING_SIZE ? prod - before : 0;

            xs_comms_drain(&comms);
            /* Taken only forward, and never more than a possible producer published. */
            REQUIRE(ring->rsp_cons - before <= published);
        }
        if (ready(arg))
            return true;
        if (daemon_move())
            continue;
        REQUIRE(deadline_ns != 0); /* nothing left could end this wait: a hang */
        if (now_ns < deadline_ns)
            now_ns = deadline_ns;
        return ready(arg);
    }
}

static void fuzz_notify(void *ctx)
{
    (void)ctx;
}

static void fuzz_wake(void *ctx)
{
    (void)ctx;
}

static bool fuzz_watch_event(void *ctx, const char *path, const char *token)
{
    (void)ctx;
    REQUIRE(strlen(path) < XENSTORE_PAYLOAD_MAX && strlen(token) < XENSTORE_PAYLOAD_MAX);
    return token[0] == 'w';
}

static const struct xs_comms_ops fuzz_ops = {
    .notify = fuzz_notify,
    .wait = fuzz_wait,
    .wake = fuzz_wake,
    .watch_event = fuzz_watch_event,
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    ring = malloc(sizeof(*ring));
    return 0;
}

static bool allowed_error(int rc)
{
    switch (-rc) {
    case ETIMEDOUT:
    case ENOTCONN:
    case EBADMSG:
    case EIO:
    case ENOMEM:
        return true;
    }
    for (size_t i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++) {
        if (-rc == xsd_errors[i].errnum)
            return true;
    }
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char big[2000];
    XENSTORE_RING_IDX start;
    int requests = 0;

    fuzz_input_init(&in, data, size);
    now_ns = 0;
    memset(ring, 0, sizeof(*ring));
    start = fuzz_u32(&in); /* the indices need not start at 0 */
    ring->req_cons = ring->req_prod = ring->rsp_cons = ring->rsp_prod = start;
    xs_comms_init(&comms, ring, &fuzz_ops, NULL);
    memset(big, 'v', sizeof(big));

    /* Requests until the input is used up, and a few more against a silent daemon. */
    while (requests < 64 && (fuzz_input_left(&in) || requests < 3)) {
        const char *path = "data/fuzz";
        uint8_t kind = fuzz_u8(&in);
        bool was_broken = xs_comms_broken(&comms);
        char *reply = NULL;
        uint32_t len = 0;
        int rc;

        if (kind & 1)
            rc = xs_comms_request(&comms, XS_WRITE, 0, &path, 1, big, kind & 2 ? sizeof(big) : 3,
                                  now_ns + 1000, NULL, NULL);
        else
            rc = xs_comms_request(&comms, XS_READ, 0, &path, 1, NULL, 0, now_ns + 1000, &reply,
                                  &len);
        requests++;
        REQUIRE(rc == 0 || allowed_error(rc));
        if (was_broken)
            REQUIRE(rc == -ENOTCONN);
        if (rc == 0 && !(kind & 1)) {
            REQUIRE(reply != NULL && len <= XENSTORE_PAYLOAD_MAX && reply[len] == '\0');
            free(reply);
        }
        REQUIRE(list_empty(&comms.pending));
        REQUIRE(!comms.writing);
        REQUIRE(comms.tx_off <= comms.tx_len && comms.tx_len <= sizeof(comms.tx_buf));
        REQUIRE(comms.stats.replies + comms.stats.timeouts <= comms.stats.requests + requests);
    }
    return 0;
}
