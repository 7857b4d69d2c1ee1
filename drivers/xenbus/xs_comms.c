/*
 * The xenstore transport (drivers/xenbus/xs_comms.h): the ring arithmetic, the requests
 * in flight and the reader's dispatch.
 *
 * Requests: a thread takes the write lock (c->writing), lays its request out in
 * tx_buf, lists it, copies it onto the request ring, waiting for room as needed, lets
 * the lock go, then waits until its reply has been handed over. Every wait has the
 * request's deadline, the lock's included, so that a daemon that stops reading or
 * answering ends each request with -ETIMEDOUT instead of a hang.
 *
 * The indices are free-running 32-bit counters (they need not start at 0); slots are
 * index mod XENSTORE_RING_SIZE. Whoever produces writes the bytes, then a barrier,
 * then the index; whoever consumes reads the index, then a barrier, then the bytes.
 */
#include "lib/errno.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "arch/cpu.h"
#include "mm/heap.h"
#include "drivers/xenbus/xs_comms.h"

/* A request between being sent and being answered; lives on its sender's stack. */
struct xs_comms_request {
    struct list_node link; /* in c->pending while listed */
    uint32_t req_id;
    enum xsd_sockmsg_type type;
    bool done;
    int status;  /* 0, or what the caller gets */
    char *reply; /* the payload and a NUL, from xmalloc */
    uint32_t len;
};

int xs_ring_write(struct xenstore_domain_interface *ring, const void *data, size_t len)
{
    XENSTORE_RING_IDX cons = READ_ONCE(ring->req_cons), prod = ring->req_prod;
    size_t off, chunk, done = 0;

    mb(); /* read req_cons before overwriting the slots it frees */
    if (prod - cons > XENSTORE_RING_SIZE)
        return -EBADMSG;
    /* At most two pieces: up to the ring's end, then from its start. */
    while (done < len && prod - cons < XENSTORE_RING_SIZE) {
        off = MASK_XENSTORE_IDX(prod);
        chunk = XENSTORE_RING_SIZE - (prod - cons);
        if (chunk > XENSTORE_RING_SIZE - off)
            chunk = XENSTORE_RING_SIZE - off;
        if (chunk > len - done)
            chunk = len - done;
        memcpy(ring->req + off, (const char *)data + done, chunk);
        prod += chunk;
        done += chunk;
    }
    wmb(); /* the bytes before the index that publishes them */
    ring->req_prod = prod;
    return (int)done;
}

bool xs_ring_has_room(const struct xenstore_domain_interface *ring)
{
    return READ_ONCE(ring->req_prod) - READ_ONCE(ring->req_cons) != XENSTORE_RING_SIZE;
}

bool xs_ring_has_responses(const struct xenstore_domain_interface *ring)
{
    return READ_ONCE(ring->rsp_prod) != READ_ONCE(ring->rsp_cons);
}

bool xs_comms_broken(const struct xs_comms *c)
{
    return c->broken;
}

void xs_comms_init(struct xs_comms *c, struct xenstore_domain_interface *ring,
                   const struct xs_comms_ops *ops, void *ctx)
{
    memset(c, 0, sizeof(*c));
    c->ring = ring;
    c->ops = ops;
    c->ctx = ctx;
    c->next_req_id = 1;
    list_init(&c->pending);
    xs_reader_init(&c->reader);
}

/* Fail every request in flight and wake every waiter: the stream cannot be trusted. */
static void connection_broken(struct xs_comms *c, const char *why)
{
    struct list_node *pos, *tmp;

    printk("xenstore: %s; the connection is closed\n", why);
    c->broken = true;
    list_for_each_safe(pos, tmp, &c->pending)
    {
        struct xs_comms_request *req = list_entry(pos, struct xs_comms_request, link);

        list_del(&req->link);
        req->status = -ENOTCONN;
        req->done = true;
    }
    c->ops->wake(c->ctx);
}

static void deliver_watch_event(struct xs_comms *c)
{
    const char *path, *token;

    if (xs_wire_watch_event(c->reader.body, c->reader.hdr.len, &path, &token) != 0) {
        printk("xenstore: malformed watch event dropped\n");
        c->stats.stray++;
        return;
    }
    /* No watch is normal just after an unwatch: events already on their way still arrive. */
    if (c->ops->watch_event(c->ctx, path, token))
        c->stats.watch_events++;
    else
        c->stats.stray++;
}

static struct xs_comms_request *pending_by_id(struct xs_comms *c, uint32_t req_id)
{
    struct list_node *pos;

    list_for_each(pos, &c->pending)
    {
        struct xs_comms_request *req = list_entry(pos, struct xs_comms_request, link);

        if (req->req_id == req_id)
            return req;
    }
    return NULL;
}

/* The reader holds a complete message: give it to whoever waits for it. */
static void dispatch(struct xs_comms *c)
{
    const struct xsd_sockmsg *hdr = &c->reader.hdr;
    struct xs_comms_request *req;

    if (hdr->type == XS_WATCH_EVENT) {
        deliver_watch_event(c);
        return;
    }
    /* A request that timed out is unlisted: its late reply lands here and is dropped. */
    req = pending_by_id(c, hdr->req_id);
    if (!req) {
        printk("xenstore: reply %u (type %u) to no request dropped\n", hdr->req_id, hdr->type);
        c->stats.stray++;
        return;
    }
    list_del(&req->link);
    req->status = xs_wire_reply_status(hdr, c->reader.body, req->type);
    if (req->status == -EBADMSG)
        printk("xenstore: reply of type %u to a request of type %u\n", hdr->type, req->type);
    if (req->status == 0) {
        req->reply = xmalloc(hdr->len + 1, 1);
        if (req->reply) {
            memcpy(req->reply, c->reader.body, hdr->len + 1);
            req->len = hdr->len;
        } else {
            req->status = -ENOMEM;
        }
    }
    req->done = true;
    c->stats.replies++;
    c->ops->wake(c->ctx);
}

void xs_comms_drain(struct xs_comms *c)
{
    struct xenstore_domain_interface *ring = c->ring;
    bool consumed = false;

    while (!c->broken) {
        XENSTORE_RING_IDX cons = ring->rsp_cons, prod = READ_ONCE(ring->rsp_prod);
        size_t off, avail, used;
        int status;

        if (cons == prod)
            break;
        rmb(); /* the index before the bytes it publishes */
        if (prod - cons > XENSTORE_RING_SIZE) {
            connection_broken(c, "the response ring's indices are impossible");
            break;
        }
        off = MASK_XENSTORE_IDX(cons);
        avail = prod - cons;
        if (avail > XENSTORE_RING_SIZE - off)
            avail = XENSTORE_RING_SIZE - off;
        used = xs_reader_feed(&c->reader, ring->rsp + off, avail, &status);
        mb(); /* finish reading the slots before handing them back */
        ring->rsp_cons = cons + used;
        consumed = true;
        if (status == 1)
            dispatch(c);
        else if (status < 0)
            connection_broken(c, "a reply's header is malformed");
    }
    if (consumed)
        c->ops->notify(c->ctx);
}

static bool responses_or_broken(void *arg)
{
    struct xs_comms *c = arg;

    return c->broken || xs_ring_has_responses(c->ring);
}

void xs_comms_run_reader(struct xs_comms *c)
{
    while (!c->broken) {
        c->ops->wait(c->ctx, responses_or_broken, c, 0);
        xs_comms_drain(c);
    }
}

static bool room_or_broken(void *arg)
{
    struct xs_comms *c = arg;

    return c->broken || xs_ring_has_room(c->ring);
}

/* Copy the rest of tx_buf onto the ring, waiting for room until deadline_ns. */
static int flush_tx(struct xs_comms *c, uint64_t deadline_ns)
{
    while (c->tx_off < c->tx_len) {
        int n;

        if (!c->ops->wait(c->ctx, room_or_broken, c, deadline_ns))
            return -ETIMEDOUT;
        if (c->broken)
            return -ENOTCONN;
        n = xs_ring_write(c->ring, c->tx_buf + c->tx_off, c->tx_len - c->tx_off);
        if (n < 0) {
            connection_broken(c, "the request ring's indices are impossible");
            return -ENOTCONN;
        }
        c->tx_off += (size_t)n;
        c->ops->notify(c->ctx);
    }
    c->tx_off = c->tx_len = 0;
    return 0;
}

static bool lock_free_or_broken(void *arg)
{
    struct xs_comms *c = arg;

    return c->broken || !c->writing;
}

/* Lay out, list and send a request, under the write lock; its bytes may be left owed. */
static int send_request(struct xs_comms *c, struct xs_comms_request *req, uint32_t tx_id,
                        const char *const *strings, size_t n_strings, const void *data,
                        size_t data_len, uint64_t deadline_ns)
{
    int len, rc;

    /* Threads do not preempt each other: nothing runs between the wait and the claim. */
    if (!c->ops->wait(c->ctx, lock_free_or_broken, c, deadline_ns))
        return -ETIMEDOUT;
    if (c->broken)
        return -ENOTCONN;
    c->writing = true;
    rc = flush_tx(c, deadline_ns); /* what an earlier request left owed */
    if (rc)
        goto out;
    req->req_id = c->next_req_id++;
    if (c->next_req_id == 0) /* 0 is what watch events carry */
        c->next_req_id = 1;
    len = xs_wire_build(c->tx_buf, sizeof(c->tx_buf), req->type, req->req_id, tx_id, strings,
                        n_strings, data, data_len);
    if (len < 0) {
        rc = len;
        goto out;
    }
    c->tx_off = 0;
    c->tx_len = (size_t)len;
    /* Listed before the request goes out, so that its reply always finds it. */
    list_add_tail(&c->pending, &req->link);
    c->stats.requests++;
    rc = flush_tx(c, deadline_ns);
    /* Not a byte went: forget the message rather than send it after its caller gave up. */
    if (rc == -ETIMEDOUT && c->tx_off == 0)
        c->tx_len = 0;
out:
    c->writing = false;
    c->ops->wake(c->ctx); /* the next writer */
    return rc;
}

static bool request_done(void *arg)
{
    return ((struct xs_comms_request *)arg)->done;
}

int xs_comms_request(struct xs_comms *c, enum xsd_sockmsg_type type, uint32_t tx_id,
                     const char *const *strings, size_t n_strings, const void *data,
                     size_t data_len, uint64_t deadline_ns, char **reply, uint32_t *reply_len)
{
    struct xs_comms_request req = {.type = type};
    int rc;

    list_init(&req.link);
    rc = send_request(c, &req, tx_id, strings, n_strings, data, data_len, deadline_ns);
    /* A break fails every listed request with done set, so this wait ends then too. */
    if (rc == 0 && !c->ops->wait(c->ctx, request_done, &req, deadline_ns))
        rc = -ETIMEDOUT;
    if (!req.done) {
        /* Unlisted, so that a late reply finds no request and is dropped. */
        list_del(&req.link);
        if (rc == -ETIMEDOUT) {
            if (req.req_id)
                printk("xenstore: request %u (type %u) got no reply by its deadline\n", req.req_id,
                       type);
            else
                printk("xenstore: a request (type %u) could not be sent by its deadline\n", type);
            c->stats.timeouts++;
        }
        return rc;
    }
    /* The reply may have come before the request was all written, and then a break. */
    if (rc == 0)
        rc = req.status;
    if (rc == 0 && reply) {
        *reply = req.reply;
        if (reply_len)
            *reply_len = req.len;
    } else {
        xfree(req.reply);
    }
    return rc;
}
