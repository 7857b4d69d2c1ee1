/*
 * The xenstore client against the real xenstored, as a domU under xl (the full rig,
 * tests/stack/run). The tests work below our home's data/ folder, which the
 * toolstack lets the guest write. Those marked TEST_ON_REQUEST need a step in dom0:
 * they print what they wait for, and the rig does it.
 */
#include "lib/errno.h" /* before xs_wire.h */
#include <xen/io/xs_wire.h>

#include "lib/vsnprintf.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "arch/boot_info.h"
#include "mm/heap.h"
#include "xen/time.h"
#include "kernel/sched.h"
#include "kernel/test.h"
#include "kernel/thread.h"
#include "drivers/xenbus/xenstore.h"

KERNEL_TEST_FLAGS(xenstore_knows_who_we_are, TEST_DOMU_ONLY)
{
    char expected_home[32], name[64], again[64], path[64];

    TEST_ASSERT(xenstore_connected());
    TEST_ASSERT(xenstore_domid() != 0);
    snprintf(expected_home, sizeof(expected_home), "/local/domain/%u", xenstore_domid());
    TEST_ASSERT(strcmp(xenstore_home(), expected_home) == 0);
    /* The same node, by a relative and by an absolute path. */
    TEST_ASSERT_EQ(xenstore_read_buf(XS_NO_TRANSACTION, "name", name, sizeof(name)), 0);
    TEST_ASSERT(name[0] != '\0');
    snprintf(path, sizeof(path), "%s/name", xenstore_home());
    TEST_ASSERT_EQ(xenstore_read_buf(XS_NO_TRANSACTION, path, again, sizeof(again)), 0);
    TEST_ASSERT(strcmp(name, again) == 0);
    printk("    we are '%s', domain %u\n", name, xenstore_domid());
}

KERNEL_TEST_FLAGS(xenstore_write_read_rm_round_trip, TEST_DOMU_ONLY)
{
    static const char bytes[] = {'a', '\0', 'b'};
    char *value;
    size_t len;

    TEST_ASSERT_EQ(xenstore_write(XS_NO_TRANSACTION, "data/round-trip", "a value"), 0);
    TEST_ASSERT_EQ(xenstore_read(XS_NO_TRANSACTION, "data/round-trip", &value, &len), 0);
    TEST_ASSERT_EQ(len, 7);
    TEST_ASSERT(strcmp(value, "a value") == 0);
    xfree(value);
    /* Values are bytes, NULs included; the one after them is ours. */
    TEST_ASSERT_EQ(xenstore_write_bytes(XS_NO_TRANSACTION, "data/round-trip", bytes, 3), 0);
    TEST_ASSERT_EQ(xenstore_read(XS_NO_TRANSACTION, "data/round-trip", &value, &len), 0);
    TEST_ASSERT_EQ(len, 3);
    TEST_ASSERT(memcmp(value, bytes, 3) == 0 && value[3] == '\0');
    xfree(value);
    TEST_ASSERT_EQ(xenstore_printf(XS_NO_TRANSACTION, "data/round-trip", "%u-%s", 42, "x"), 0);
    TEST_ASSERT_EQ(xenstore_read(XS_NO_TRANSACTION, "data/round-trip", &value, NULL), 0);
    TEST_ASSERT(strcmp(value, "42-x") == 0);
    xfree(value);
    TEST_ASSERT_EQ(xenstore_rm(XS_NO_TRANSACTION, "data/round-trip"), 0);
    TEST_ASSERT_EQ(xenstore_read(XS_NO_TRANSACTION, "data/round-trip", &value, NULL), -ENOENT);
}

KERNEL_TEST_FLAGS(xenstore_errors_come_back_as_errno, TEST_DOMU_ONLY)
{
    char small[1], *value, *big;
    uint32_t n;

    /* From xenstored. */
    TEST_ASSERT_EQ(xenstore_read(XS_NO_TRANSACTION, "data/no-such-node", &value, NULL), -ENOENT);
    TEST_ASSERT_EQ(xenstore_write(XS_NO_TRANSACTION, "/local/domain/0/mini-os-test", "x"), -EACCES);
    TEST_ASSERT_EQ(xenstore_transaction_end(0x7fffffff, false), -ENOENT);
    /* Refused here, before anything is sent. */
    TEST_ASSERT_EQ(xenstore_write(XS_NO_TRANSACTION, "data//x", "x"), -EINVAL);
    TEST_ASSERT_EQ(xenstore_write(XS_NO_TRANSACTION, "data/x/", "x"), -EINVAL);
    TEST_ASSERT_EQ(xenstore_write(XS_NO_TRANSACTION, "", "x"), -EINVAL);
    TEST_ASSERT_EQ(xenstore_write(XS_NO_TRANSACTION, "data/a space", "x"), -EINVAL);
    TEST_ASSERT_EQ(xenstore_write(XS_NO_TRANSACTION, "@releaseDomain", "x"), -EINVAL);
    big = xmalloc(XENSTORE_PAYLOAD_MAX, 1);
    TEST_ASSERT(big != NULL);
    memset(big, 'v', XENSTORE_PAYLOAD_MAX);
    TEST_ASSERT_EQ(xenstore_write_bytes(XS_NO_TRANSACTION, "data/big", big, XENSTORE_PAYLOAD_MAX),
                   -E2BIG);
    xfree(big);
    /* Values that do not suit the caller. */
    TEST_ASSERT_EQ(xenstore_read_buf(XS_NO_TRANSACTION, "name", small, sizeof(small)), -E2BIG);
    TEST_ASSERT_EQ(xenstore_read_uint(XS_NO_TRANSACTION, "name", UINT32_MAX, &n), -EINVAL);
    TEST_ASSERT_EQ(xenstore_read_uint(XS_NO_TRANSACTION, "domid", 0, &n), -EINVAL);
    TEST_ASSERT_EQ(xenstore_read_uint(XS_NO_TRANSACTION, "domid", 0xffff, &n), 0);
    TEST_ASSERT_EQ(n, xenstore_domid());
}

static bool has_name(char **names, unsigned int count, const char *name)
{
    unsigned int i;

    for (i = 0; i < count; i++)
        if (strcmp(names[i], name) == 0)
            return true;
    return false;
}

KERNEL_TEST_FLAGS(xenstore_directories_and_permissions, TEST_DOMU_ONLY)
{
    struct xs_permission perms[4];
    const struct xs_permission wanted[] = {{xenstore_domid(), XS_PERM_NONE}, {0, XS_PERM_READ}};
    unsigned int count;
    char **names;

    TEST_ASSERT_EQ(xenstore_mkdir(XS_NO_TRANSACTION, "data/dir"), 0);
    TEST_ASSERT_EQ(xenstore_directory(XS_NO_TRANSACTION, "data/dir", &names, &count), 0);
    TEST_ASSERT_EQ(count, 0);
    xfree(names);
    TEST_ASSERT_EQ(xenstore_write(XS_NO_TRANSACTION, "data/dir/first", "1"), 0);
    TEST_ASSERT_EQ(xenstore_write(XS_NO_TRANSACTION, "data/dir/second", "2"), 0);
    TEST_ASSERT_EQ(xenstore_directory(XS_NO_TRANSACTION, "data/dir", &names, &count), 0);
    TEST_ASSERT_EQ(count, 2);
    TEST_ASSERT(has_name(names, count, "first") && has_name(names, count, "second"));
    xfree(names);

    /* A node we made is ours. */
    TEST_ASSERT_EQ(xenstore_get_perms(XS_NO_TRANSACTION, "data/dir", perms, 4, &count), 0);
    TEST_ASSERT(count >= 1);
    TEST_ASSERT_EQ(perms[0].domid, xenstore_domid());
    TEST_ASSERT_EQ(xenstore_set_perms(XS_NO_TRANSACTION, "data/dir/first", wanted, 2), 0);
    TEST_ASSERT_EQ(xenstore_get_perms(XS_NO_TRANSACTION, "data/dir/first", perms, 4, &count), 0);
    TEST_ASSERT_EQ(count, 2);
    TEST_ASSERT_EQ(perms[0].domid, xenstore_domid());
    TEST_ASSERT_EQ(perms[0].access, XS_PERM_NONE);
    TEST_ASSERT_EQ(perms[1].domid, 0);
    TEST_ASSERT_EQ(perms[1].access, XS_PERM_READ);
    TEST_ASSERT_EQ(xenstore_get_perms(XS_NO_TRANSACTION, "data/dir/first", perms, 1, &count),
                   -E2BIG);
    TEST_ASSERT_EQ(xenstore_set_perms(XS_NO_TRANSACTION, "data/dir/first", wanted, 0), -EINVAL);

    TEST_ASSERT_EQ(xenstore_rm(XS_NO_TRANSACTION, "data/dir"), 0);
    TEST_ASSERT_EQ(xenstore_directory(XS_NO_TRANSACTION, "data/dir", &names, &count), -ENOENT);
}

KERNEL_TEST_FLAGS(xenstore_transactions_commit_and_abort, TEST_DOMU_ONLY)
{
    xs_transaction_t t;
    char *value;

    TEST_ASSERT_EQ(xenstore_transaction_start(&t), 0);
    TEST_ASSERT(t != XS_NO_TRANSACTION);
    TEST_ASSERT_EQ(xenstore_write(t, "data/tx/one", "1"), 0);
    /* Not visible outside the transaction until it commits. */
    TEST_ASSERT_EQ(xenstore_read(XS_NO_TRANSACTION, "data/tx/one", &value, NULL), -ENOENT);
    TEST_ASSERT_EQ(xenstore_read(t, "data/tx/one", &value, NULL), 0);
    xfree(value);
    TEST_ASSERT_EQ(xenstore_transaction_end(t, false), 0);
    TEST_ASSERT_EQ(xenstore_read(XS_NO_TRANSACTION, "data/tx/one", &value, NULL), 0);
    TEST_ASSERT(strcmp(value, "1") == 0);
    xfree(value);

    TEST_ASSERT_EQ(xenstore_transaction_start(&t), 0);
    TEST_ASSERT_EQ(xenstore_write(t, "data/tx/two", "2"), 0);
    TEST_ASSERT_EQ(xenstore_transaction_end(t, true), 0);
    TEST_ASSERT_EQ(xenstore_read(XS_NO_TRANSACTION, "data/tx/two", &value, NULL), -ENOENT);
    /* An ended transaction is gone. */
    TEST_ASSERT_EQ(xenstore_write(t, "data/tx/two", "2"), -ENOENT);
    TEST_ASSERT_EQ(xenstore_rm(XS_NO_TRANSACTION, "data/tx"), 0);
}

KERNEL_TEST_FLAGS(xenstore_watch_fires_on_change, TEST_DOMU_ONLY)
{
    struct xs_comms_stats before, after;
    struct xs_watch w;

    TEST_ASSERT_EQ(xenstore_watch(&w, "data/watched"), 0);
    /* Once when set, then nothing until a change. */
    TEST_ASSERT_EQ(xenstore_watch_wait(&w, TEST_DEADLINE_MS(5000)), 0);
    TEST_ASSERT_EQ(xenstore_watch_wait(&w, TEST_DEADLINE_MS(50)), -ETIMEDOUT);
    TEST_ASSERT_EQ(xenstore_write(XS_NO_TRANSACTION, "data/watched", "x"), 0);
    TEST_ASSERT_EQ(xenstore_watch_wait(&w, TEST_DEADLINE_MS(5000)), 0);
    /* A change below the watched node counts too. */
    TEST_ASSERT_EQ(xenstore_write(XS_NO_TRANSACTION, "data/watched/child", "y"), 0);
    TEST_ASSERT_EQ(xenstore_watch_wait(&w, TEST_DEADLINE_MS(5000)), 0);
    TEST_ASSERT_EQ(xenstore_unwatch(&w), 0);
    /* After the unwatch, a change reaches nobody. */
    xenstore_get_stats(&before);
    TEST_ASSERT_EQ(xenstore_rm(XS_NO_TRANSACTION, "data/watched"), 0);
    xenstore_get_stats(&after);
    TEST_ASSERT_EQ(after.watch_events, before.watch_events);
    TEST_ASSERT_EQ(xenstore_watch(&w, "data/a//b"), -EINVAL);
}

/* A max of 2^31 or more is "no limit", not a negative count. */
KERNEL_TEST_FLAGS(xenstore_get_perms_with_a_huge_max, TEST_DOMU_ONLY)
{
    struct xs_permission perms[4];
    unsigned int count = 0;

    memset(perms, 0xff, sizeof(perms));
    TEST_ASSERT_EQ(xenstore_write(XS_NO_TRANSACTION, "data/perms-max", "x"), 0);
    TEST_ASSERT_EQ(
        xenstore_get_perms(XS_NO_TRANSACTION, "data/perms-max", perms, 0x80000000u, &count), 0);
    TEST_ASSERT(count >= 1 && count <= 4);
    TEST_ASSERT_EQ(perms[0].domid, xenstore_domid());
    TEST_ASSERT_EQ(
        xenstore_get_perms(XS_NO_TRANSACTION, "data/perms-max", perms, UINT32_MAX, &count), 0);
    TEST_ASSERT_EQ(perms[0].domid, xenstore_domid());
    TEST_ASSERT_EQ(xenstore_rm(XS_NO_TRANSACTION, "data/perms-max"), 0);
}

/* Setting a watch that is set already is refused; the watch list stays whole. */
KERNEL_TEST_FLAGS(xenstore_watch_twice_is_refused, TEST_DOMU_ONLY)
{
    struct xs_watch w, other;

    TEST_ASSERT_EQ(xenstore_watch(&w, "data/twice"), 0);
    TEST_ASSERT_EQ(xenstore_watch(&w, "data/twice"), -EEXIST);
    TEST_ASSERT_EQ(xenstore_watch_wait(&w, TEST_DEADLINE_MS(5000)), 0);
    TEST_ASSERT_EQ(xenstore_unwatch(&w), 0);
    TEST_ASSERT_EQ(xenstore_unwatch(&w), -ENOENT);
    /* Set again after the unwatch, and another beside it: both fire. */
    TEST_ASSERT_EQ(xenstore_watch(&w, "data/twice"), 0);
    TEST_ASSERT_EQ(xenstore_watch(&other, "data/twice"), 0);
    TEST_ASSERT_EQ(xenstore_watch_wait(&w, TEST_DEADLINE_MS(5000)), 0);
    TEST_ASSERT_EQ(xenstore_watch_wait(&other, TEST_DEADLINE_MS(5000)), 0);
    TEST_ASSERT_EQ(xenstore_write(XS_NO_TRANSACTION, "data/twice", "x"), 0);
    TEST_ASSERT_EQ(xenstore_watch_wait(&w, TEST_DEADLINE_MS(5000)), 0);
    TEST_ASSERT_EQ(xenstore_watch_wait(&other, TEST_DEADLINE_MS(5000)), 0);
    TEST_ASSERT_EQ(xenstore_unwatch(&other), 0);
    TEST_ASSERT_EQ(xenstore_unwatch(&w), 0);
    TEST_ASSERT_EQ(xenstore_rm(XS_NO_TRANSACTION, "data/twice"), 0);
}

/* Ten threads, each writing and reading back its own node a hundred times. */
#define HAMMER_THREADS  10
#define HAMMER_REQUESTS 100

struct hammer {
    unsigned int index;
    unsigned int failures;
};

static void hammer_thread(void *arg)
{
    struct hammer *h = arg;
    char path[32], value[32], got[32];
    unsigned int i;

    snprintf(path, sizeof(path), "data/threads/%u", h->index);
    for (i = 0; i < HAMMER_REQUESTS / 2; i++) {
        snprintf(value, sizeof(value), "%u-%u", h->index, i);
        if (xenstore_write(XS_NO_TRANSACTION, path, value) != 0 ||
            xenstore_read_buf(XS_NO_TRANSACTION, path, got, sizeof(got)) != 0 ||
            strcmp(got, value) != 0)
            h->failures++;
    }
}

KERNEL_TEST_FLAGS(xenstore_ten_threads_share_the_connection, TEST_DOMU_ONLY)
{
    struct hammer hammers[HAMMER_THREADS];
    struct thread *threads[HAMMER_THREADS];
    struct xs_comms_stats before, after;
    unsigned int i, failures = 0;

    xenstore_get_stats(&before);
    for (i = 0; i < HAMMER_THREADS; i++) {
        hammers[i] = (struct hammer){.index = i};
        threads[i] = thread_create("xs-hammer", hammer_thread, &hammers[i]);
        TEST_ASSERT(threads[i] != NULL);
    }
    for (i = 0; i < HAMMER_THREADS; i++) {
        thread_join(threads[i]);
        failures += hammers[i].failures;
    }
    xenstore_get_stats(&after);
    TEST_ASSERT_EQ(failures, 0);
    TEST_ASSERT_EQ(after.requests - before.requests, HAMMER_THREADS * HAMMER_REQUESTS);
    TEST_ASSERT_EQ(after.replies - before.replies, HAMMER_THREADS * HAMMER_REQUESTS);
    TEST_ASSERT_EQ(after.stray, before.stray);
    TEST_ASSERT_EQ(xenstore_rm(XS_NO_TRANSACTION, "data/threads"), 0);
}

/* The rig writes "written by dom0" into data/from-dom0 when it sees the prompt. */
KERNEL_TEST_FLAGS(xenstore_watch_sees_dom0_write, TEST_ON_REQUEST)
{
    struct xs_watch w;
    char value[32];
    int rc;

    xenstore_rm(XS_NO_TRANSACTION, "data/from-dom0");
    TEST_ASSERT_EQ(xenstore_watch(&w, "data/from-dom0"), 0);
    TEST_ASSERT_EQ(xenstore_watch_wait(&w, TEST_DEADLINE_MS(5000)), 0); /* the first event */
    printk("xenstore: waiting for dom0 to write %s/data/from-dom0\n", xenstore_home());
    do {
        rc = xenstore_watch_wait(&w, TEST_DEADLINE_MS(60000));
        if (rc == 0)
            rc = xenstore_read_buf(XS_NO_TRANSACTION, "data/from-dom0", value, sizeof(value));
    } while (rc == -ENOENT);
    xenstore_unwatch(&w);
    TEST_ASSERT_EQ(rc, 0);
    TEST_ASSERT(strcmp(value, "written by dom0") == 0);
}

/*
 * A transaction reads a counter, then dom0 changes it before the commit: the commit
 * fails with EAGAIN and xenstore_transact runs the body again on dom0's value.
 */
struct counter_bump {
    struct xs_watch watch;
    unsigned int attempts;
    int wait_rc;
};

static int bump_counter(xs_transaction_t t, void *arg)
{
    struct counter_bump *b = arg;
    uint32_t n;
    int rc = xenstore_read_uint(t, "data/counter", UINT32_MAX - 1, &n);

    if (rc)
        return rc;
    if (++b->attempts == 1) {
        printk("xenstore: transaction open at counter %u, waiting for dom0\n", n);
        b->wait_rc = xenstore_watch_wait(&b->watch, TEST_DEADLINE_MS(60000));
    }
    return xenstore_printf(t, "data/counter", "%u", n + 1);
}

KERNEL_TEST_FLAGS(xenstore_transaction_retried_after_dom0_write, TEST_ON_REQUEST)
{
    struct counter_bump b = {0};
    uint32_t n;

    TEST_ASSERT_EQ(xenstore_write(XS_NO_TRANSACTION, "data/counter", "1"), 0);
    TEST_ASSERT_EQ(xenstore_watch(&b.watch, "data/counter"), 0);
    TEST_ASSERT_EQ(xenstore_watch_wait(&b.watch, TEST_DEADLINE_MS(5000)), 0); /* the first event */
    TEST_ASSERT_EQ(xenstore_transact(bump_counter, &b), 0);
    xenstore_unwatch(&b.watch);
    TEST_ASSERT_EQ(b.wait_rc, 0);
    TEST_ASSERT_EQ(b.attempts, 2);
    TEST_ASSERT_EQ(xenstore_read_uint(XS_NO_TRANSACTION, "data/counter", UINT32_MAX, &n), 0);
    TEST_ASSERT_EQ(n, 101); /* dom0 wrote 100 */
    printk("xenstore: committed counter %u after %u attempts\n", n, b.attempts);
}

/*
 * xenstored stops (the rig sends it SIGSTOP) while we make requests: one ends with
 * -ETIMEDOUT after XENSTORE_TIMEOUT_MS, the connection stays up, a wait with a
 * deadline of its own ends then too, and once xenstored goes on (SIGCONT) requests
 * work again and the late replies are dropped.
 */
static int read_stop_node(char *value, size_t size)
{
    return xenstore_read_buf(XS_NO_TRANSACTION, "data/stop", value, size);
}

KERNEL_TEST_FLAGS(xenstore_survives_a_stopped_daemon, TEST_ON_REQUEST | TEST_DOMU_ONLY)
{
    uint64_t deadline = TEST_DEADLINE_MS(300000), start, waited_ms;
    struct xs_comms_stats before, after;
    char value[32];
    int rc;

    TEST_ASSERT_EQ(xenstore_write(XS_NO_TRANSACTION, "data/stop", "before"), 0);
    xenstore_get_stats(&before);
    printk("xenstore: waiting for xenstored to stop\n");
    while ((rc = read_stop_node(value, sizeof(value))) == 0 && xen_system_time_ns() < deadline)
        thread_sleep_ns(100 * NSEC_PER_MSEC);
    TEST_ASSERT_EQ(rc, -ETIMEDOUT);
    printk("xenstore: a read ended with %s while xenstored was stopped\n", errno_name(rc));
    TEST_ASSERT(xenstore_connected());
    /* A caller's deadline holds for the requests made on its way, shorter than the default. */
    start = xen_system_time_ns();
    TEST_ASSERT_EQ(xenstore_wait_for_value("data/stop", "never", TEST_DEADLINE_MS(1000)),
                   -ETIMEDOUT);
    waited_ms = (xen_system_time_ns() - start) / NSEC_PER_MSEC;
    printk("xenstore: wait_for_value gave up after %lu ms of its 1000\n", (unsigned long)waited_ms);
    TEST_ASSERT(waited_ms < XENSTORE_TIMEOUT_MS);
    printk("xenstore: waiting for xenstored to continue\n");
    while ((rc = read_stop_node(value, sizeof(value))) == -ETIMEDOUT &&
           xen_system_time_ns() < deadline)
        ;
    TEST_ASSERT_EQ(rc, 0);
    TEST_ASSERT(strcmp(value, "before") == 0);
    TEST_ASSERT_EQ(xenstore_write(XS_NO_TRANSACTION, "data/stop", "after"), 0);
    TEST_ASSERT_EQ(read_stop_node(value, sizeof(value)), 0);
    TEST_ASSERT(strcmp(value, "after") == 0);
    xenstore_get_stats(&after);
    TEST_ASSERT(after.timeouts > before.timeouts);
    /* Each timed-out request's reply came late, before the reply of the read that worked
     * (and the watch that timed out fired once for nobody). */
    TEST_ASSERT(after.stray - before.stray >= after.timeouts - before.timeouts);
    TEST_ASSERT_EQ(xenstore_rm(XS_NO_TRANSACTION, "data/stop"), 0);
    printk("xenstore: working again after %lu timeouts\n", after.timeouts - before.timeouts);
}

/*
 * The threads that live as long as the connection (the reader, the control
 * watcher, and the frontends' watchers of device/vbd and device/vif) end when it breaks,
 * and give their stacks back. The
 * test breaks it as a broken daemon would: req_cons, which only xenstored writes, ahead of
 * req_prod. Nothing works over xenstore afterwards.
 */
KERNEL_TEST_FLAGS(xenstore_broken_connection_frees_its_threads, TEST_ON_REQUEST | TEST_DOMU_ONLY)
{
    struct boot_ring boot_ring;
    struct xenstore_domain_interface *ring;
    uint64_t deadline = TEST_DEADLINE_MS(30000);
    unsigned int before = thread_count();
    char *value;

    TEST_ASSERT(xenstore_connected());
    TEST_ASSERT(boot_xenstore_ring(&boot_ring));
    ring = boot_ring.page;
    ring->req_cons = ring->req_prod + 2 * XENSTORE_RING_SIZE;
    TEST_ASSERT_EQ(xenstore_read(XS_NO_TRANSACTION, "name", &value, NULL), -ENOTCONN);
    TEST_ASSERT(!xenstore_connected());
    while (thread_count() > before - 4 && xen_system_time_ns() < deadline)
        thread_sleep_ns(10 * NSEC_PER_MSEC);
    TEST_ASSERT_EQ(thread_count(), before - 4);
    printk("xenstore: the reader and control threads ended and were freed\n");
    printk("xenstore: so did blkfront's watcher of device/vbd and netfront's of device/vif\n");
}
