/*
 * Host tests for drivers/xenbus/xs_wire.c: every request shape laid out byte for byte, the
 * XENSTORE_PAYLOAD_MAX and buffer limits at their edges, the reader fed whole, byte by
 * byte and in random pieces, and each reply parser on well-formed and broken payloads.
 */

/* Declare ours under the lib_ names, then let the standard names mean glibc's. */
#include "lib/tests/host_names.h"
#include "lib/string.h"
#include "drivers/xenbus/xs_wire.h"
#define HOST_NAMES_RESTORE
#include "lib/tests/host_names.h"

#include <stdlib.h>
#include "lib/tests/unit.h"

#define HDR     sizeof(struct xsd_sockmsg)
#define MSG_MAX (HDR + XENSTORE_PAYLOAD_MAX)

static struct xsd_sockmsg header_of(const void *buf)
{
    struct xsd_sockmsg h;

    memcpy(&h, buf, HDR);
    return h;
}

/* A message as the daemon would put it on the ring; returns its length. */
static size_t make_msg(unsigned char *buf, uint32_t type, uint32_t req_id, const void *payload,
                       uint32_t len)
{
    struct xsd_sockmsg h = {.type = type, .req_id = req_id, .tx_id = 7, .len = len};

    memcpy(buf, &h, HDR);
    if (len)
        memcpy(buf + HDR, payload, len);
    return HDR + len;
}

/* ---- xs_wire_build ---- */

UNIT_TEST(test_build_read)
{
    unsigned char buf[64];
    const char *s[] = {"device/vif/0/state"};
    int n = xs_wire_build(buf, sizeof(buf), XS_READ, 5, 9, s, 1, NULL, 0);
    struct xsd_sockmsg h = header_of(buf);

    CHECK_INT(n, HDR + 19);
    CHECK_INT(h.type, XS_READ);
    CHECK_INT(h.req_id, 5);
    CHECK_INT(h.tx_id, 9);
    CHECK_INT(h.len, 19);
    CHECK(memcmp(buf + HDR, "device/vif/0/state\0", 19) == 0);
}

UNIT_TEST(test_build_write)
{
    unsigned char buf[64];
    const char *s[] = {"a/b"};
    int n = xs_wire_build(buf, sizeof(buf), XS_WRITE, 1, 0, s, 1, "value", 5);

    /* The value comes last, with no NUL of its own. */
    CHECK_INT(n, HDR + 9);
    CHECK_INT(header_of(buf).len, 9);
    CHECK(memcmp(buf + HDR, "a/b\0value", 9) == 0);

    /* A value is bytes: NULs inside it are copied as they are. */
    n = xs_wire_build(buf, sizeof(buf), XS_WRITE, 1, 0, s, 1, "x\0y", 3);
    CHECK_INT(n, HDR + 7);
    CHECK(memcmp(buf + HDR, "a/b\0x\0y", 7) == 0);

    /* An empty value: the path and its NUL only. */
    n = xs_wire_build(buf, sizeof(buf), XS_WRITE, 1, 0, s, 1, NULL, 0);
    CHECK_INT(n, HDR + 4);
    CHECK_INT(header_of(buf).len, 4);
}

UNIT_TEST(test_build_watch)
{
    unsigned char buf[64];
    const char *s[] = {"backend", "tok1"};
    int n = xs_wire_build(buf, sizeof(buf), XS_WATCH, 3, 0, s, 2, NULL, 0);

    CHECK_INT(n, HDR + 13);
    CHECK_INT(header_of(buf).type, XS_WATCH);
    CHECK(memcmp(buf + HDR, "backend\0tok1\0", 13) == 0);
}

UNIT_TEST(test_build_transaction_start)
{
    unsigned char buf[64];
    const char *s[] = {""};
    int n = xs_wire_build(buf, sizeof(buf), XS_TRANSACTION_START, 2, 0, s, 1, NULL, 0);

    CHECK_INT(n, HDR + 1);
    CHECK_INT(header_of(buf).len, 1);
    CHECK_INT(buf[HDR], 0);
}

UNIT_TEST(test_build_empty_payload)
{
    unsigned char buf[HDR];
    int n = xs_wire_build(buf, sizeof(buf), XS_RESET_WATCHES, 4, 0, NULL, 0, NULL, 0);

    CHECK_INT(n, HDR);
    CHECK_INT(header_of(buf).len, 0);
    CHECK_INT(header_of(buf).type, XS_RESET_WATCHES);
}

UNIT_TEST(test_build_unaligned)
{
    unsigned char area[80];
    const char *s[] = {"p"};
    int n =
        xs_wire_build(area + 1, sizeof(area) - 1, XS_WRITE, 0x01020304, 0x05060708, s, 1, "v", 1);
    struct xsd_sockmsg h = header_of(area + 1);

    CHECK_INT(n, HDR + 3);
    CHECK_INT(h.req_id, 0x01020304);
    CHECK_INT(h.tx_id, 0x05060708);
    CHECK(memcmp(area + 1 + HDR, "p\0v", 3) == 0);
}

UNIT_TEST(test_build_payload_max)
{
    static unsigned char buf[MSG_MAX + 16], data[XENSTORE_PAYLOAD_MAX + 2];
    static char big[XENSTORE_PAYLOAD_MAX + 2];
    const char *s[] = {"p"};
    const char *two[2];

    memset(data, 'd', sizeof(data));
    /* "p\0" and 4094 bytes of value: exactly XENSTORE_PAYLOAD_MAX. */
    CHECK_INT(xs_wire_build(buf, sizeof(buf), XS_WRITE, 0, 0, s, 1, data, 4094), MSG_MAX);
    CHECK_INT(header_of(buf).len, XENSTORE_PAYLOAD_MAX);
    CHECK_INT(xs_wire_build(buf, sizeof(buf), XS_WRITE, 0, 0, s, 1, data, 4095), -E2BIG);
    /* Data alone. */
    CHECK_INT(xs_wire_build(buf, sizeof(buf), XS_WRITE, 0, 0, NULL, 0, data, 4096), MSG_MAX);
    CHECK_INT(xs_wire_build(buf, sizeof(buf), XS_WRITE, 0, 0, NULL, 0, data, 4097), -E2BIG);
    CHECK_INT(xs_wire_build(buf, sizeof(buf), XS_WRITE, 0, 0, NULL, 0, data, SIZE_MAX), -E2BIG);

    /* One string of 4095 characters and its NUL fits; 4096 characters do not. */
    memset(big, 'a', sizeof(big));
    big[4095] = '\0';
    s[0] = big;
    CHECK_INT(xs_wire_build(buf, sizeof(buf), XS_READ, 0, 0, s, 1, NULL, 0), MSG_MAX);
    CHECK(buf[MSG_MAX - 1] == 0);
    big[4095] = 'a';
    big[4096] = '\0';
    CHECK_INT(xs_wire_build(buf, sizeof(buf), XS_READ, 0, 0, s, 1, NULL, 0), -E2BIG);
    /* ... even when the string runs on further. */
    big[4096] = 'a';
    big[4097] = '\0';
    CHECK_INT(xs_wire_build(buf, sizeof(buf), XS_READ, 0, 0, s, 1, NULL, 0), -E2BIG);

    /* Two strings that fit apart but not together: 4094 + 1 + 1 + 1 = 4097. */
    big[4094] = '\0';
    two[0] = big;
    two[1] = "x";
    CHECK_INT(xs_wire_build(buf, sizeof(buf), XS_WATCH, 0, 0, two, 2, NULL, 0), -E2BIG);
    two[1] = "";
    CHECK_INT(xs_wire_build(buf, sizeof(buf), XS_WATCH, 0, 0, two, 2, NULL, 0), MSG_MAX);
    /* The strings fill the payload: not even one byte of data is left. */
    CHECK_INT(xs_wire_build(buf, sizeof(buf), XS_WRITE, 0, 0, two, 2, data, 1), -E2BIG);
}

UNIT_TEST(test_build_cap)
{
    unsigned char buf[64], want[64];
    const char *s[] = {"abc"};

    /* HDR + "abc\0" + "xy" = HDR + 6: that cap fits, one less does not. */
    CHECK_INT(xs_wire_build(buf, HDR + 6, XS_WRITE, 0, 0, s, 1, "xy", 2), HDR + 6);

    /* On -E2BIG nothing is written. */
    memset(buf, 0xa5, sizeof(buf));
    memset(want, 0xa5, sizeof(want));
    CHECK_INT(xs_wire_build(buf, HDR + 5, XS_WRITE, 0, 0, s, 1, "xy", 2), -E2BIG);
    CHECK_INT(xs_wire_build(buf, HDR, XS_WRITE, 0, 0, s, 1, NULL, 0), -E2BIG);
    CHECK_INT(xs_wire_build(buf, HDR - 1, XS_RESET_WATCHES, 0, 0, NULL, 0, NULL, 0), -E2BIG);
    CHECK_INT(xs_wire_build(buf, 0, XS_RESET_WATCHES, 0, 0, NULL, 0, NULL, 0), -E2BIG);
    CHECK(memcmp(buf, want, sizeof(buf)) == 0);
    CHECK_INT(xs_wire_build(buf, HDR, XS_RESET_WATCHES, 0, 0, NULL, 0, NULL, 0), HDR);
}

/* ---- xs_reader ---- */

UNIT_TEST(test_reader_whole_message)
{
    static struct xs_reader r;
    unsigned char buf[64];
    size_t n = make_msg(buf, XS_READ, 11, "hello", 5);
    int status = 99;

    xs_reader_init(&r);
    CHECK_INT(xs_reader_feed(&r, buf, n, &status), n);
    CHECK_INT(status, 1);
    CHECK_INT(r.hdr.type, XS_READ);
    CHECK_INT(r.hdr.req_id, 11);
    CHECK_INT(r.hdr.tx_id, 7);
    CHECK_INT(r.hdr.len, 5);
    CHECK_STR(r.body, "hello"); /* terminated by the reader */
    CHECK_INT(r.have, n);
}

UNIT_TEST(test_reader_nothing_given)
{
    static struct xs_reader r;
    int status = 99;

    xs_reader_init(&r);
    CHECK_INT(xs_reader_feed(&r, NULL, 0, &status), 0);
    CHECK_INT(status, 0);
    CHECK_INT(r.have, 0);
}

UNIT_TEST(test_reader_byte_by_byte)
{
    static struct xs_reader r;
    unsigned char buf[64];
    size_t n = make_msg(buf, XS_DIRECTORY, 3, "a\0bc\0", 5);
    int status;

    xs_reader_init(&r);
    for (size_t i = 0; i < n; i++) {
        CHECK_INT(xs_reader_feed(&r, buf + i, 1, &status), 1);
        CHECK_INT(status, i + 1 == n ? 1 : 0);
        CHECK_INT(r.have, i + 1);
    }
    CHECK_INT(r.hdr.len, 5);
    CHECK(memcmp(r.body, "a\0bc\0\0", 6) == 0);
}

UNIT_TEST(test_reader_empty_payload)
{
    static struct xs_reader r;
    unsigned char buf[2 * HDR];
    size_t n = make_msg(buf, XS_RESET_WATCHES, 1, NULL, 0);
    int status;

    xs_reader_init(&r);
    /* A header with len 0 completes the message with its last byte. */
    CHECK_INT(xs_reader_feed(&r, buf, HDR - 1, &status), HDR - 1);
    CHECK_INT(status, 0);
    CHECK_INT(xs_reader_feed(&r, buf + HDR - 1, 1, &status), 1);
    CHECK_INT(status, 1);
    CHECK_INT(r.hdr.len, 0);
    CHECK_STR(r.body, "");
    /* Two of them back to back: each call stops after one. */
    memcpy(buf + n, buf, n);
    CHECK_INT(xs_reader_feed(&r, buf, 2 * n, &status), n);
    CHECK_INT(status, 1);
    CHECK_INT(xs_reader_feed(&r, buf + n, n, &status), n);
    CHECK_INT(status, 1);
}

UNIT_TEST(test_reader_several_in_one_feed)
{
    static struct xs_reader r;
    static unsigned char buf[3 * MSG_MAX];
    size_t len[3], off = 0;
    int status;

    len[0] = make_msg(buf, XS_READ, 1, "one", 3);
    len[1] = make_msg(buf + len[0], XS_WATCH_EVENT, 0, "p\0t\0", 4);
    len[2] = make_msg(buf + len[0] + len[1], XS_ERROR, 3, "ENOENT\0", 7);
    xs_reader_init(&r);

    CHECK_INT(xs_reader_feed(&r, buf, len[0] + len[1] + len[2], &status), len[0]);
    CHECK_INT(status, 1);
    CHECK_STR(r.body, "one");
    off += len[0];
    CHECK_INT(xs_reader_feed(&r, buf + off, len[1] + len[2], &status), len[1]);
    CHECK_INT(status, 1);
    CHECK_INT(r.hdr.type, XS_WATCH_EVENT);
    CHECK(memcmp(r.body, "p\0t\0", 5) == 0);
    off += len[1];
    /* The last one in two pieces, split inside its header. */
    CHECK_INT(xs_reader_feed(&r, buf + off, 5, &status), 5);
    CHECK_INT(status, 0);
    CHECK_INT(xs_reader_feed(&r, buf + off + 5, len[2] - 5 + 100, &status), len[2] - 5);
    CHECK_INT(status, 1);
    CHECK_INT(r.hdr.type, XS_ERROR);
    CHECK_INT(r.hdr.req_id, 3);
    CHECK_STR(r.body, "ENOENT");
}

UNIT_TEST(test_reader_body_terminated)
{
    static struct xs_reader r;
    static unsigned char buf[MSG_MAX];
    static char payload[XENSTORE_PAYLOAD_MAX];
    size_t n;
    int status;

    /* A long message, then a short one: the short one's end is still terminated. */
    memset(payload, 'x', sizeof(payload));
    xs_reader_init(&r);
    n = make_msg(buf, XS_READ, 1, payload, 100);
    CHECK_INT(xs_reader_feed(&r, buf, n, &status), n);
    n = make_msg(buf, XS_READ, 2, "ab", 2);
    CHECK_INT(xs_reader_feed(&r, buf, n, &status), n);
    CHECK_INT(status, 1);
    CHECK_STR(r.body, "ab");
}

UNIT_TEST(test_reader_payload_max)
{
    static struct xs_reader r;
    static unsigned char buf[MSG_MAX + 1];
    static char payload[XENSTORE_PAYLOAD_MAX];
    int status;

    memset(payload, 'y', sizeof(payload));
    xs_reader_init(&r);
    CHECK_INT(xs_reader_feed(&r, buf, make_msg(buf, XS_READ, 1, payload, 4096), &status), MSG_MAX);
    CHECK_INT(status, 1);
    CHECK_INT(r.hdr.len, 4096);
    CHECK(memcmp(r.body, payload, 4096) == 0);
    CHECK_INT(r.body[4096], 0);
    CHECK(!r.broken);
}

/* A header that completes as impossible breaks the reader for good. */
static void check_breaks(uint32_t type, uint32_t len)
{
    static struct xs_reader r;
    static unsigned char buf[HDR + 64];
    struct xsd_sockmsg h = {.type = type, .req_id = 1, .len = len};
    int status;

    memset(buf, 'z', sizeof(buf));
    memcpy(buf, &h, HDR);
    xs_reader_init(&r);
    CHECK_INT(xs_reader_feed(&r, buf, HDR - 1, &status), HDR - 1);
    CHECK_INT(status, 0);
    /* Only the header's last byte is taken, not the bytes after it. */
    CHECK_INT(xs_reader_feed(&r, buf + HDR - 1, 10, &status), 1);
    CHECK_INT(status, -EBADMSG);
    CHECK(r.broken);
    for (int i = 0; i < 3; i++) {
        status = 99;
        CHECK_INT(xs_reader_feed(&r, buf, sizeof(buf), &status), 0);
        CHECK_INT(status, -EBADMSG);
    }
    /* A fresh start is the only way out. */
    xs_reader_init(&r);
    CHECK(!r.broken);
}

UNIT_TEST(test_reader_bad_header)
{
    check_breaks(XS_READ, XENSTORE_PAYLOAD_MAX + 1);
    check_breaks(XS_READ, UINT32_MAX);
    check_breaks(XS_TYPE_COUNT, 0);
    check_breaks(XS_INVALID, 4);
    check_breaks(UINT32_MAX, 0);
}

UNIT_TEST(test_reader_known_types_pass)
{
    static struct xs_reader r;
    unsigned char buf[64];
    int status;

    /* Every type below XS_TYPE_COUNT frames fine, the removed XS_RESTRICT slot too. */
    for (uint32_t t = 0; t < XS_TYPE_COUNT; t++) {
        size_t n = make_msg(buf, t, 1, "OK", 3);

        xs_reader_init(&r);
        CHECK_INT(xs_reader_feed(&r, buf, n, &status), n);
        CHECK_INT(status, 1);
    }
}

/* A random stream of messages, fed in random pieces, comes out whole and in order. */
UNIT_TEST(test_reader_random_chunks)
{
    enum { MSGS = 200 };
    static struct xs_reader r;
    static unsigned char stream[MSGS * (HDR + 600) + MSG_MAX];
    static uint32_t lens[MSGS];
    size_t total = 0, off = 0, start[MSGS];
    int done = 0, status;

    unit_rng_seed(42);
    for (int i = 0; i < MSGS; i++) {
        unsigned char payload[XENSTORE_PAYLOAD_MAX];
        uint32_t len = (uint32_t)unit_rng_below(600);

        if (i == 7)
            len = XENSTORE_PAYLOAD_MAX;
        else if (i % 13 == 0)
            len = 0;
        for (uint32_t j = 0; j < len; j++)
            payload[j] = (unsigned char)(i + j * 3);
        lens[i] = len;
        start[i] = total;
        total += make_msg(stream + total, (uint32_t)i % XS_TYPE_COUNT, (uint32_t)i, payload, len);
    }

    xs_reader_init(&r);
    while (off < total) {
        size_t piece = 1 + unit_rng_below(unit_rng_below(4) ? 40 : 5000);
        size_t used;

        if (piece > total - off)
            piece = total - off;
        used = xs_reader_feed(&r, stream + off, piece, &status);
        CHECK(used <= piece);
        CHECK(r.have <= MSG_MAX);
        off += used;
        if (status == 1) {
            CHECK(done < MSGS);
            if (done >= MSGS)
                break;
            CHECK_INT(off, start[done] + HDR + lens[done]);
            CHECK_INT(r.hdr.req_id, done);
            CHECK_INT(r.hdr.len, lens[done]);
            CHECK(memcmp(r.body, stream + start[done] + HDR, lens[done]) == 0);
            CHECK_INT(r.body[lens[done]], 0);
            done++;
        } else {
            CHECK_INT(status, 0);
            CHECK_INT(used, piece); /* an incomplete message takes everything */
            if (status != 0)
                break;
        }
    }
    CHECK_INT(done, MSGS);
}

/* ---- replies ---- */

UNIT_TEST(test_reply_status)
{
    struct xsd_sockmsg h = {.type = XS_READ, .len = 3};

    CHECK_INT(xs_wire_reply_status(&h, "abc", XS_READ), 0);
    CHECK_INT(xs_wire_reply_status(&h, "abc", XS_WRITE), -EBADMSG);
    h.type = XS_WATCH_EVENT;
    CHECK_INT(xs_wire_reply_status(&h, "abc", XS_READ), -EBADMSG);
    h.type = XS_SET_TARGET + 1; /* the removed XS_RESTRICT */
    CHECK_INT(xs_wire_reply_status(&h, "abc", XS_READ), -EBADMSG);
    h.type = XS_TYPE_COUNT;
    CHECK_INT(xs_wire_reply_status(&h, "abc", XS_READ), -EBADMSG);
    /* A length the reader would never have passed. */
    h.type = XS_READ;
    h.len = XENSTORE_PAYLOAD_MAX + 1;
    CHECK_INT(xs_wire_reply_status(&h, "abc", XS_READ), -EBADMSG);
}

UNIT_TEST(test_reply_error_strings)
{
    struct xsd_sockmsg h = {.type = XS_ERROR};
    size_t count = sizeof(xsd_errors) / sizeof(xsd_errors[0]);

    CHECK_INT(count, 16);
    for (size_t i = 0; i < count; i++) {
        const char *name = xsd_errors[i].errstring;
        size_t len = strlen(name);

        /* Terminated, as xenstored sends it, and not. */
        h.len = (uint32_t)len + 1;
        CHECK_INT(xs_wire_reply_status(&h, name, XS_READ), -xsd_errors[i].errnum);
        h.len = (uint32_t)len;
        CHECK_INT(xs_wire_reply_status(&h, name, XS_READ), -xsd_errors[i].errnum);
        /* The name as lib/errno.c spells it: the two tables agree. */
        CHECK_STR(errno_name(xsd_errors[i].errnum), name);
        /* An error reply is an error even to a request "of type XS_ERROR". */
        CHECK_INT(xs_wire_reply_status(&h, name, XS_ERROR), -xsd_errors[i].errnum);
    }
    /* A few by hand, against lib/errno.h. */
    CHECK_INT(xs_wire_errno("ENOENT", 7), -ENOENT);
    CHECK_INT(xs_wire_errno("EACCES", 6), -EACCES);
    CHECK_INT(xs_wire_errno("EAGAIN", 7), -EAGAIN);
    CHECK_INT(xs_wire_errno("EISCONN", 8), -EISCONN);
    CHECK_INT(xs_wire_errno("E2BIG", 6), -E2BIG);
    CHECK_INT(xs_wire_errno("EPERM", 6), -EPERM);
}

UNIT_TEST(test_reply_error_unknown)
{
    struct xsd_sockmsg h = {.type = XS_ERROR, .len = 6};

    CHECK_INT(xs_wire_reply_status(&h, "EWHAT", XS_READ), -EIO);
    CHECK_INT(xs_wire_errno("", 0), -EIO);
    CHECK_INT(xs_wire_errno("", 1), -EIO);
    CHECK_INT(xs_wire_errno("ENOEN", 6), -EIO);      /* a prefix */
    CHECK_INT(xs_wire_errno("ENOENTX", 8), -EIO);    /* a longer name */
    CHECK_INT(xs_wire_errno("ENOENT", 5), -EIO);     /* cut short by len */
    CHECK_INT(xs_wire_errno("ENOENT\0\0", 8), -EIO); /* two NULs */
    CHECK_INT(xs_wire_errno("ENOENT\0x", 8), -EIO);  /* bytes after the NUL */
    CHECK_INT(xs_wire_errno("enoent", 7), -EIO);     /* names are case-sensitive */
    CHECK_INT(xs_wire_errno("EOVERFLOW", 10), -EIO); /* ours, but not in xsd_errors */
}

UNIT_TEST(test_reply_error_unterminated)
{
    /* The name fills the buffer exactly: ASan sees any read past it. */
    char *p = malloc(6);

    memcpy(p, "EEXIST", 6);
    CHECK_INT(xs_wire_errno(p, 6), -EEXIST);
    CHECK_INT(xs_wire_errno(p, 3), -EIO);
    free(p);
}

UNIT_TEST(test_split)
{
    const char *out[4] = {NULL};
    const char body[] = "a\0bc\0\0d"; /* 8 bytes, the last the literal's NUL */

    CHECK_INT(xs_wire_split(body, 0, out, 4), 0);
    CHECK_INT(xs_wire_split(body, 0, NULL, 0), 0);
    CHECK_INT(xs_wire_split(body, 2, out, 4), 1);
    CHECK(out[0] == body);
    CHECK_INT(xs_wire_split(body, 5, out, 4), 2);
    CHECK(out[0] == body && out[1] == body + 2);
    CHECK_STR(out[1], "bc");
    /* An empty string is a string. */
    CHECK_INT(xs_wire_split(body, 6, out, 4), 3);
    CHECK(out[2] == body + 5);
    CHECK_STR(out[2], "");
    CHECK_INT(xs_wire_split(body, 8, out, 4), 4);
    CHECK_STR(out[3], "d");
    CHECK_INT(xs_wire_split("\0", 1, out, 1), 1);
    CHECK_STR(out[0], "");
}

UNIT_TEST(test_split_unterminated)
{
    const char *out[4] = {NULL, NULL, NULL, NULL};
    char *p = malloc(4);

    memcpy(p, "a\0bc", 4);
    CHECK_INT(xs_wire_split(p, 4, out, 4), -EBADMSG);
    CHECK_INT(xs_wire_split(p, 1, out, 4), -EBADMSG);
    CHECK(out[0] == NULL);                          /* untouched */
    CHECK_INT(xs_wire_split("ab\0", 4, out, 4), 2); /* "ab" and "" */
    CHECK_INT(xs_wire_split("abc", 4, out, 4), 1);
    CHECK_INT(xs_wire_split("abc", XENSTORE_PAYLOAD_MAX + 1, out, 4), -EBADMSG);
    free(p);
}

UNIT_TEST(test_split_too_many)
{
    const char *out[3] = {NULL, NULL, NULL};
    const char body[] = "a\0b\0c\0d"; /* four strings */

    CHECK_INT(xs_wire_split(body, 8, out, 2), -E2BIG);
    CHECK(out[0] == body && out[1] == body + 2);
    CHECK(out[2] == NULL); /* nothing past max */
    CHECK_INT(xs_wire_split(body, 8, out, 0), -E2BIG);
    CHECK_INT(xs_wire_split(body, 8, out, 3), -E2BIG);
    CHECK(out[2] == body + 4);
    CHECK_INT(xs_wire_split(body, 6, out, 3), 3);
}

UNIT_TEST(test_split_payload_max)
{
    static char body[XENSTORE_PAYLOAD_MAX];
    static const char *out[XENSTORE_PAYLOAD_MAX];

    /* The most strings a payload can carry: 4096 empty ones. */
    memset(body, 0, sizeof(body));
    CHECK_INT(xs_wire_split(body, sizeof(body), out, XENSTORE_PAYLOAD_MAX), 4096);
    CHECK(out[4095] == body + 4095);
    CHECK_INT(xs_wire_split(body, sizeof(body), out, 4095), -E2BIG);
}

UNIT_TEST(test_watch_event)
{
    const char *path = NULL, *token = NULL;
    const char two[] = "/local/domain/1/device\0tok";

    CHECK_INT(xs_wire_watch_event(two, sizeof(two), &path, &token), 0);
    CHECK(path == two);
    CHECK_STR(path, "/local/domain/1/device");
    CHECK_STR(token, "tok");
    CHECK_INT(xs_wire_watch_event("p\0", 3, &path, &token), 0); /* an empty token */
    CHECK_STR(token, "");

    path = token = NULL;
    CHECK_INT(xs_wire_watch_event("p", 2, &path, &token), -EBADMSG);        /* one string */
    CHECK_INT(xs_wire_watch_event("p\0t\0x", 6, &path, &token), -EBADMSG);  /* three */
    CHECK_INT(xs_wire_watch_event("p\0t", 3, &path, &token), -EBADMSG);     /* unterminated */
    CHECK_INT(xs_wire_watch_event("", 0, &path, &token), -EBADMSG);         /* none */
    CHECK_INT(xs_wire_watch_event("p\0t\0\0", 5, &path, &token), -EBADMSG); /* a third, empty */
    CHECK(path == NULL && token == NULL);
}

/* xs_wire_number on a string, with len covering it and its NUL or just it. */
static int number(const char *s, bool with_nul, uint64_t max, uint64_t *value)
{
    return xs_wire_number(s, strlen(s) + (with_nul ? 1 : 0), max, value);
}

UNIT_TEST(test_number)
{
    for (int nul = 0; nul < 2; nul++) {
        uint64_t v = 12345;

        CHECK_INT(number("0", nul, 0, &v), 0);
        CHECK_INT(v, 0);
        CHECK_INT(number("7", nul, 65535, &v), 0);
        CHECK_INT(v, 7);
        CHECK_INT(number("65535", nul, 65535, &v), 0);
        CHECK_INT(v, 65535);
        CHECK_INT(number("4294967295", nul, UINT32_MAX, &v), 0);
        CHECK_INT(v, UINT32_MAX);
        CHECK_INT(number("18446744073709551615", nul, UINT64_MAX, &v), 0);
        CHECK(v == UINT64_MAX);
        CHECK_INT(number("4294967296", nul, UINT64_MAX, &v), 0);
        CHECK(v == UINT64_C(4294967296));

        v = 12345;
        CHECK_INT(number("65536", nul, 65535, &v), -EBADMSG);
        CHECK_INT(number("1", nul, 0, &v), -EBADMSG);
        CHECK_INT(number("4294967296", nul, UINT32_MAX, &v), -EBADMSG);
        CHECK_INT(number("18446744073709551616", nul, UINT32_MAX, &v), -EBADMSG);
        CHECK_INT(number("18446744073709551616", nul, UINT64_MAX, &v), -EBADMSG);
        CHECK_INT(number("18446744073709551620", nul, UINT64_MAX, &v), -EBADMSG);
        CHECK_INT(number("99999999999999999999999999", nul, UINT32_MAX, &v), -EBADMSG);
        CHECK_INT(number("", nul, UINT32_MAX, &v), -EBADMSG);
        CHECK_INT(number("00", nul, UINT32_MAX, &v), -EBADMSG);
        CHECK_INT(number("007", nul, UINT32_MAX, &v), -EBADMSG);
        CHECK_INT(number("+1", nul, UINT32_MAX, &v), -EBADMSG);
        CHECK_INT(number("-1", nul, UINT32_MAX, &v), -EBADMSG);
        CHECK_INT(number("-0", nul, UINT32_MAX, &v), -EBADMSG);
        CHECK_INT(number(" 1", nul, UINT32_MAX, &v), -EBADMSG);
        CHECK_INT(number("1 ", nul, UINT32_MAX, &v), -EBADMSG);
        CHECK_INT(number("12x", nul, UINT32_MAX, &v), -EBADMSG);
        CHECK_INT(number("0x10", nul, UINT32_MAX, &v), -EBADMSG);
        CHECK_INT(v, 12345); /* untouched by every failure */
    }
}

UNIT_TEST(test_number_nuls)
{
    uint64_t v = 5;

    CHECK_INT(xs_wire_number("12\0", 3, 100, &v), 0);
    CHECK_INT(v, 12);
    CHECK_INT(xs_wire_number("12\0\0", 4, 100, &v), -EBADMSG); /* one NUL only */
    CHECK_INT(xs_wire_number("1\0002", 3, 100, &v), -EBADMSG); /* not at the end */
    CHECK_INT(xs_wire_number("\0", 1, 100, &v), -EBADMSG);
    CHECK_INT(xs_wire_number("123", 2, 100, &v), 0); /* len bounds it */
    CHECK_INT(v, 12);
}

/* ---- xs_wire_path_ok ---- */

UNIT_TEST(test_path_ok)
{
    const char *good[] = {"/", "/local",      "/local/domain/0", "device/vif/0/state",
                          "a", "A-Z_a-z-0-9", "/a/b-c/d_e/F9"};
    const char *bad[] = {"",     "//",   "/a//b", "/a/",  "a/",        "a//b",
                         "/a b", "/a.b", "a\\b",  "/a\n", "/\xc3\xa9", "/a@b",
                         "a@",   "/@a",  "@",     "@a/b", "@a@",       "@a.b"};

    for (size_t i = 0; i < UNIT_COUNT(good); i++) {
        CHECK(xs_wire_path_ok(good[i], false));
        CHECK(xs_wire_path_ok(good[i], true));
    }
    for (size_t i = 0; i < UNIT_COUNT(bad); i++) {
        if (xs_wire_path_ok(bad[i], false) || xs_wire_path_ok(bad[i], true))
            printf("  accepted \"%s\"\n", bad[i]);
        CHECK(!xs_wire_path_ok(bad[i], false));
        CHECK(!xs_wire_path_ok(bad[i], true));
    }
    CHECK(!xs_wire_path_ok(NULL, true));

    /* Special watch paths only when asked for. */
    CHECK(xs_wire_path_ok("@releaseDomain", true));
    CHECK(xs_wire_path_ok("@introduceDomain", true));
    CHECK(!xs_wire_path_ok("@releaseDomain", false));
    CHECK(!xs_wire_path_ok("@introduceDomain", false));
}

UNIT_TEST(test_path_chars)
{
    /* Every byte in the middle of a path: allowed exactly when [A-Za-z0-9_-]. */
    for (int c = 1; c < 256; c++) {
        char path[] = "/a?b";
        bool want = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';

        path[2] = (char)c;
        if (c == '/')
            continue; /* "/a/b" is fine, and checked above */
        CHECK_INT(xs_wire_path_ok(path, false), want);
        CHECK_INT(xs_wire_path_ok(path + 1, false), want); /* relative */
    }
}

/* A path of len bytes in its own allocation, so ASan catches any read past it. */
static char *long_path(size_t len, char first, bool terminated)
{
    char *p = malloc(len + 1);

    for (size_t i = 0; i < len; i++)
        p[i] = (i % 8 == 0) ? '/' : 'x';
    p[0] = first;
    if (first != '/' && len > 1)
        p[1] = 'x'; /* no "x/" right after a relative or special start */
    p[len - 1] = 'x';
    if (terminated)
        p[len] = '\0';
    else
        p = realloc(p, len); /* no room left for anything past len */
    return p;
}

UNIT_TEST(test_path_lengths)
{
    struct {
        char first;
        bool special;
        size_t max;
    } kinds[] = {
        {'/', false, XENSTORE_ABS_PATH_MAX},
        {'d', false, XENSTORE_REL_PATH_MAX},
        {'@', true, XENSTORE_REL_PATH_MAX},
    };

    for (size_t k = 0; k < UNIT_COUNT(kinds); k++) {
        char *p;

        if (kinds[k].special) {
            /* A special name has no '/': build it by hand. */
            p = malloc(kinds[k].max + 2);
            memset(p, 'r', kinds[k].max + 1);
            p[0] = '@';
            p[kinds[k].max] = '\0';
            CHECK(xs_wire_path_ok(p, true));
            p[kinds[k].max] = 'r';
            p[kinds[k].max + 1] = '\0';
            CHECK(!xs_wire_path_ok(p, true));
            free(p);
            continue;
        }
        p = long_path(kinds[k].max, kinds[k].first, true);
        CHECK(xs_wire_path_ok(p, false));
        free(p);
        p = long_path(kinds[k].max + 1, kinds[k].first, true);
        CHECK(!xs_wire_path_ok(p, false));
        free(p);
        /* Too long and not terminated at all: refused without reading past max + 1. */
        p = long_path(kinds[k].max + 1, kinds[k].first, false);
        CHECK(!xs_wire_path_ok(p, false));
        free(p);
    }
}

/* ---- together ---- */

/* A request built here, answered as a daemon would, read back through the reader. */
UNIT_TEST(test_round_trip)
{
    static struct xs_reader r;
    unsigned char req[64], rsp[64];
    const char *s[] = {""};
    int n = xs_wire_build(req, sizeof(req), XS_TRANSACTION_START, 77, 0, s, 1, NULL, 0);
    struct xsd_sockmsg h = header_of(req);
    uint64_t tx = 0;
    size_t m;
    int status;

    CHECK_INT(n, HDR + 1);
    h.len = 3;
    memcpy(rsp, &h, HDR);
    memcpy(rsp + HDR, "42\0", 3);
    m = HDR + 3;
    xs_reader_init(&r);
    CHECK_INT(xs_reader_feed(&r, rsp, m, &status), m);
    CHECK_INT(status, 1);
    CHECK_INT(r.hdr.req_id, 77);
    CHECK_INT(xs_wire_reply_status(&r.hdr, r.body, XS_TRANSACTION_START), 0);
    CHECK_INT(xs_wire_number(r.body, r.hdr.len, UINT32_MAX, &tx), 0);
    CHECK_INT(tx, 42);
}

static const struct unit_test tests[] = {
    UNIT_ENTRY(test_build_read),
    UNIT_ENTRY(test_build_write),
    UNIT_ENTRY(test_build_watch),
    UNIT_ENTRY(test_build_transaction_start),
    UNIT_ENTRY(test_build_empty_payload),
    UNIT_ENTRY(test_build_unaligned),
    UNIT_ENTRY(test_build_payload_max),
    UNIT_ENTRY(test_build_cap),
    UNIT_ENTRY(test_reader_whole_message),
    UNIT_ENTRY(test_reader_nothing_given),
    UNIT_ENTRY(test_reader_byte_by_byte),
    UNIT_ENTRY(test_reader_empty_payload),
    UNIT_ENTRY(test_reader_several_in_one_feed),
    UNIT_ENTRY(test_reader_body_terminated),
    UNIT_ENTRY(test_reader_payload_max),
    UNIT_ENTRY(test_reader_bad_header),
    UNIT_ENTRY(test_reader_known_types_pass),
    UNIT_ENTRY(test_reader_random_chunks),
    UNIT_ENTRY(test_reply_status),
    UNIT_ENTRY(test_reply_error_strings),
    UNIT_ENTRY(test_reply_error_unknown),
    UNIT_ENTRY(test_reply_error_unterminated),
    UNIT_ENTRY(test_split),
    UNIT_ENTRY(test_split_unterminated),
    UNIT_ENTRY(test_split_too_many),
    UNIT_ENTRY(test_split_payload_max),
    UNIT_ENTRY(test_watch_event),
    UNIT_ENTRY(test_number),
    UNIT_ENTRY(test_number_nuls),
    UNIT_ENTRY(test_path_ok),
    UNIT_ENTRY(test_path_chars),
    UNIT_ENTRY(test_path_lengths),
    UNIT_ENTRY(test_round_trip),
};

int main(void)
{
    return unit_main(tests, UNIT_COUNT(tests));
}
