/*
 * The xenstore client: the domain's connection to xenstored, the tree of small
 * string values through which domains and the toolstack find each other (Xen's
 * docs/misc/xenstore.txt). The connection is a shared page of two rings and an event
 * channel, both handed over at start of day (store_mfn and store_evtchn in a PV
 * guest's start_info).
 *
 * Any number of threads may have a request outstanding; each reply is matched to its
 * request by id. A watch belongs to the thread that waits on it. Every call returns 0
 * or a negative errno: xenstored's own errors (ENOENT, EACCES, EAGAIN, ...) come back
 * as the same names, a malformed reply as -EBADMSG, -ENOTCONN once the connection is
 * unusable (there is none, or the daemon broke the protocol), and -ETIMEDOUT when no
 * reply came by the request's deadline (see struct xenstore_deadline); the request may
 * then have been carried out or not.
 *
 * Paths are absolute ("/local/domain/0/name") or relative to the domain's home
 * ("device/vif/0"), as xenstored resolves them. Values are bytes; the ones returned
 * here are always followed by a NUL that is not part of the value.
 */
#ifndef DRIVERS_XENBUS_XENSTORE_H
#define DRIVERS_XENBUS_XENSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>

#include "lib/list.h"
#include "kernel/wait.h"
#include "drivers/xenbus/xs_comms.h"

/* A transaction id; XS_NO_TRANSACTION outside of one. */
typedef uint32_t xs_transaction_t;
#define XS_NO_TRANSACTION 0

/*
 * How long a request waits for its reply, from when it starts, when the calling thread
 * is in no xenstore_deadline scope. A reply takes milliseconds even on a slow,
 * loaded host; this is for a daemon that stopped.
 */
#define XENSTORE_TIMEOUT_MS 10000

/*
 * A deadline for every request the calling thread makes between begin and end, in
 * place of XENSTORE_TIMEOUT_MS (the innermost scope counts; deadline_ns 0 leaves the
 * default). Lives on the caller's stack; scopes end in the reverse order.
 *
 *   struct xenstore_deadline scope;
 *   xenstore_deadline_begin(&scope, deadline_ns);
 *   ... reads and writes ...
 *   xenstore_deadline_end(&scope);
 */
struct xenstore_deadline {
    struct list_node link;
    const struct thread *thread;
    uint64_t deadline_ns;
};
void xenstore_deadline_begin(struct xenstore_deadline *d, uint64_t deadline_ns);
void xenstore_deadline_end(struct xenstore_deadline *d);

/* Connect to xenstored through the ring handed over at start of day. */
int xenstore_init(void);
bool xenstore_connected(void);

/*
 * This domain's id and home path ("/local/domain/N"), asked of xenstored on first use
 * (it blocks for two round trips), not at connection: the boot need not wait for them.
 */
domid_t xenstore_domid(void);
const char *xenstore_home(void);

/* Read a value into a fresh allocation (xfree it); *len, if asked for, excludes the NUL. */
int xenstore_read(xs_transaction_t t, const char *path, char **value, size_t *len);
/* Read a value into buf (NUL-terminated); -E2BIG if it does not fit. */
int xenstore_read_buf(xs_transaction_t t, const char *path, char *buf, size_t size);
/* Read a decimal number no larger than max: -EINVAL if it is not one, or larger. */
int xenstore_read_u64(xs_transaction_t t, const char *path, uint64_t max, uint64_t *value);
int xenstore_read_uint(xs_transaction_t t, const char *path, uint32_t max, uint32_t *value);
int xenstore_write(xs_transaction_t t, const char *path, const char *value);
int xenstore_write_bytes(xs_transaction_t t, const char *path, const void *value, size_t len);
int xenstore_printf(xs_transaction_t t, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int xenstore_mkdir(xs_transaction_t t, const char *path);
/* Remove a node and everything below it. */
int xenstore_rm(xs_transaction_t t, const char *path);

/*
 * The names of a node's children: *names is one allocation (xfree it) holding
 * *count pointers followed by the strings they point to.
 */
int xenstore_directory(xs_transaction_t t, const char *path, char ***names, unsigned int *count);

/* Permissions (docs/misc/xenstore.txt, "Permissions"): the first entry is the owner. */
enum xs_perm_access { XS_PERM_NONE, XS_PERM_READ, XS_PERM_WRITE, XS_PERM_BOTH };
struct xs_permission {
    domid_t domid;
    enum xs_perm_access access;
};
/* Up to max entries into perms; *count gets how many the node has (-E2BIG if over max). */
int xenstore_get_perms(xs_transaction_t t, const char *path, struct xs_permission *perms,
                       unsigned int max, unsigned int *count);
int xenstore_set_perms(xs_transaction_t t, const char *path, const struct xs_permission *perms,
                       unsigned int count);

int xenstore_transaction_start(xs_transaction_t *t);
/* Commit (abort = false) or abort. A commit that lost a race returns -EAGAIN. */
int xenstore_transaction_end(xs_transaction_t t, bool abort);
/*
 * Run fn in a transaction and commit it, starting again from scratch while the
 * commit says -EAGAIN (another writer got in first), at most XS_TRANSACTION_TRIES
 * times. fn's own error aborts the transaction and is returned.
 */
#define XS_TRANSACTION_TRIES 20
int xenstore_transact(int (*fn)(xs_transaction_t t, void *arg), void *arg);

/*
 * A watch: xenstored sends an event whenever the node at path, or anything below
 * it, changes, and once right after the watch is set. Events are counted, not
 * queued: a waiter learns that something changed and reads what it needs.
 */
struct xs_watch {
    struct list_node link;
    char path[128];
    char token[24];
    unsigned long events; /* events received and not yet waited for */
    struct wait_queue wq;
};

/*
 * -E2BIG for a path longer than the watch can hold, -EEXIST when w is set already
 * (unwatch it first).
 */
int xenstore_watch(struct xs_watch *w, const char *path);
/* -ENOENT, with nothing sent, when w is not set (never set, or unwatched already). */
int xenstore_unwatch(struct xs_watch *w);
/*
 * Wait until the watch has fired (or system time reaches deadline_ns, if not 0:
 * -ETIMEDOUT); consumes every event that has arrived so far.
 */
int xenstore_watch_wait(struct xs_watch *w, uint64_t deadline_ns);
/*
 * Count an event on w as if xenstored had sent one, so that its waiter wakes and looks
 * again: how another thread asks it to (never from an event handler).
 */
void xenstore_watch_fire(struct xs_watch *w);

/*
 * Wait until the node at path holds want (sets a watch for the time being);
 * -ETIMEDOUT at deadline_ns, which the reads on the way honour too.
 */
int xenstore_wait_for_value(const char *path, const char *want, uint64_t deadline_ns);

/* Counters for tests and benchmarks (drivers/xenbus/xs_comms.h). */
void xenstore_get_stats(struct xs_comms_stats *stats);

#endif
