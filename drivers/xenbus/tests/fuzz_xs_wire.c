/*
 * libFuzzer target for drivers/xenbus/xs_wire.c: arbitrary bytes play the daemon's side of the
 * response ring. The first byte picks how the rest is cut into pieces for
 * xs_reader_feed; every message that comes out whole goes through each reply parser,
 * and every answer is checked against what the header promises (pointers inside the
 * body, counts within max, numbers that print back to the same digits). Requests
 * built from the strings found are read back through a second reader. Any broken
 * promise aborts, which libFuzzer reports as a crash.
 *
 * tests/fuzz.mk builds it with clang -fsanitize=fuzzer,address,undefined.
 */

/* Declare ours under the lib_ names, then let the standard names mean glibc's. */
#include "lib/tests/host_names.h"
#include "lib/string.h"
#include "drivers/xenbus/xs_wire.h"
#define HOST_NAMES_RESTORE
#include "lib/tests/host_names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/tests/fuzz.h"

#define HDR     sizeof(struct xsd_sockmsg)
#define MSG_MAX (HDR + XENSTORE_PAYLOAD_MAX)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool known_errno(int err)
{
    for (size_t i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++) {
        if (err == -xsd_errors[i].errnum)
            return true;
    }
    return false;
}

static void check_errno(const char *body, size_t len)
{
    int err = xs_wire_errno(body, len);

    REQUIRE(err == -EIO || known_errno(err));
}

static void check_reply_status(const struct xsd_sockmsg *hdr, const char *body)
{
    const enum xsd_sockmsg_type expected[] = {XS_READ, XS_DIRECTORY, XS_TRANSACTION_START, XS_WATCH,
                                              (enum xsd_sockmsg_type)hdr->type};

    for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
        int st = xs_wire_reply_status(hdr, body, expected[i]);

        if (hdr->type == XS_ERROR)
            REQUIRE(st == xs_wire_errno(body, hdr->len) && st < 0);
        else if (hdr->type == (uint32_t)expected[i])
            REQUIRE(st == 0);
        else
            REQUIRE(st == -EBADMSG);
    }
}

/* Split with this max, and check the result against the body byte by byte. */
static int check_split(const char *body, size_t len, size_t max, const char **out)
{
    size_t nuls = 0, filled;
    int n;

    for (size_t i = 0; i < len; i++)
        nuls += body[i] == '\0';
    n = xs_wire_split(body, len, out, max);
    if (len > 0 && body[len - 1] != '\0') {
        REQUIRE(n == -EBADMSG);
        return n;
    }
    if (nuls > max) {
        REQUIRE(n == -E2BIG);
        filled = max;
    } else {
        REQUIRE(n >= 0 && (size_t)n == nuls && (size_t)n <= max);
        filled = (size_t)n;
    }
    /* Consecutive strings, each inside the body with its NUL. */
    for (size_t i = 0; i < filled; i++) {
        const char *want = i == 0 ? body : out[i - 1] + strlen(out[i - 1]) + 1;

        REQUIRE(out[i] == want);
        REQUIRE(out[i] >= body && out[i] < body + len);
        REQUIRE(memchr(out[i], '\0', (size_t)(body + len - out[i])) != NULL);
    }
    return n;
}

static void check_watch_event(const char *body, size_t len)
{
    const char *path = NULL, *token = NULL, *s[3];
    int n = check_split(body, len, 3, s);
    int rc = xs_wire_watch_event(body, len, &path, &token);

    if (n == 2) {
        REQUIRE(rc == 0 && path == s[0] && token == s[1]);
    } else {
        REQUIRE(rc == -EBADMSG);
        REQUIRE(path == NULL && token == NULL);
    }
}

static void check_number(const char *body, size_t len, uint64_t max)
{
    uint64_t value = 0xdeadbeef;
    char text[24];
    size_t digits = len > 0 && body[len - 1] == '\0' ? len - 1 : len;

    if (xs_wire_number(body, len, max, &value) != 0) {
        REQUIRE(value == 0xdeadbeef);
        return;
    }
    /* Accepted: it must print back to exactly the digits given. */
    REQUIRE(value <= max);
    snprintf(text, sizeof(text), "%llu", (unsigned long long)value);
    REQUIRE(strlen(text) == digits && memcmp(text, body, digits) == 0);
}

/* An independent reading of docs/misc/xenstore.txt's path rules. */
static bool path_reference(const char *p, bool special_ok)
{
    size_t len = strlen(p);
    bool special = p[0] == '@';
    size_t max = p[0] == '/' ? XENSTORE_ABS_PATH_MAX : XENSTORE_REL_PATH_MAX;

    if (len == 0 || len > max || (special && (!special_ok || len < 2)))
        return false;
    if (strcmp(p, "/") == 0)
        return true;
    for (size_t i = special ? 1 : 0; i < len; i++) {
        char c = p[i];

        if (c == '/' && (special || p[i + 1] == '/' || p[i + 1] == '\0'))
            return false;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '/'))
            return false;
    }
    return true;
}

/* Build a request from strings and data, read it back, and compare. */
static void check_build(const char *const *strings, size_t n, const void *data, size_t data_len)
{
    static unsigned char buf[MSG_MAX];
    static struct xs_reader r;
    size_t payload = data_len;
    int status, len;

    for (size_t i = 0; i < n; i++)
        payload += strlen(strings[i]) + 1;
    len = xs_wire_build(buf, sizeof(buf), XS_WRITE, 1, 2, strings, n, data, data_len);
    if (payload > XENSTORE_PAYLOAD_MAX) {
        REQUIRE(len == -E2BIG);
        return;
    }
    REQUIRE(len >= 0 && (size_t)len == HDR + payload);
    /* One byte less room must fail. */
    REQUIRE(xs_wire_build(buf, (size_t)len - 1, XS_WRITE, 1, 2, strings, n, data, data_len) ==
            -E2BIG);

    xs_reader_init(&r);
    REQUIRE(xs_reader_feed(&r, buf, (size_t)len, &status) == (size_t)len);
    REQUIRE(status == 1);
    REQUIRE(r.hdr.type == XS_WRITE && r.hdr.req_id == 1 && r.hdr.tx_id == 2);
    REQUIRE(r.hdr.len == payload);
    const char *p = r.body;
    for (size_t i = 0; i < n; i++) {
        size_t sl = strlen(strings[i]) + 1;

        REQUIRE(memcmp(p, strings[i], sl) == 0);
        p += sl;
    }
    REQUIRE(data_len == 0 || memcmp(p, data, data_len) == 0);
}

static void check_message(const struct xs_reader *r)
{
    const char *body = r->body;
    size_t len = r->hdr.len;
    static const char *out[XENSTORE_PAYLOAD_MAX];
    int n;

    REQUIRE(len <= XENSTORE_PAYLOAD_MAX);
    REQUIRE(r->hdr.type < XS_TYPE_COUNT);
    REQUIRE(r->have == HDR + len);
    REQUIRE(body[len] == '\0');
    REQUIRE(!r->broken);

    check_reply_status(&r->hdr, body);
    check_errno(body, len);
    check_split(body, len, 0, out);
    check_split(body, len, 1, out);
    check_split(body, len, 4, out);
    n = check_split(body, len, XENSTORE_PAYLOAD_MAX, out);
    check_watch_event(body, len);
    check_number(body, len, UINT64_MAX);
    check_number(body, len, UINT32_MAX);
    check_number(body, len, 65535);
    check_number(body, len, 0);

    /* The body is NUL-terminated, so its first string can be tried as a path. */
    for (int special = 0; special < 2; special++)
        REQUIRE(xs_wire_path_ok(body, special) == path_reference(body, special));

    /* Its strings (a few of them) become a request; the rest of the payload is data. */
    if (n > 0) {
        size_t k = n < 4 ? (size_t)n : 4;
        const char *last = out[k - 1];
        size_t used = (size_t)(last - body) + strlen(last) + 1;

        check_build(out, k, body + used, len - used);
        check_build(out, k, body, len); /* often past XENSTORE_PAYLOAD_MAX */
    }
    check_build(NULL, 0, body, len);
}

/* The chunk sizes: a tiny generator seeded by the first byte, so inputs replay exactly. */
static size_t next_chunk(uint32_t *state, uint8_t mode)
{
    if (mode == 0xff)
        return SIZE_MAX; /* everything at once */
    *state = *state * 1103515245u + 12345u;
    if (mode < 0x10)
        return 1 + mode; /* fixed small pieces, down to byte by byte */
    return 1 + (*state >> 16) % (1u + (size_t)mode * 32);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct xs_reader r;
    uint32_t state;
    uint8_t mode;
    size_t off = 1;

    if (size < 1)
        return 0;
    mode = data[0];
    state = mode;
    xs_reader_init(&r);
    while (off < size) {
        size_t piece = next_chunk(&state, mode);
        size_t used;
        int status = 99;

        if (piece > size - off)
            piece = size - off;
        used = xs_reader_feed(&r, data + off, piece, &status);
        REQUIRE(used <= piece);
        REQUIRE(r.have <= MSG_MAX);
        off += used;
        if (status == -EBADMSG) {
            REQUIRE(r.broken);
            /* Broken for good: nothing more is taken. */
            REQUIRE(xs_reader_feed(&r, data + off, size - off, &status) == 0);
            REQUIRE(status == -EBADMSG);
            break;
        }
        if (status == 1) {
            check_message(&r);
        } else {
            REQUIRE(status == 0);
            REQUIRE(used == piece); /* an unfinished message takes all it is given */
        }
    }
    return 0;
}
