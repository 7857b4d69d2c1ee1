/*
 * The frontend half of the xenbus handshake, as one table of allowed moves and a few
 * steps built on xenstore reads, writes and one watch on the backend's state.
 */
#include "lib/errno.h"
#include "lib/vsnprintf.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "drivers/xenbus/xenbus.h"

#define STATE_BIT(s) (1u << (s))

/*
 * Where a frontend may go from each state. Closing is allowed from any state but
 * Closed (any failure ends that way); Closed -> Initialising starts a device over.
 */
static const unsigned int frontend_moves[] = {
    [XenbusStateUnknown] = STATE_BIT(XenbusStateInitialising),
    [XenbusStateInitialising] = STATE_BIT(XenbusStateInitialised),
    [XenbusStateInitWait] = STATE_BIT(XenbusStateInitialised),
    [XenbusStateInitialised] = STATE_BIT(XenbusStateConnected),
    [XenbusStateConnected] = STATE_BIT(XenbusStateReconfiguring),
    [XenbusStateClosing] = STATE_BIT(XenbusStateClosed),
    [XenbusStateClosed] = STATE_BIT(XenbusStateInitialising),
    [XenbusStateReconfiguring] = STATE_BIT(XenbusStateReconfigured),
    [XenbusStateReconfigured] = STATE_BIT(XenbusStateConnected),
};

static const char *const state_names[] = {[XenbusStateUnknown] = "Unknown",
                                          [XenbusStateInitialising] = "Initialising",
                                          [XenbusStateInitWait] = "InitWait",
                                          [XenbusStateInitialised] = "Initialised",
                                          [XenbusStateConnected] = "Connected",
                                          [XenbusStateClosing] = "Closing",
                                          [XenbusStateClosed] = "Closed",
                                          [XenbusStateReconfiguring] = "Reconfiguring",
                                          [XenbusStateReconfigured] = "Reconfigured"};

#define N_STATES (sizeof(state_names) / sizeof(state_names[0]))

const char *xenbus_state_name(enum xenbus_state state)
{
    return (unsigned int)state < N_STATES ? state_names[state] : "(invalid)";
}

bool xenbus_frontend_may_switch(enum xenbus_state from, enum xenbus_state to)
{
    if ((unsigned int)from >= N_STATES || (unsigned int)to >= N_STATES)
        return false;
    if (to == XenbusStateClosing && from != XenbusStateClosed)
        return true;
    return frontend_moves[from] & STATE_BIT(to);
}

int xenbus_device_init(struct xenbus_device *dev, const char *type, unsigned int index)
{
    char path[80];
    uint32_t backend_id;
    int rc;

    memset(dev, 0, sizeof(*dev));
    if ((size_t)snprintf(dev->nodename, sizeof(dev->nodename), "device/%s/%u", type, index) >=
        sizeof(dev->nodename))
        return -E2BIG;
    snprintf(path, sizeof(path), "%s/backend", dev->nodename);
    rc = xenstore_read_buf(XS_NO_TRANSACTION, path, dev->backend, sizeof(dev->backend));
    if (rc)
        return rc;
    snprintf(path, sizeof(path), "%s/backend-id", dev->nodename);
    rc = xenstore_read_uint(XS_NO_TRANSACTION, path, DOMID_FIRST_RESERVED - 1, &backend_id);
    if (rc)
        return rc;
    dev->backend_id = (domid_t)backend_id;
    snprintf(dev->backend_state, sizeof(dev->backend_state), "%s/state", dev->backend);
    dev->state = XenbusStateInitialising;
    return xenstore_watch(&dev->watch, dev->backend_state);
}

void xenbus_device_release(struct xenbus_device *dev)
{
    xenstore_unwatch(&dev->watch);
}

int xenbus_switch_state(struct xenbus_device *dev, xs_transaction_t t, enum xenbus_state state)
{
    char path[64];
    int rc;

    if (state == dev->state)
        return 0;
    if (!xenbus_frontend_may_switch(dev->state, state)) {
        printk("xenbus: %s: no move from %s to %s\n", dev->nodename, xenbus_state_name(dev->state),
               xenbus_state_name(state));
        return -EINVAL;
    }
    snprintf(path, sizeof(path), "%s/state", dev->nodename);
    rc = xenstore_printf(t, path, "%u", state);
    if (rc == 0)
        dev->state = state;
    return rc;
}

int xenbus_read_backend_state(struct xenbus_device *dev, enum xenbus_state *state)
{
    uint32_t value;
    int rc = xenstore_read_uint(XS_NO_TRANSACTION, dev->backend_state, N_STATES - 1, &value);

    if (rc == -ENOENT) {
        *state = XenbusStateUnknown;
        return 0;
    }
    if (rc == 0)
        *state = (enum xenbus_state)value;
    return rc;
}

static int wait_backend_state(struct xenbus_device *dev, enum xenbus_state want,
                              uint64_t deadline_ns, enum xenbus_state *got)
{
    for (;;) {
        enum xenbus_state now;
        int rc = xenbus_read_backend_state(dev, &now);

        if (rc)
            return rc;
        if (got)
            *got = now;
        if (now >= want && now <= XenbusStateClosed)
            return 0;
        if (want < XenbusStateClosing && now >= XenbusStateClosing && now <= XenbusStateClosed)
            return -ECONNRESET;
        rc = xenstore_watch_wait(&dev->watch, deadline_ns);
        if (rc)
            return rc;
    }
}

int xenbus_wait_backend_state(struct xenbus_device *dev, enum xenbus_state want,
                              uint64_t deadline_ns, enum xenbus_state *got)
{
    struct xenstore_deadline scope;
    int rc;

    /* The reads between the events wait no longer than the caller does. */
    xenstore_deadline_begin(&scope, deadline_ns);
    rc = wait_backend_state(dev, want, deadline_ns, got);
    xenstore_deadline_end(&scope);
    return rc;
}

struct publish {
    struct xenbus_device *dev;
    int (*write_keys)(struct xenbus_device *dev, xs_transaction_t t, void *arg);
    void *arg;
};

static int publish_keys(xs_transaction_t t, void *arg)
{
    struct publish *p = arg;
    enum xenbus_state before = p->dev->state;
    int rc = p->write_keys(p->dev, t, p->arg);

    if (rc == 0)
        rc = xenbus_switch_state(p->dev, t, XenbusStateInitialised);
    /* Published only if the transaction commits: a retry starts from the old state. */
    p->dev->state = before;
    return rc;
}

/*
 * The handshake after InitWait. Most backends connect once they read our keys at
 * Initialised; Linux's netback waits until the frontend says Connected, so a frontend
 * of such a backend (connect_first) goes on to Connected before it waits.
 */
static int connect(struct xenbus_device *dev,
                   int (*write_keys)(struct xenbus_device *dev, xs_transaction_t t, void *arg),
                   void *arg, uint64_t deadline_ns, bool connect_first)
{
    struct publish p = {dev, write_keys, arg};
    enum xenbus_state backend = XenbusStateUnknown;
    struct xenstore_deadline scope;
    int rc;

    /* Every request on the way, the transaction's and write_keys' included. */
    xenstore_deadline_begin(&scope, deadline_ns);
    rc = xenbus_wait_backend_state(dev, XenbusStateInitWait, deadline_ns, &backend);
    if (rc)
        goto fail;
    rc = xenstore_transact(publish_keys, &p);
    if (rc)
        goto fail;
    dev->state = XenbusStateInitialised;
    if (connect_first) {
        rc = xenbus_switch_state(dev, XS_NO_TRANSACTION, XenbusStateConnected);
        if (rc)
            goto fail;
    }
    rc = xenbus_wait_backend_state(dev, XenbusStateConnected, deadline_ns, &backend);
    if (rc)
        goto fail;
    if (!connect_first)
        rc = xenbus_switch_state(dev, XS_NO_TRANSACTION, XenbusStateConnected);
    xenstore_deadline_end(&scope);
    return rc;
fail:
    xenstore_deadline_end(&scope);
    printk("xenbus: %s: connecting failed with the backend in %s: %s\n", dev->nodename,
           xenbus_state_name(backend), errno_name(rc));
    return rc;
}

int xenbus_connect(struct xenbus_device *dev,
                   int (*write_keys)(struct xenbus_device *dev, xs_transaction_t t, void *arg),
                   void *arg, uint64_t deadline_ns)
{
    return connect(dev, write_keys, arg, deadline_ns, false);
}

int xenbus_connect_first(struct xenbus_device *dev,
                         int (*write_keys)(struct xenbus_device *dev, xs_transaction_t t,
                                           void *arg),
                         void *arg, uint64_t deadline_ns)
{
    return connect(dev, write_keys, arg, deadline_ns, true);
}

int xenbus_disconnect(struct xenbus_device *dev, uint64_t deadline_ns)
{
    struct xenstore_deadline scope;
    int rc;

    xenstore_deadline_begin(&scope, deadline_ns);
    rc = xenbus_switch_state(dev, XS_NO_TRANSACTION, XenbusStateClosing);
    if (rc == 0)
        rc = xenbus_wait_backend_state(dev, XenbusStateClosing, deadline_ns, NULL);
    if (rc == 0)
        rc = xenbus_switch_state(dev, XS_NO_TRANSACTION, XenbusStateClosed);
    xenstore_deadline_end(&scope);
    return rc;
}
