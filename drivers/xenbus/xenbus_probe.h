/*
 * Finding a frontend's devices: device/TYPE/N in the domain's home, one directory per
 * device, those the toolstack set up before boot and those it adds later (xl
 * block-attach, xl network-attach), which a watch on device/TYPE reveals. A device is
 * new when its frontend state reads Initialising, the state the toolstack writes for a
 * new device: one a driver closed or gave up on reads Closed until the toolstack
 * removes it or attaches it afresh.
 */
#ifndef DRIVERS_XENBUS_XENBUS_PROBE_H
#define DRIVERS_XENBUS_XENBUS_PROBE_H

#include <stdbool.h>

#include "drivers/xenbus/xenstore.h"

struct xenbus_probe {
    const char *dir;    /* "device/vbd" */
    const char *driver; /* "blkfront": who says it, in messages */
    /*
     * A new device N (found at boot, or later): the driver starts it, unless a device
     * of its own with that number is still live.
     */
    void (*found)(unsigned int index, bool at_boot);
    struct xs_watch watch;
};

/* List the directory once, calling found for each new device. */
void xenbus_probe_scan(struct xenbus_probe *p, bool at_boot);
/*
 * Watch the directory and scan it again at each change; returns only when the watch
 * fails, after saying so. The watch fires once when set, so a device added since the
 * last scan is not missed.
 */
void xenbus_probe_watch(struct xenbus_probe *p);

#endif
