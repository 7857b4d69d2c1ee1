/*
 * The receive path of a vif: a page of ours for every rx slot, granted to the backend
 * once (netback copies each frame into them, xen/io/netif.h: request-rx-copy) and
 * posted again once the frame it held has been handed to the rx callback.
 */
#ifndef DRIVERS_NETFRONT_NF_RX_H
#define DRIVERS_NETFRONT_NF_RX_H

#include "drivers/netfront/nf_vif.h"

/* Grant a page for every rx slot and post them all; -ENOMEM or -ENOSPC (grants). */
int nf_rx_setup(struct netfront *nf);
/*
 * In the interface's thread: pass every frame the backend has finished to the rx
 * callback (or count it dropped), then post its pages again.
 */
void nf_rx_poll(struct netfront *nf);
/* End the rx pages' grants (retrying until deadline_ns); free those given back. */
void nf_rx_release(struct netfront *nf, uint64_t deadline_ns);

#endif
