/*
 * A connected vif's own thread: it takes the backend's answers on both rings, runs
 * the rx callback and each transmit's done, and when the ring breaks or the vif
 * closes, ends what is in flight and calls down, once. The event handlers only set
 * a flag and wake it.
 */
#ifndef DRIVERS_NETFRONT_NF_IO_H
#define DRIVERS_NETFRONT_NF_IO_H

#include <xen/event_channel.h>

#include "drivers/netfront/nf_vif.h"

/* The handler of the vif's port or ports (arg is the vif): wakes its thread. */
void nf_io_event(evtchn_port_t port, void *arg);
/* Start the thread of a vif whose rings are set up; -ENOMEM. */
int nf_io_start(struct netfront *nf);
/*
 * Take the vif down: no new transmits; those in flight get until deadline_ns for their
 * answers, then end with -EIO (the rings are broken with `why`); down is called and the
 * thread stops.
 */
void nf_io_stop(struct netfront *nf, const char *why, uint64_t deadline_ns);

#endif
