/*
 * Grant tables, version 1 (xen/grant_table.h): how a domain lets another one map or
 * copy one of its pages. The granting side writes an entry (which domain, which
 * frame, read-only or not) into its grant table, shared with Xen, and passes the
 * entry's index, the grant reference, to the peer, usually through xenstore. The
 * peer asks Xen to map the granted frame, or to copy to or from it.
 */
#ifndef XEN_GNTTAB_H
#define XEN_GNTTAB_H

#include <stdbool.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/grant_table.h>

#include "arch/page.h"

/*
 * Map the table (GNTTABOP_query_size, GNTTABOP_setup_table) if it is not mapped yet;
 * 0, or the error that stopped it. The first grant does this itself: call it only to
 * set the table up ahead of need, or to learn whether it can be.
 */
int gnttab_setup(void);

/*
 * Grant domid access to frame mfn; the new reference goes to *ref. A full table grows
 * first (GNTTABOP_setup_table); -ENOSPC when it cannot grow, at Xen's limit or for
 * want of memory, or gnttab_setup's error if the table could not be set up.
 */
int gnttab_grant_access(domid_t domid, mfn_t mfn, bool readonly, grant_ref_t *ref);
/*
 * Revoke a grant. -EBUSY while the peer still maps or copies the page: the grant
 * stays, and the caller must neither free nor reuse the page until a later call
 * succeeds. On success the reference is free for reuse.
 */
int gnttab_end_access(grant_ref_t ref);

/* A peer's page mapped into our virtual areas (mm/vmap.h). */
struct gnttab_mapping {
    void *va;
    grant_handle_t handle;
    domid_t domid;
    grant_ref_t ref;
};

/* Map domid's grant ref at a fresh address (GNTTABOP_map_grant_ref); 0 or an error. */
int gnttab_map(domid_t domid, grant_ref_t ref, bool readonly, struct gnttab_mapping *m);
int gnttab_unmap(struct gnttab_mapping *m);

/*
 * Copy len bytes between a peer's granted page and one of our frames, without
 * mapping it (GNTTABOP_copy): to the peer when to_peer, else from it. Neither range
 * may cross a page boundary.
 */
int gnttab_copy(domid_t domid, grant_ref_t ref, unsigned int ref_offset, mfn_t mfn,
                unsigned int offset, unsigned int len, bool to_peer);

/*
 * References free for gnttab_grant_access, the table's size in references, and the
 * size it may grow to (GNTTABOP_query_size's max_nr_frames): 0 before set-up.
 */
unsigned int gnttab_free_count(void);
unsigned int gnttab_capacity(void);
unsigned int gnttab_max_capacity(void);

#endif
