/*
 * The xenstore wire format (xen/io/xs_wire.h; Xen's docs/misc/xenstore.txt): building
 * requests and taking replies apart, with no I/O, so that it runs and is fuzzed on
 * the host too. The ring and the threads waiting on replies are in
 * drivers/xenbus/xenstore.c.
 *
 * A message is a struct xsd_sockmsg header (type, req_id, tx_id, len) followed by
 * len bytes of payload, at most XENSTORE_PAYLOAD_MAX. Requests carry NUL-terminated
 * strings, except that a write's value comes last with no terminator. Nothing in a
 * reply is trusted: every function here checks lengths and terminators, and returns
 * -EBADMSG instead of reading past what it was given.
 */
#ifndef DRIVERS_XENBUS_XS_WIRE_H
#define DRIVERS_XENBUS_XS_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/errno.h" /* before xs_wire.h: it defines xsd_errors only if EINVAL is known */
#include <xen/io/xs_wire.h>

/*
 * Is path one a client may send (docs/misc/xenstore.txt, "Paths")? Absolute ("/a/b")
 * or relative to the domain's home ("device/vif"), made of [A-Za-z0-9_/-], no empty
 * component ("a//b", a trailing "/" except the root "/"), at most
 * XENSTORE_ABS_PATH_MAX or XENSTORE_REL_PATH_MAX bytes; or, when special_ok, a special
 * watch path ("@releaseDomain", "@introduceDomain"): '@' and a nonempty name of
 * [A-Za-z0-9_-], at most XENSTORE_REL_PATH_MAX bytes. The document says to avoid '@'
 * anywhere else, so it is refused there.
 */
bool xs_wire_path_ok(const char *path, bool special_ok);

/*
 * Lay a request out in buf: the header, then each of the n_strings strings with its
 * NUL, then data_len bytes of data (a write's value) with none. Returns the total
 * length (header included), or -E2BIG when the payload would exceed
 * XENSTORE_PAYLOAD_MAX or the message would not fit in cap bytes; buf is then left
 * untouched. buf need not be aligned.
 */
int xs_wire_build(void *buf, size_t cap, enum xsd_sockmsg_type type, uint32_t req_id,
                  uint32_t tx_id, const char *const *strings, size_t n_strings, const void *data,
                  size_t data_len);

/*
 * The error string of an XS_ERROR reply as a negative errno, from the xsd_errors
 * table: the len bytes must be exactly a name ("ENOENT"), or a name and one NUL.
 * -EIO for anything else (an unknown name, bytes after the NUL).
 */
int xs_wire_errno(const char *payload, size_t len);

/*
 * Reassembles messages from the bytes of the response ring, which may arrive in any
 * pieces. Once a message is complete, hdr and body hold it, body NUL-terminated at
 * hdr.len (one byte past the payload), until the next call to xs_reader_feed.
 */
struct xs_reader {
    struct xsd_sockmsg hdr;
    char body[XENSTORE_PAYLOAD_MAX + 1];
    size_t have; /* bytes of the current message received so far, header included */
    bool broken; /* a bad header was seen: the stream cannot be trusted any more */
};

void xs_reader_init(struct xs_reader *r);

/*
 * Take up to n bytes. Returns how many were consumed and sets *status: 0 when more
 * bytes are needed, 1 when a message is complete (the caller handles it, then feeds
 * the rest), -EBADMSG when the header just completed is impossible (len over
 * XENSTORE_PAYLOAD_MAX, or type >= XS_TYPE_COUNT, which no daemon sends to a client
 * that sends only known types): the reader is then broken, as is the stream, since
 * where the next message starts is unknown, and every later call consumes nothing
 * and says -EBADMSG again. Any type below XS_TYPE_COUNT passes, even one that is not
 * a reply (the removed XS_RESTRICT's slot): xs_wire_reply_status refuses those.
 * A call never goes past the end of one message.
 */
size_t xs_reader_feed(struct xs_reader *r, const void *bytes, size_t n, int *status);

/*
 * The status of a complete reply to a request of type expected (body holds its
 * hdr->len bytes): the errno of an XS_ERROR (xs_wire_errno), checked first; 0 when
 * its type is expected; -EBADMSG for any other type or a len over
 * XENSTORE_PAYLOAD_MAX.
 */
int xs_wire_reply_status(const struct xsd_sockmsg *hdr, const char *body,
                         enum xsd_sockmsg_type expected);

/*
 * Split a payload of NUL-terminated strings ("a\0b\0", as XS_DIRECTORY and
 * XS_GET_PERMS send) into up to max pointers into body. Returns the number of strings
 * (0 for an empty payload; "a\0\0" is two, the second empty), -EBADMSG when the last
 * one is not terminated within len or len is over XENSTORE_PAYLOAD_MAX (out is then
 * untouched), -E2BIG when there are more than max (out is then filled with the first
 * max).
 */
int xs_wire_split(const char *body, size_t len, const char **out, size_t max);

/*
 * An XS_WATCH_EVENT payload: exactly two strings, the path that changed and the
 * watch's token ("path\0token\0"); either may be empty. 0, or -EBADMSG.
 */
int xs_wire_watch_event(const char *body, size_t len, const char **path, const char **token);

/*
 * A reply that carries a decimal number (a transaction id, a domid, a disk's size):
 * digits only, terminated at len or by a NUL at len - 1, no sign, no leading zeros
 * but "0", not above max. 0 and *value, or -EBADMSG with *value untouched.
 */
int xs_wire_number(const char *body, size_t len, uint64_t max, uint64_t *value);

#endif
