/*
 * Taking back a granted page (xenbus_grant.h).
 */
#include "lib/errno.h"
#include "kernel/sched.h"
#include "xen/gnttab.h"
#include "xen/time.h"
#include "drivers/xenbus/xenbus_grant.h"

/* How long to wait between tries while the backend still maps the page. */
#define RETRY_NS (200 * NSEC_PER_MSEC)

bool xenbus_end_grant(grant_ref_t ref, uint64_t deadline_ns)
{
    for (;;) {
        int rc = gnttab_end_access(ref);

        if (rc == 0)
            return true;
        if (rc != -EBUSY || deadline_ns == 0 || xen_system_time_ns() >= deadline_ns)
            return false;
        /* gnttab_end_access says so at each refusal: ask again only now and then. */
        thread_sleep_ns(RETRY_NS);
    }
}
