/*
 * The xenstore operations (drivers/xenbus/xenstore.h) over the transport of
 * drivers/xenbus/xs_comms.c, and the kernel side of that transport: the ring page and
 * event channel Xen handed over (arch/x86/include/arch/boot_info.h), one wait queue,
 * and the reader thread.
 *
 * Every request waits for its reply until a deadline: XENSTORE_TIMEOUT_MS from when it
 * starts, or the deadline of the innermost xenstore_deadline scope the calling thread
 * is in, which is how xenbus_connect's deadline reaches the reads it makes.
 *
 * One wait queue serves every waiter of the transport (the write lock, room on the
 * request ring, replies, the reader): xenstore traffic is light and the threads
 * waiting on it few, so waking them all on each change costs little and keeps the
 * seam to the transport small. The event handler only wakes that queue; watches have
 * their own queues.
 */
#include <stdarg.h>
#include <xen/xen.h>

#include "lib/errno.h"
#include "lib/list.h"
#include "lib/vsnprintf.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "arch/boot_info.h"
#include "arch/page.h"
#include "mm/heap.h"
#include "mm/page_alloc.h"
#include "xen/events.h"
#include "xen/time.h"
#include "kernel/boot_report.h"
#include "kernel/initcall.h"
#include "kernel/mutex.h"
#include "kernel/thread.h"
#include "kernel/wait.h"
#include "drivers/xenbus/xenstore.h"
#include "drivers/xenbus/xs_comms.h"

static evtchn_port_t ring_port;
static bool connected;
/*
 * The transport's state (8 KiB, most of it the buffers for one message each way),
 * NULL until connected; the initial domain, which has no ring, gives the storage to
 * the page allocator.
 */
static struct xs_comms comms_storage PAGE_ALIGNED_BSS;
static struct xs_comms *comms;
static struct wait_queue comms_wq = WAIT_QUEUE_INIT(comms_wq);
static struct list_node watches = LIST_HEAD_INIT(watches);
static unsigned int watch_seq;
/* struct xenstore_deadline scopes of every thread, innermost last. */
static struct list_node deadlines = LIST_HEAD_INIT(deadlines);

/* Learnt on first use, not at connection: two round trips the boot need not wait for. */
static domid_t self_domid;
static char home_path[32];
static bool identity_known;
static struct mutex identity_lock;

static void ring_event(evtchn_port_t port, void *arg)
{
    (void)port;
    (void)arg;
    wait_queue_wake_all(&comms_wq);
}

static void comms_notify(void *ctx)
{
    (void)ctx;
    evtchn_send(ring_port);
}

static bool comms_wait(void *ctx, bool (*ready)(void *arg), void *arg, uint64_t deadline_ns)
{
    (void)ctx;
    return wait_event_deadline(&comms_wq, ready(arg), deadline_ns);
}

static void comms_wake(void *ctx)
{
    struct list_node *pos;

    (void)ctx;
    wait_queue_wake_all(&comms_wq);
    /* Watch waiters learn of a break here; their events come through comms_watch_event. */
    if (xs_comms_broken(comms))
        list_for_each(pos, &watches)
            wait_queue_wake_all(&list_entry(pos, struct xs_watch, link)->wq);
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

static bool comms_watch_event(void *ctx, const char *path, const char *token)
{
    struct xs_watch *w = watch_by_token(token);

    (void)ctx;
    (void)path;
    if (!w)
        return false;
    xenstore_watch_fire(w);
    return true;
}

static const struct xs_comms_ops comms_ops = {
    .notify = comms_notify,
    .wait = comms_wait,
    .wake = comms_wake,
    .watch_event = comms_watch_event,
};

static void reader_thread(void *arg)
{
    (void)arg;
    xs_comms_run_reader(comms);
}

void xenstore_deadline_begin(struct xenstore_deadline *d, uint64_t deadline_ns)
{
    d->thread = thread_current();
    d->deadline_ns = deadline_ns;
    list_add_tail(&deadlines, &d->link);
}

void xenstore_deadline_end(struct xenstore_deadline *d)
{
    list_del(&d->link);
}

/* The calling thread's innermost scope's deadline, or XENSTORE_TIMEOUT_MS from now. */
static uint64_t request_deadline(void)
{
    const struct thread *self = thread_current();
    struct list_node *pos;

    for (pos = deadlines.prev; pos != &deadlines; pos = pos->prev) {
        const struct xenstore_deadline *d = list_entry(pos, struct xenstore_deadline, link);

        if (d->thread == self && d->deadline_ns != 0)
            return d->deadline_ns;
    }
    return xen_system_time_ns() + (uint64_t)XENSTORE_TIMEOUT_MS * NSEC_PER_MSEC;
}

/* Send one request and wait for its reply (drivers/xenbus/xs_comms.h:xs_comms_request). */
static int request(enum xsd_sockmsg_type type, xs_transaction_t t, const char *const *strings,
                   size_t n_strings, const void *data, size_t data_len, char **reply,
                   uint32_t *reply_len)
{
    if (!connected)
        return -ENOTCONN;
    return xs_comms_request(comms, type, t, strings, n_strings, data, data_len, request_deadline(),
                            reply, reply_len);
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

int xenstore_read_u64(xs_transaction_t t, const char *path, uint64_t max, uint64_t *value)
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

int xenstore_read_uint(xs_transaction_t t, const char *path, uint32_t max, uint32_t *value)
{
    uint64_t v;
    int rc = xenstore_read_u64(t, path, max, &v);

    if (rc == 0)
        *value = (uint32_t)v;
    return rc;
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
    uint64_t domid;

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
    unsigned int i;

    if (rc)
        return rc;
    n = count_nuls(body, len);
    entries = xmalloc((n ? n : 1) * sizeof(*entries), sizeof(*entries));
    rc = entries ? xs_wire_split(body, len, entries, n) : -ENOMEM;
    if (rc == 0)
        rc = -EBADMSG; /* a node always has an owner */
    if (rc > 0) {
        *count = (unsigned int)rc;
        for (i = 0; i < (unsigned int)rc && i < max; i++) {
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
    uint32_t len;
    uint64_t id;
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

/* Whether w is on the watch list; found by address, so w's own fields may hold anything. */
static bool watch_listed(const struct xs_watch *w)
{
    struct list_node *pos;

    list_for_each(pos, &watches)
    {
        if (pos == &w->link)
            return true;
    }
    return false;
}

int xenstore_watch(struct xs_watch *w, const char *path)
{
    const char *strings[2];
    int rc;

    /* Listing it twice would tie the list in a knot. */
    if (watch_listed(w))
        return -EEXIST;
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
    int rc;

    /* Never set, unwatched already, or left behind by a failed xenbus_device_init. */
    if (!watch_listed(w))
        return -ENOENT;
    rc = request(XS_UNWATCH, XS_NO_TRANSACTION, strings, 2, NULL, 0, NULL, NULL);

    /* Gone from our side whatever xenstored says: no event can reach w any more. */
    list_del(&w->link);
    return rc;
}

void xenstore_watch_fire(struct xs_watch *w)
{
    w->events++;
    wait_queue_wake_all(&w->wq);
}

int xenstore_watch_wait(struct xs_watch *w, uint64_t deadline_ns)
{
    bool fired =
        wait_event_deadline(&w->wq, w->events > 0 || !comms || xs_comms_broken(comms), deadline_ns);

    if (w->events > 0) {
        w->events = 0;
        return 0;
    }
    return fired ? -ENOTCONN : -ETIMEDOUT;
}

int xenstore_wait_for_value(const char *path, const char *want, uint64_t deadline_ns)
{
    struct xenstore_deadline scope;
    struct xs_watch w;
    char *value;
    bool watching;
    int rc;

    xenstore_deadline_begin(&scope, deadline_ns);
    rc = xenstore_watch(&w, path);
    watching = rc == 0;

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
    xenstore_deadline_end(&scope);
    return rc;
}

bool xenstore_connected(void)
{
    return connected && !xs_comms_broken(comms);
}

void xenstore_get_stats(struct xs_comms_stats *s)
{
    *s = comms ? comms->stats : (struct xs_comms_stats){0};
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

/* Learn who we are once, by whichever thread asks first; a failure is said once. */
static void identity_learn_once(void)
{
    int rc;

    if (!connected)
        return;
    mutex_lock(&identity_lock);
    if (!identity_known) {
        rc = learn_identity();
        if (rc)
            printk("xenstore: cannot learn our domid and home: %s\n", errno_name(rc));
        identity_known = true;
    }
    mutex_unlock(&identity_lock);
}

domid_t xenstore_domid(void)
{
    identity_learn_once();
    return self_domid;
}

const char *xenstore_home(void)
{
    identity_learn_once();
    return home_path;
}

int xenstore_init(void)
{
    struct boot_ring ring;
    struct thread *reader;
    int rc;

    /* The initial domain starts before any xenstored exists: it has no ring. */
    if (!boot_xenstore_ring(&ring)) {
        page_alloc_release_image(&comms_storage, sizeof(comms_storage));
        return -ENODEV;
    }
    comms = &comms_storage;
    xs_comms_init(comms, ring.page, &comms_ops, NULL);
    ring_port = ring.port;
    rc = evtchn_attach(ring_port, ring_event, NULL);
    if (rc)
        return rc;
    reader = thread_create("xenstore", reader_thread, NULL);
    if (!reader)
        return -ENOMEM;
    /* It ends when the connection breaks, and nobody waits for that: free it then. */
    thread_detach(reader);
    mutex_init(&identity_lock);
    connected = true;
    return 0;
}

static int xenstore_start(void)
{
    int rc = xenstore_init();

    if (rc == -ENODEV) {
        if (boot_verbose())
            printk("Xenstore: none (the initial domain starts before any xenstored)\n");
        return 0;
    }
    if (rc == 0 && boot_verbose())
        printk("Xenstore: connected; we are domain %u, home %s\n", xenstore_domid(),
               xenstore_home());
    return rc;
}
KERNEL_INIT(1, xenstore_start);
