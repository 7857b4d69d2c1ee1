/*
 * The xenstore client over the shared ring page (xen/io/xs_wire.h: struct
 * xenstore_domain_interface; Xen's docs/misc/xenstore-ring.txt).
 *
 * Requests: a thread lays its request out and copies it onto the request ring
 * whole, under write_lock so that two requests never interleave, then sleeps until
 * its reply arrives. Replies: one thread, "xenstore", drains the response ring
 * through an xs_reader (drivers/xenbus/xs_wire.h), hands each reply to the request with the same
 * id and each watch event to the watch with the same token. The event handler only
 * wakes threads: requests waiting for room, and the reader waiting for bytes.
 *
 * The indices are free-running 32-bit counters (they need not start at 0); slots are
 * index mod XENSTORE_RING_SIZE. Whoever produces writes the bytes, then a barrier,
 * then the index; whoever consumes reads the index, then a barrier, then the bytes.
 */
#include <stdarg.h>
#include <xen/xen.h>

#include "lib/errno.h"
#include "lib/list.h"
#include "lib/printf.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "arch/x86/cpu.h"
#include "arch/x86/page.h"
#include "arch/x86/setup.h"
#include "mm/heap.h"
#include "xen/events.h"
#include "kernel/initcall.h"
#include "kernel/mutex.h"
#include "kernel/thread.h"
#include "kernel/wait.h"
#include "drivers/xenbus/xenstore.h"
#include "drivers/xenbus/xs_wire.h"

/* A request between being sent and being answered; lives on its sender's stack. */
struct xs_request {
    struct list_node link; /* in pending_requests */
    uint32_t req_id;
    enum xsd_sockmsg_type type;
    bool done;
    int status;  /* 0, or what the caller gets */
    char *reply; /* the payload and a NUL, from xmalloc */
    uint32_t len;
    struct wait_queue wq;
};

static struct xenstore_domain_interface *ring;
static evtchn_port_t ring_port;
static bool connected;
/* Set when the daemon broke the protocol: nothing more is sent or read. */
static bool broken;

static struct wait_queue ring_wq = WAIT_QUEUE_INIT(ring_wq);
static struct mutex write_lock;
static uint32_t next_req_id = 1;
static char request_buf[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
static struct list_node pending_requests = LIST_HEAD_INIT(pending_requests);
static struct list_node watches = LIST_HEAD_INIT(watches);
static unsigned int watch_seq;
static struct xs_reader reader;
static struct xenstore_stats stats;

static domid_t self_domid;
static char home_path[32];

static void ring_event(evtchn_port_t port, void *arg)
{
    (void)port;
    (void)arg;
    wait_queue_wake_all(&ring_wq);
}

static void ring_notify(void)
{
    evtchn_send(ring_port);
}

/* Fail every request in flight and every watch waiter: the stream cannot be trusted. */
static void connection_broken(const char *why)
{
    struct list_node *pos, *tmp;

    printk("xenstore: %s; the connection is closed\n", why);
    broken = true;
    list_for_each_safe(pos, tmp, &pending_requests)
    {
        struct xs_request *req = list_entry(pos, struct xs_request, link);

        list_del(&req->link);
        req->status = -ENOTCONN;
        req->done = true;
        wait_queue_wake_all(&req->wq);
    }
    list_for_each(pos, &watches) wait_queue_wake_all(&list_entry(pos, struct xs_watch, link)->wq);
    wait_queue_wake_all(&ring_wq);
}

/* Room on the request ring; a full ring's worth when the indices are nonsense, so
 * that the writer goes on to find out. */
static bool request_ring_has_room(void)
{
    return READ_ONCE(ring->req_prod) - READ_ONCE(ring->req_cons) != XENSTORE_RING_SIZE;
}

/* Copy a whole message onto the request ring, waiting for room as needed. */
static int ring_write(const char *data, size_t len)
{
    while (len > 0) {
        XENSTORE_RING_IDX cons, prod;
        size_t off, chunk;

        wait_event(&ring_wq, broken || request_ring_has_room());
        if (broken)
            return -ENOTCONN;
        cons = READ_ONCE(ring->req_cons);
        prod = ring->req_prod;
        mb(); /* read req_cons before overwriting the slots it frees */
        if (prod - cons > XENSTORE_RING_SIZE) {
            connection_broken("the request ring's indices are impossible");
            return -ENOTCONN;
        }
        off = MASK_XENSTORE_IDX(prod);
        chunk = XENSTORE_RING_SIZE - (prod - cons);
        if (chunk > XENSTORE_RING_SIZE - off)
            chunk = XENSTORE_RING_SIZE - off;
        if (chunk > len)
            chunk = len;
        memcpy(ring->req + off, data, chunk);
        wmb(); /* the bytes before the index that publishes them */
        ring->req_prod = prod + chunk;
        ring_notify();
        data += chunk;
        len -= chunk;
    }
    return 0;
}

static struct xs_watch *watch_by_token(const char *token)
{
    struct list_node *pos;

    list_for_each(pos, &watches)
    {
        struct xs_watch *w = list_entry(pos, struct xs_watch, link);

        if (strcmp(w->token, token) == 0)
            return w;
    }
    return NULL;
}

static void deliver_watch_event(void)
{
    const char *path, *token;
    struct xs_watch *w;

    if (xs_wire_watch_event(reader.body, reader.hdr.len, &path, &token) != 0) {
        printk("xenstore: malformed watch event dropped\n");
        stats.stray++;
        return;
    }
    w = watch_by_token(token);
    if (!w) {
        /* Normal just after an unwatch: events already on their way still arrive. */
        stats.stray++;
        return;
    }
    w->events++;
    stats.watch_events++;
    wait_queue_wake_all(&w->wq);
}

static struct xs_request *pending_by_id(uint32_t req_id)
{
    struct list_node *pos;

    list_for_each(pos, &pending_requests)
    {
        struct xs_request *req = list_entry(pos, struct xs_request, link);

        if (req->req_id == req_id)
            return req;
    }
    return NULL;
}

/* The reader holds a complete message: give it to whoever waits for it. */
static void dispatch(void)
{
    const struct xsd_sockmsg *hdr = &reader.hdr;
    struct xs_request *req;

    if (hdr->type == XS_WATCH_EVENT) {
        deliver_watch_event();
        return;
    }
    req = pending_by_id(hdr->req_id);
    if (!req) {
        printk("xenstore: reply %u (type %u) to no request dropped\n", hdr->req_id, hdr->type);
        stats.stray++;
        return;
    }
    list_del(&req->link);
    req->status = xs_wire_reply_status(hdr, reader.body, req->type);
    if (req->status == -EBADMSG)
        printk("xenstore: reply of type %u to a request of type %u\n", hdr->type, req->type);
    if (req->status == 0) {
        req->reply = xmalloc(hdr->len + 1, 1);
        if (req->reply) {
            memcpy(req->reply, reader.body, hdr->len + 1);
            req->len = hdr->len;
        } else {
            req->status = -ENOMEM;
        }
    }
    req->done = true;
    stats.replies++;
    wait_queue_wake_all(&req->wq);
}

/* Take everything the response ring holds, dispatching each message as it completes. */
static void drain_responses(void)
{
    bool consumed = false;

    while (!broken) {
        XENSTORE_RING_IDX cons = ring->rsp_cons, prod = READ_ONCE(ring->rsp_prod);
        size_t off, avail, used;
        int status;

        if (cons == prod)
            break;
        rmb(); /* the index before the bytes it publishes */
        if (prod - cons > XENSTORE_RING_SIZE) {
            connection_broken("the response ring's indices are impossible");
            break;
        }
        off = MASK_XENSTORE_IDX(cons);
        avail = prod - cons;
        if (avail > XENSTORE_RING_SIZE - off)
            avail = XENSTORE_RING_SIZE - off;
        used = xs_reader_feed(&reader, ring->rsp + off, avail, &status);
        mb(); /* finish reading the slots before handing them back */
        ring->rsp_cons = cons + used;
        consumed = true;
        if (status == 1)
            dispatch();
        else if (status < 0)
            connection_broken("a reply's header is malformed");
    }
    if (consumed)
        ring_notify();
}

static bool responses_waiting(void)
{
    return READ_ONCE(ring->rsp_prod) != READ_ONCE(ring->rsp_cons);
}

static void reader_thread(void *arg)
{
    (void)arg;
    while (!broken) {
        wait_event(&ring_wq, broken || responses_waiting());
        drain_responses();
    }
}

/*
 * Send one request and wait for its reply. On success *reply (if asked for) is the
 * payload with a NUL after it, from xmalloc, and *reply_len its length.
 */
static int request(enum xsd_sockmsg_type type, xs_transaction_t t, const char *const *strings,
                   size_t n_strings, const void *data, size_t data_len, char **reply,
                   uint32_t *reply_len)
{
    struct xs_request req = {.type = type};
    int len, rc;

    if (!connected)
        return -ENOTCONN;
    wait_queue_init(&req.wq);
    mutex_lock(&write_lock);
    if (broken) {
        mutex_unlock(&write_lock);
        return -ENOTCONN;
    }
    req.req_id = next_req_id++;
    if (next_req_id == 0) /* 0 is what watch events carry */
        next_req_id = 1;
    len = xs_wire_build(request_buf, sizeof(request_buf), type, req.req_id, t, strings, n_strings,
                        data, data_len);
    if (len < 0) {
        mutex_unlock(&write_lock);
        return len;
    }
    /* Listed before the request goes out, so that its reply always finds it. */
    list_add_tail(&pending_requests, &req.link);
    stats.requests++;
    rc = ring_write(request_buf, (size_t)len);
    mutex_unlock(&write_lock);
    if (rc) {
        list_del(&req.link); /* the connection broke (and may have unlisted it already) */
        return rc;
    }
    wait_event(&req.wq, req.done);
    if (req.status)
        return req.status;
    if (reply) {
        *reply = req.reply;
        if (reply_len)
            *reply_len = req.len;
    } else {
        xfree(req.reply);
    }
    return 0;
}

/* A request with one path argument; -EINVAL for a path xenstored would refuse. */
static int path_request(enum xsd_sockmsg_type type, xs_transaction_t t, const char *path,
                        const void *data, size_t data_len, char **reply, uint32_t *reply_len)
{
    if (!xs_wire_path_ok(path, false))
        return -EINVAL;
    return request(type, t, &path, 1, data, data_len, reply, reply_len);
}

int xenstore_read(xs_transaction_t t, const char *path, char **value, size_t *len)
{
    uint32_t n;
    int rc = path_request(XS_READ, t, path, NULL, 0, value, &n);

    if (rc == 0 && len)
        *len = n;
    return rc;
}

int xenstore_read_buf(xs_transaction_t t, const char *path, char *buf, size_t size)
{
    char *value;
    size_t len;
    int rc = xenstore_read(t, path, &value, &len);

    if (rc)
        return rc;
    if (len >= size) {
        rc = -E2BIG;
    } else {
        memcpy(buf, value, len + 1);
    }
    xfree(value);
    return rc;
}

int xenstore_read_uint(xs_transaction_t t, const char *path, uint32_t max, uint32_t *value)
{
    char *text;
    size_t len;
    int rc = xenstore_read(t, path, &text, &len);

    if (rc)
        return rc;
    rc = xs_wire_number(text, len, max, value);
    xfree(text);
    return rc == -EBADMSG ? -EINVAL : rc; /* not a number, or above max */
}

int xenstore_write_bytes(xs_transaction_t t, const char *path, const void *value, size_t len)
{
    return path_request(XS_WRITE, t, path, value, len, NULL, NULL);
}

int xenstore_write(xs_transaction_t t, const char *path, const char *value)
{
    return xenstore_write_bytes(t, path, value, strlen(value));
}

int xenstore_printf(xs_transaction_t t, const char *path, const char *fmt, ...)
{
    char value[128];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(value, sizeof(value), fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof(value))
        return -E2BIG;
    return xenstore_write_bytes(t, path, value, (size_t)n);
}

int xenstore_mkdir(xs_transaction_t t, const char *path)
{
    return path_request(XS_MKDIR, t, path, NULL, 0, NULL, NULL);
}

int xenstore_rm(xs_transaction_t t, const char *path)
{
    return path_request(XS_RM, t, path, NULL, 0, NULL, NULL);
}

/* How many NUL-terminated strings a payload could hold: its NULs. */
static size_t count_nuls(const char *body, size_t len)
{
    size_t i, n = 0;

    for (i = 0; i < len; i++)
        n += body[i] == '\0';
    return n;
}

int xenstore_directory(xs_transaction_t t, const char *path, char ***names, unsigned int *count)
{
    char *body, **list;
    uint32_t len;
    size_t n;
    int rc = path_request(XS_DIRECTORY, t, path, NULL, 0, &body, &len);

    if (rc)
        return rc;
    /* One allocation: the pointers, then a copy of the payload they point into. */
    n = count_nuls(body, len);
    list = xmalloc(n * sizeof(char *) + len + 1, sizeof(char *));
    if (!list) {
        xfree(body);
        return -ENOMEM;
    }
    memcpy((char *)(list + n), body, len + 1);
    xfree(body);
    rc = xs_wire_split((char *)(list + n), len, (const char **)list, n);
    if (rc < 0) {
        xfree(list);
        return rc;
    }
    *names = list;
    *count = (unsigned int)rc;
    return 0;
}

/* The letter of each enum xs_perm_access, in the enum's order. */
static const char perm_letters[] = "nrwb";
#define N_PERM_LETTERS (sizeof(perm_letters) - 1)

/* One entry of a permission list: a letter and a domid ("r5"). */
static int parse_permission(const char *text, struct xs_permission *perm)
{
    const char *letter = text[0] ? strchr(perm_letters, text[0]) : NULL;
    uint32_t domid;

    if (!letter || xs_wire_number(text + 1, strlen(text + 1), DOMID_FIRST_RESERVED - 1, &domid))
        return -EBADMSG;
    perm->access = (enum xs_perm_access)(letter - perm_letters);
    perm->domid = (domid_t)domid;
    return 0;
}

int xenstore_get_perms(xs_transaction_t t, const char *path, struct xs_permission *perms,
                       unsigned int max, unsigned int *count)
{
    const char **entries;
    char *body;
    uint32_t len;
    size_t n;
    int rc = path_request(XS_GET_PERMS, t, path, NULL, 0, &body, &len);
    int i;

    if (rc)
        return rc;
    n = count_nuls(body, len);
    entries = xmalloc((n ? n : 1) * sizeof(*entries), sizeof(*entries));
    rc = entries ? xs_wire_split(body, len, entries, n) : -ENOMEM;
    if (rc == 0)
        rc = -EBADMSG; /* a node always has an owner */
    if (rc > 0) {
        *count = (unsigned int)rc;
        for (i = 0; i < rc && i < (int)max; i++) {
            if (parse_permission(entries[i], &perms[i]) != 0) {
                rc = -EBADMSG;
                break;
            }
        }
        if (rc > 0)
            rc = *count > max ? -E2BIG : 0;
    }
    xfree(entries);
    xfree(body);
    return rc;
}

int xenstore_set_perms(xs_transaction_t t, const char *path, const struct xs_permission *perms,
                       unsigned int count)
{
    /* The path, then one "<letter><domid>" string per entry. */
    const char **strings;
    char(*text)[8];
    unsigned int i;
    int rc;

    if (count == 0 || !xs_wire_path_ok(path, false))
        return -EINVAL;
    strings = xmalloc((count + 1) * sizeof(*strings), sizeof(*strings));
    text = xmalloc(count * sizeof(*text), 1);
    rc = strings && text ? 0 : -ENOMEM;
    for (i = 0; rc == 0 && i < count; i++) {
        if ((unsigned int)perms[i].access >= N_PERM_LETTERS ||
            perms[i].domid >= DOMID_FIRST_RESERVED)
            rc = -EINVAL;
        else
            snprintf(text[i], sizeof(text[i]), "%c%u", perm_letters[perms[i].access],
                     perms[i].domid);
        strings[i + 1] = text[i];
    }
    if (rc == 0) {
        strings[0] = path;
        rc = request(XS_SET_PERMS, t, strings, count + 1, NULL, 0, NULL, NULL);
    }
    xfree(text);
    xfree(strings);
    return rc;
}

int xenstore_transaction_start(xs_transaction_t *t)
{
    static const char *const empty = "";
    char *body;
    uint32_t len, id;
    int rc = request(XS_TRANSACTION_START, XS_NO_TRANSACTION, &empty, 1, NULL, 0, &body, &len);

    if (rc)
        return rc;
    rc = xs_wire_number(body, len, UINT32_MAX, &id);
    xfree(body);
    if (rc == 0 && id == XS_NO_TRANSACTION)
        rc = -EBADMSG;
    if (rc == 0)
        *t = id;
    return rc;
}

int xenstore_transaction_end(xs_transaction_t t, bool abort)
{
    const char *verdict = abort ? "F" : "T";

    return request(XS_TRANSACTION_END, t, &verdict, 1, NULL, 0, NULL, NULL);
}

int xenstore_transact(int (*fn)(xs_transaction_t t, void *arg), void *arg)
{
    int tries, rc = -EAGAIN;

    for (tries = 0; tries < XS_TRANSACTION_TRIES && rc == -EAGAIN; tries++) {
        xs_transaction_t t;

        rc = xenstore_transaction_start(&t);
        if (rc)
            return rc;
        rc = fn(t, arg);
        if (rc) {
            /* fn's error is the one that matters; a failed abort leaves nothing behind. */
            xenstore_transaction_end(t, true);
            return rc;
        }
        rc = xenstore_transaction_end(t, false);
    }
    return rc;
}

int xenstore_watch(struct xs_watch *w, const char *path)
{
    const char *strings[2];
    int rc;

    if (!xs_wire_path_ok(path, true))
        return -EINVAL;
    if (strlen(path) >= sizeof(w->path))
        return -E2BIG;
    strlcpy(w->path, path, sizeof(w->path));
    snprintf(w->token, sizeof(w->token), "mini-os/%u", ++watch_seq);
    w->events = 0;
    wait_queue_init(&w->wq);
    /* Listed first: xenstored fires the watch right after it replies. */
    list_add_tail(&watches, &w->link);
    strings[0] = w->path;
    strings[1] = w->token;
    rc = request(XS_WATCH, XS_NO_TRANSACTION, strings, 2, NULL, 0, NULL, NULL);
    if (rc)
        list_del(&w->link);
    return rc;
}

int xenstore_unwatch(struct xs_watch *w)
{
    const char *strings[2] = {w->path, w->token};
    int rc = request(XS_UNWATCH, XS_NO_TRANSACTION, strings, 2, NULL, 0, NULL, NULL);

    /* Gone from our side whatever xenstored says: no event can reach w any more. */
    list_del(&w->link);
    return rc;
}

int xenstore_watch_wait(struct xs_watch *w, uint64_t deadline_ns)
{
    bool fired = wait_event_deadline(&w->wq, w->events > 0 || broken, deadline_ns);

    if (w->events > 0) {
        w->events = 0;
        return 0;
    }
    return fired ? -ENOTCONN : -ETIMEDOUT;
}

int xenstore_wait_for_value(const char *path, const char *want, uint64_t deadline_ns)
{
    struct xs_watch w;
    char *value;
    int rc = xenstore_watch(&w, path);
    bool watching = rc == 0;

    while (rc == 0) {
        /* Read after each event, the first of which comes when the watch is set. */
        rc = xenstore_watch_wait(&w, deadline_ns);
        if (rc)
            break;
        rc = xenstore_read(XS_NO_TRANSACTION, path, &value, NULL);
        if (rc == 0) {
            bool match = strcmp(value, want) == 0;

            xfree(value);
            if (match)
                break;
        } else if (rc != -ENOENT) {
            break;
        }
        rc = 0;
    }
    if (watching)
        xenstore_unwatch(&w);
    return rc;
}

bool xenstore_connected(void)
{
    return connected && !broken;
}

domid_t xenstore_domid(void)
{
    return self_domid;
}

const char *xenstore_home(void)
{
    return home_path;
}

void xenstore_get_stats(struct xenstore_stats *s)
{
    *s = stats;
}

/* Who we are: our domid (which the toolstack writes in our home), then our home. */
static int learn_identity(void)
{
    char domid_text[8];
    const char *arg = domid_text;
    char *home;
    uint32_t domid, len;
    int rc;

    rc = xenstore_read_uint(XS_NO_TRANSACTION, "domid", DOMID_FIRST_RESERVED - 1, &domid);
    if (rc)
        return rc;
    snprintf(domid_text, sizeof(domid_text), "%u", domid);
    rc = request(XS_GET_DOMAIN_PATH, XS_NO_TRANSACTION, &arg, 1, NULL, 0, &home, &len);
    if (rc)
        return rc;
    /* "<path>" and a NUL (docs/misc/xenstore.txt); accept it without the NUL too. */
    if (len > 0 && home[len - 1] == '\0')
        len--;
    if (len == 0 || len >= sizeof(home_path) || strlen(home) != len)
        rc = -EBADMSG;
    else
        memcpy(home_path, home, len + 1);
    xfree(home);
    self_domid = (domid_t)domid;
    return rc;
}

int xenstore_init(void)
{
    int rc;

    /* The initial domain starts before any xenstored exists: it has no ring. */
    if ((start_info->flags & SIF_INITDOMAIN) || start_info->store_mfn == 0)
        return -ENODEV;
    ring = mfn_to_virt(start_info->store_mfn);
    ring_port = start_info->store_evtchn;
    mutex_init(&write_lock);
    xs_reader_init(&reader);
    rc = evtchn_attach(ring_port, ring_event, NULL);
    if (rc)
        return rc;
    if (!thread_create("xenstore", reader_thread, NULL))
        return -ENOMEM;
    connected = true;
    rc = learn_identity();
    if (rc)
        printk("xenstore: cannot learn our domid and home: %s\n", errno_name(rc));
    return rc;
}

static int xenstore_start(void)
{
    int rc = xenstore_init();

    if (rc == -ENODEV) {
        printk("Xenstore: none (the initial domain starts before any xenstored)\n");
        return 0;
    }
    if (rc == 0)
        printk("Xenstore: connected; we are domain %u, home %s\n", self_domid, home_path);
    return rc;
}
KERNEL_INIT(1, xenstore_start);
