/*
 * The xenstore wire format (see drivers/xenbus/xs_wire.h): laying out requests, reassembling
 * replies from ring bytes and taking their payloads apart. Pure code: no I/O, no
 * allocation, and no byte of a reply is trusted before it is checked.
 */
#include "lib/string.h"
#include "drivers/xenbus/xs_wire.h"

#define HDR_SIZE sizeof(struct xsd_sockmsg)

/* The punctuation docs/misc/xenstore.txt allows in a path, '@' aside. */
static bool path_char_ok(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '/';
}

bool xs_wire_path_ok(const char *path, bool special_ok)
{
    size_t len, max;

    if (path == NULL || path[0] == '\0')
        return false;

    /*
     * xenstored matches "@..." watches only against events it invents, by name;
     * a name is all we let through: no '/', no second '@'.
     */
    if (path[0] == '@') {
        if (!special_ok)
            return false;
        len = strnlen(path, XENSTORE_REL_PATH_MAX + 1);
        if (len < 2 || len > XENSTORE_REL_PATH_MAX)
            return false;
        for (size_t i = 1; i < len; i++) {
            if (!path_char_ok(path[i]) || path[i] == '/')
                return false;
        }
        return true;
    }

    max = path[0] == '/' ? XENSTORE_ABS_PATH_MAX : XENSTORE_REL_PATH_MAX;
    /* Bounded: a caller's unterminated buffer is not read past max + 1 bytes. */
    len = strnlen(path, max + 1);
    if (len > max)
        return false;
    if (len == 1 && path[0] == '/')
        return true; /* the root is the one path that may end in '/' */
    for (size_t i = 0; i < len; i++) {
        if (!path_char_ok(path[i]))
            return false;
        if (path[i] == '/' && (path[i + 1] == '/' || path[i + 1] == '\0'))
            return false;
    }
    return true;
}

int xs_wire_build(void *buf, size_t cap, enum xsd_sockmsg_type type, uint32_t req_id,
                  uint32_t tx_id, const char *const *strings, size_t n_strings, const void *data,
                  size_t data_len)
{
    struct xsd_sockmsg hdr;
    char *p = buf;
    size_t payload = 0;

    /*
     * Size everything before writing anything, so -E2BIG leaves buf alone. Each
     * step keeps payload <= XENSTORE_PAYLOAD_MAX, so the sums cannot wrap.
     */
    for (size_t i = 0; i < n_strings; i++) {
        size_t room = XENSTORE_PAYLOAD_MAX - payload;
        size_t len = strnlen(strings[i], room);

        if (len >= room) /* no room left for its NUL */
            return -E2BIG;
        payload += len + 1;
    }
    if (data_len > XENSTORE_PAYLOAD_MAX - payload)
        return -E2BIG;
    payload += data_len;
    if (cap < HDR_SIZE || payload > cap - HDR_SIZE)
        return -E2BIG;

    hdr.type = type;
    hdr.req_id = req_id;
    hdr.tx_id = tx_id;
    hdr.len = (uint32_t)payload;
    memcpy(p, &hdr, HDR_SIZE); /* buf need not be aligned for the header */
    p += HDR_SIZE;
    for (size_t i = 0; i < n_strings; i++) {
        size_t len = strlen(strings[i]) + 1;

        memcpy(p, strings[i], len);
        p += len;
    }
    if (data_len)
        memcpy(p, data, data_len);
    return (int)(HDR_SIZE + payload);
}

int xs_wire_errno(const char *payload, size_t len)
{
    /* The name, optionally followed by one NUL, and nothing after it. */
    if (len > 0 && payload[len - 1] == '\0')
        len--;
    for (size_t i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++) {
        const char *name = xsd_errors[i].errstring;

        if (strlen(name) == len && memcmp(name, payload, len) == 0)
            return -xsd_errors[i].errnum;
    }
    return -EIO;
}

void xs_reader_init(struct xs_reader *r)
{
    memset(&r->hdr, 0, sizeof(r->hdr));
    r->body[0] = '\0';
    r->have = 0;
    r->broken = false;
}

static bool reader_complete(const struct xs_reader *r)
{
    return r->have >= HDR_SIZE && r->have == HDR_SIZE + r->hdr.len;
}

/*
 * Only the length decides where the next message starts, so a bad one breaks the
 * stream. A type past XS_TYPE_COUNT does not, but no daemon sends one to a client
 * that only sends known types: it is taken as a sign the bytes are garbage. A known
 * but unexpected type (even the removed XS_RESTRICT slot) is left to
 * xs_wire_reply_status.
 */
static bool header_ok(const struct xsd_sockmsg *hdr)
{
    return hdr->len <= XENSTORE_PAYLOAD_MAX && hdr->type < XS_TYPE_COUNT;
}

size_t xs_reader_feed(struct xs_reader *r, const void *bytes, size_t n, int *status)
{
    const char *in = bytes;
    size_t used = 0;

    if (r->broken) {
        *status = -EBADMSG;
        return 0;
    }
    if (reader_complete(r))
        r->have = 0; /* the caller is done with the previous message */

    if (r->have < HDR_SIZE) {
        size_t take = HDR_SIZE - r->have;

        if (take > n)
            take = n;
        if (take)
            memcpy((char *)&r->hdr + r->have, in, take);
        r->have += take;
        used += take;
        if (r->have < HDR_SIZE) {
            *status = 0;
            return used;
        }
        if (!header_ok(&r->hdr)) {
            r->broken = true;
            *status = -EBADMSG;
            return used;
        }
    }

    size_t got = r->have - HDR_SIZE;
    size_t take = r->hdr.len - got;

    if (take > n - used)
        take = n - used;
    if (take) /* bytes may be NULL when n is 0 */
        memcpy(r->body + got, in + used, take);
    r->have += take;
    used += take;
    if (!reader_complete(r)) {
        *status = 0;
        return used;
    }
    r->body[r->hdr.len] = '\0';
    *status = 1;
    return used;
}

int xs_wire_reply_status(const struct xsd_sockmsg *hdr, const char *body,
                         enum xsd_sockmsg_type expected)
{
    if (hdr->len > XENSTORE_PAYLOAD_MAX)
        return -EBADMSG;
    /* First: an error reply is never a success, whatever was expected. */
    if (hdr->type == XS_ERROR)
        return xs_wire_errno(body, hdr->len);
    if (hdr->type == (uint32_t)expected)
        return 0;
    return -EBADMSG;
}

int xs_wire_split(const char *body, size_t len, const char **out, size_t max)
{
    size_t count = 0;
    const char *start = body;

    if (len > XENSTORE_PAYLOAD_MAX)
        return -EBADMSG;
    if (len == 0)
        return 0;
    if (body[len - 1] != '\0')
        return -EBADMSG;
    for (size_t i = 0; i < len; i++) {
        if (body[i] != '\0')
            continue;
        if (count < max)
            out[count] = start;
        count++;
        start = body + i + 1;
    }
    return count > max ? -E2BIG : (int)count;
}

int xs_wire_watch_event(const char *body, size_t len, const char **path, const char **token)
{
    const char *s[2];

    if (xs_wire_split(body, len, s, 2) != 2)
        return -EBADMSG;
    *path = s[0];
    *token = s[1];
    return 0;
}

int xs_wire_number(const char *body, size_t len, uint64_t max, uint64_t *value)
{
    uint64_t v = 0;

    if (len > 0 && body[len - 1] == '\0')
        len--;
    if (len == 0 || (len > 1 && body[0] == '0'))
        return -EBADMSG;
    for (size_t i = 0; i < len; i++) {
        uint64_t digit = (uint64_t)(body[i] - '0');

        if (body[i] < '0' || body[i] > '9')
            return -EBADMSG;
        /* Whether v * 10 + digit > max, asked without wrapping 64 bits. */
        if (digit > max || v > (max - digit) / 10)
            return -EBADMSG;
        v = v * 10 + digit;
    }
    *value = v;
    return 0;
}
