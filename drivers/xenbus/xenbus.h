/*
 * The xenbus device handshake (xen/io/xenbus.h; Xen's docs/misc/xenstore-paths.pandoc):
 * a frontend in this domain and its backend, usually in dom0, each publish a state
 * in xenstore and move through the XenbusState values in step.
 *
 *   frontend                              backend
 *   Initialising                          InitWait      (backend ready for our keys)
 *   write ring refs etc., Initialised     Connected     (backend mapped them)
 *   Connected                             ...
 *   Closing                               Closing/Closed
 *   Closed
 *
 * Every frontend uses this one state machine: xenbus_switch_state refuses a move it
 * does not allow, so a driver bug shows up as an error, not as a backend hang.
 */
#ifndef DRIVERS_XENBUS_XENBUS_H
#define DRIVERS_XENBUS_XENBUS_H

#include <stdint.h>
#include <xen/xen.h>
#include <xen/io/xenbus.h>

#include "drivers/xenbus/xenstore.h"

struct xenbus_device {
    char nodename[48];       /* ours: "device/vif/0", relative to our home */
    char backend[96];        /* the backend's, read from nodename/backend */
    char backend_state[112]; /* backend + "/state", watched */
    domid_t backend_id;
    enum xenbus_state state; /* the state we last published */
    struct xs_watch watch;   /* on the backend's state */
};

const char *xenbus_state_name(enum xenbus_state state);
/* Whether a frontend may go from one state to the other. */
bool xenbus_frontend_may_switch(enum xenbus_state from, enum xenbus_state to);

/*
 * Find device type/index ("vif", 0): read its backend path and backend-id, start
 * watching the backend's state. Our own state is taken as Initialising.
 */
int xenbus_device_init(struct xenbus_device *dev, const char *type, unsigned int index);
/* Stop watching; the device's nodes stay as they are. Safe after a failed init too. */
void xenbus_device_release(struct xenbus_device *dev);

/* Publish our state (within transaction t, or not); -EINVAL for a move not allowed. */
int xenbus_switch_state(struct xenbus_device *dev, xs_transaction_t t, enum xenbus_state state);

/* The backend's state as it reads now (XenbusStateUnknown if it has none yet). */
int xenbus_read_backend_state(struct xenbus_device *dev, enum xenbus_state *state);

/*
 * Wait until the backend's state is at least want (the states only move forward
 * during a handshake), or until deadline_ns. The state reached goes to *got.
 * -ETIMEDOUT, or -ECONNRESET if the backend went to Closing or Closed instead while
 * want is below Closing.
 */
int xenbus_wait_backend_state(struct xenbus_device *dev, enum xenbus_state want,
                              uint64_t deadline_ns, enum xenbus_state *got);

/*
 * The whole connection: wait for the backend's InitWait, then in one transaction
 * (retried on EAGAIN) call write_keys to publish the frontend's keys and switch to
 * Initialised, then wait for the backend's Connected and switch to Connected.
 */
int xenbus_connect(struct xenbus_device *dev,
                   int (*write_keys)(struct xenbus_device *dev, xs_transaction_t t, void *arg),
                   void *arg, uint64_t deadline_ns);

/*
 * The same, but Connected right after Initialised, before the backend connects: Linux's
 * netback connects only when it sees the frontend Connected.
 */
int xenbus_connect_first(struct xenbus_device *dev,
                         int (*write_keys)(struct xenbus_device *dev, xs_transaction_t t,
                                           void *arg),
                         void *arg, uint64_t deadline_ns);
/* Closing, wait for the backend to close (Closing or Closed), then Closed. */
int xenbus_disconnect(struct xenbus_device *dev, uint64_t deadline_ns);

#endif
