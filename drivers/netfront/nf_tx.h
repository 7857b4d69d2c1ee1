/*
 * The transmit path of a vif: a frame's segments granted to the backend where they
 * lie, read-only, one ring slot for each piece within a page; copied into pages of
 * ours only when a segment is not in memory the kernel owns, or when the frame would
 * take more slots than the backend accepts. Each slot's grant is ended when the
 * backend answers it; the frame is done when its last slot is.
 */
#ifndef DRIVERS_NETFRONT_NF_TX_H
#define DRIVERS_NETFRONT_NF_TX_H

#include "drivers/netfront/nf_vif.h"

/*
 * netfront_transmit, once the frame is checked (netfront.c): waits for room on the
 * ring, then puts the frame on it. 0 (done will run), or -ENODEV once the vif is down.
 */
int nf_tx_submit(struct netfront *nf, struct netfront_tx *tx);
/*
 * In the interface's thread: end the slots the backend answered, retry the grants it
 * had not given back, and run done for every frame whose last slot has ended.
 */
void nf_tx_poll(struct netfront *nf);
/* In the interface's thread, once the ring is broken: end every slot in flight with -EIO. */
void nf_tx_fail_in_flight(struct netfront *nf);
/*
 * At close: retry the grants the backend kept until deadline_ns. A page of ours it
 * still keeps is withheld for good; a frame of the caller's it still maps is never
 * done, so that the caller does not reuse memory another domain can read.
 */
void nf_tx_release(struct netfront *nf, uint64_t deadline_ns);

#endif
