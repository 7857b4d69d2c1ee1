/*
 * Xen system time: nanoseconds since the domain's boot, from the TSC scaled by the
 * factors Xen publishes per vCPU (struct vcpu_time_info, xen/xen.h).
 */
#ifndef XEN_TIME_H
#define XEN_TIME_H

#include <stdint.h>

/* Convert a TSC difference to nanoseconds with the vCPU's current scale. */
uint64_t xen_tsc_to_ns(uint64_t tsc_delta);
/* Monotonic system time in nanoseconds. */
uint64_t xen_system_time_ns(void);

#endif
