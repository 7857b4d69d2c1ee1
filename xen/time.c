/*
 * Reading Xen system time from shared_info.
 *
 * Xen updates vcpu_time_info like a seqlock: version is odd while it writes, so a
 * reader retries until it sees the same even version before and after. System time
 * is system_time + ((tsc - tsc_timestamp) << tsc_shift) * tsc_to_system_mul >> 32,
 * where tsc_shift is signed (a negative value shifts right) (xen/xen.h).
 */
#include "arch/x86/cpu.h"
#include "arch/x86/setup.h"
#include "xen/time.h"

struct time_snapshot {
    uint64_t system_time;
    uint64_t tsc_timestamp;
    uint32_t mul;
    int8_t shift;
};

static void time_read_snapshot(struct time_snapshot *snap)
{
    const volatile struct vcpu_time_info *t = &shared_info->vcpu_info[0].time;
    uint32_t version;

    do {
        version = t->version;
        rmb();
        snap->system_time = t->system_time;
        snap->tsc_timestamp = t->tsc_timestamp;
        snap->mul = t->tsc_to_system_mul;
        snap->shift = t->tsc_shift;
        rmb();
    } while ((version & 1) || version != t->version);
}

/* The 64x32-bit product needs 96 bits; keep the top 64 of it after >> 32. */
static uint64_t scale_delta(uint64_t delta, uint32_t mul, int8_t shift)
{
    if (shift < 0)
        delta >>= -shift;
    else
        delta <<= shift;
    return (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

uint64_t xen_tsc_to_ns(uint64_t tsc_delta)
{
    struct time_snapshot snap;

    time_read_snapshot(&snap);
    return scale_delta(tsc_delta, snap.mul, snap.shift);
}

uint64_t xen_system_time_ns(void)
{
    struct time_snapshot snap;
    uint64_t tsc;

    time_read_snapshot(&snap);
    tsc = rdtsc();
    return snap.system_time + scale_delta(tsc - snap.tsc_timestamp, snap.mul, snap.shift);
}
