/*
 * The xenbus frontend state machine: its table of moves anywhere, and a whole
 * handshake against a backend that the rig plays from dom0 with xenstore-write.
 */
#include "lib/errno.h"
#include "lib/vsnprintf.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "xen/time.h"
#include "kernel/test.h"
#include "drivers/xenbus/xenbus.h"

KERNEL_TEST(xenbus_frontend_moves_follow_the_handshake)
{
    TEST_ASSERT(xenbus_frontend_may_switch(XenbusStateInitialising, XenbusStateInitialised));
    TEST_ASSERT(xenbus_frontend_may_switch(XenbusStateInitialised, XenbusStateConnected));
    TEST_ASSERT(xenbus_frontend_may_switch(XenbusStateConnected, XenbusStateClosing));
    TEST_ASSERT(xenbus_frontend_may_switch(XenbusStateClosing, XenbusStateClosed));
    TEST_ASSERT(xenbus_frontend_may_switch(XenbusStateClosed, XenbusStateInitialising));
    /* Any failure may close. */
    TEST_ASSERT(xenbus_frontend_may_switch(XenbusStateInitialising, XenbusStateClosing));
    TEST_ASSERT(xenbus_frontend_may_switch(XenbusStateInitialised, XenbusStateClosing));
    /* Skipping a step, going back, or leaving the enum is refused. */
    TEST_ASSERT(!xenbus_frontend_may_switch(XenbusStateInitialising, XenbusStateConnected));
    TEST_ASSERT(!xenbus_frontend_may_switch(XenbusStateConnected, XenbusStateInitialised));
    TEST_ASSERT(!xenbus_frontend_may_switch(XenbusStateClosed, XenbusStateConnected));
    TEST_ASSERT(!xenbus_frontend_may_switch(XenbusStateClosed, XenbusStateClosing));
    TEST_ASSERT(!xenbus_frontend_may_switch(XenbusStateConnected, (enum xenbus_state)9));
    TEST_ASSERT(strcmp(xenbus_state_name(XenbusStateInitWait), "InitWait") == 0);
    TEST_ASSERT(strcmp(xenbus_state_name((enum xenbus_state)42), "(invalid)") == 0);
}

/*
 * A device whose init failed is released like any other. Runs anywhere: as dom0 the
 * init fails for want of xenstore, as a domU for want of the device.
 */
KERNEL_TEST(xenbus_release_after_failed_init)
{
    struct xenbus_device dev;
    int rc = xenbus_device_init(&dev, "no-such-device", 0);

    TEST_ASSERT(rc == -ENOENT || rc == -ENOTCONN);
    xenbus_device_release(&dev);
    xenbus_device_release(&dev);
}

static int write_test_keys(struct xenbus_device *dev, xs_transaction_t t, void *arg)
{
    char path[80];

    (void)arg;
    snprintf(path, sizeof(path), "%s/ring-ref", dev->nodename);
    return xenstore_write(t, path, "42");
}

/*
 * The rig creates device/test/0 with a backend under dom0 in InitWait, waits for our
 * Initialised and the ring-ref, answers Connected, and on our Closing answers Closed.
 */
KERNEL_TEST_FLAGS(xenbus_handshake_with_dom0_backend, TEST_ON_REQUEST)
{
    struct xenbus_device dev;
    enum xenbus_state backend;
    struct xs_watch device_dir;
    int rc;

    TEST_ASSERT_EQ(xenstore_watch(&device_dir, "device"), 0);
    printk("xenbus: waiting for device/test/0\n");
    /* Until dom0 has written every key and let us read them. */
    while ((rc = xenbus_device_init(&dev, "test", 0)) == -ENOENT || rc == -EACCES)
        if ((rc = xenstore_watch_wait(&device_dir, TEST_DEADLINE_MS(60000))) != 0)
            break;
    xenstore_unwatch(&device_dir);
    TEST_ASSERT_EQ(rc, 0);
    printk("xenbus: backend %s (domain %u)\n", dev.backend, dev.backend_id);
    TEST_ASSERT_EQ(dev.backend_id, 0);
    /* A move the table does not allow is refused before anything is written. */
    TEST_ASSERT_EQ(xenbus_switch_state(&dev, XS_NO_TRANSACTION, XenbusStateConnected), -EINVAL);

    TEST_ASSERT_EQ(xenbus_connect(&dev, write_test_keys, NULL, TEST_DEADLINE_MS(60000)), 0);
    TEST_ASSERT_EQ(dev.state, XenbusStateConnected);
    printk("xenbus: connected\n");
    TEST_ASSERT_EQ(xenbus_disconnect(&dev, TEST_DEADLINE_MS(60000)), 0);
    TEST_ASSERT_EQ(xenbus_read_backend_state(&dev, &backend), 0);
    TEST_ASSERT_EQ(backend, XenbusStateClosed);
    TEST_ASSERT_EQ(dev.state, XenbusStateClosed);
    xenbus_device_release(&dev);
    printk("xenbus: closed\n");
}
