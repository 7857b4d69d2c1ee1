/*
 * Xen time: system time (nanoseconds since Xen booted, from the TSC scaled by
 * the factors Xen publishes per vCPU in struct vcpu_time_info, xen/xen.h), the wall
 * clock Xen keeps in shared_info, and the vCPU's one-shot timer.
 */
#ifndef XEN_TIME_H
#define XEN_TIME_H

#include <stdint.h>

#define NSEC_PER_USEC 1000UL
#define NSEC_PER_MSEC 1000000UL
#define NSEC_PER_SEC  1000000000UL

/* Convert a TSC difference to nanoseconds with the vCPU's current scale. */
uint64_t xen_tsc_to_ns(uint64_t tsc_delta);
/* Monotonic system time in nanoseconds. */
uint64_t xen_system_time_ns(void);
/* Wall-clock time: nanoseconds since the Unix epoch (UTC). */
uint64_t xen_wallclock_ns(void);

/*
 * Where this vCPU's time went since it was created, in nanoseconds (the runstate Xen
 * keeps per vCPU, xen/vcpu.h): running, waiting for a physical CPU that Xen gave to
 * another vCPU (runnable), and blocked in Xen with nothing to do. Wall time on a
 * shared CPU is their sum; what the kernel costs is `running`.
 */
struct xen_vcpu_times {
    uint64_t running_ns, runnable_ns, blocked_ns;
};
int xen_vcpu_times(struct xen_vcpu_times *out);

/*
 * The vCPU's one-shot timer: VIRQ_TIMER fires once system time reaches deadline_ns
 * (at once if it already has). One deadline at a time; 0 cancels it. xen_timer_init
 * turns off the periodic tick Xen gives PV vCPUs by default, binds VIRQ_TIMER and
 * registers fn to run (in event context) each time it fires.
 */
int xen_timer_init(void (*fn)(void));
void xen_timer_set(uint64_t deadline_ns);

#endif
