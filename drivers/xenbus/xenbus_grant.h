/*
 * Taking back a page a frontend granted to its backend. gnttab_end_access refuses
 * (-EBUSY) while the backend still maps the page; a backend that is closing may take a
 * moment to let go, and one that never does keeps the page: the frontend must then
 * neither free nor reuse it, ever.
 */
#ifndef DRIVERS_XENBUS_XENBUS_GRANT_H
#define DRIVERS_XENBUS_XENBUS_GRANT_H

#include <stdbool.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/grant_table.h>

/*
 * End the backend's access to a page of ours; on -EBUSY, retry until system time
 * reaches deadline_ns (0: once), sleeping between tries. false when the page must be
 * withheld for good.
 */
bool xenbus_end_grant(grant_ref_t ref, uint64_t deadline_ns);

#endif
