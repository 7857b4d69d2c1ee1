/*
 * Shutdown requests from the toolstack (control.c): a driver that must tell its
 * backend goodbye before the domain ends (a disk with requests in flight) registers a
 * hook, which runs in the control thread after the request is acknowledged and
 * before the domain shuts down. A hook may block, briefly: the toolstack waits.
 */
#ifndef DRIVERS_XENBUS_CONTROL_H
#define DRIVERS_XENBUS_CONTROL_H

#include "lib/list.h"

struct control_hook {
    struct list_node link;
    void (*fn)(void);
};

/* Register h (the caller's, for good); hooks run in the order registered. */
void control_on_shutdown(struct control_hook *h);

#endif
