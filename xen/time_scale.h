/*
 * Scaling a TSC difference to nanoseconds with the factors in struct vcpu_time_info
 * (xen/xen.h): ns = ((delta << tsc_shift) * tsc_to_system_mul) >> 32, where a
 * negative tsc_shift shifts right and the product needs 96 bits. Kept apart from
 * xen/time.c so the host unit tests can check it.
 */
#ifndef XEN_TIME_SCALE_H
#define XEN_TIME_SCALE_H

#include <stdint.h>

static inline uint64_t time_scale_delta(uint64_t delta, uint32_t mul, int8_t shift)
{
    if (shift < 0)
        delta >>= -shift;
    else
        delta <<= shift;
    return (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

#endif
