/*
 * Finding a frontend's devices (xenbus_probe.h).
 */
#include "lib/errno.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "lib/vsnprintf.h"
#include "mm/heap.h"
#include "drivers/xenbus/xenbus.h"
#include "drivers/xenbus/xenbus_probe.h"

/* Whether the toolstack has set device N up for us and no driver has touched it since. */
static bool is_initialising(const struct xenbus_probe *p, unsigned int index)
{
    char path[64];
    uint32_t state;

    snprintf(path, sizeof(path), "%s/%u/state", p->dir, index);
    return xenstore_read_uint(XS_NO_TRANSACTION, path, XenbusStateClosed, &state) == 0 &&
           state == XenbusStateInitialising;
}

void xenbus_probe_scan(struct xenbus_probe *p, bool at_boot)
{
    unsigned int count;
    char **names;
    int rc = xenstore_directory(XS_NO_TRANSACTION, p->dir, &names, &count);

    if (rc) {
        if (rc != -ENOENT)
            printk("%s: listing %s failed: %s\n", p->driver, p->dir, errno_name(rc));
        return;
    }
    for (unsigned int i = 0; i < count; i++) {
        unsigned long index;

        if (parse_ulong(names[i], strlen(names[i]), 10, &index) == 0 && index <= UINT32_MAX &&
            is_initialising(p, (unsigned int)index))
            p->found((unsigned int)index, at_boot);
    }
    xfree(names);
}

void xenbus_probe_watch(struct xenbus_probe *p)
{
    int rc = xenstore_watch(&p->watch, p->dir);

    while (rc == 0 && (rc = xenstore_watch_wait(&p->watch, 0)) == 0)
        xenbus_probe_scan(p, false);
    printk("%s: no longer watching %s: %s\n", p->driver, p->dir, errno_name(rc));
}
