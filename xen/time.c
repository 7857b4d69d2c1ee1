/*
 * Reading Xen system time from shared_info.
 *
 * Xen updates vcpu_time_info like a seqlock: version is odd while it writes, so a
 * reader retries until it sees the same even version before and after. System time
 * is system_time + ((tsc - tsc_timestamp) << tsc_shift) * tsc_to_system_mul >> 32,
 * where tsc_shift is signed (a negative value shifts right) (xen/xen.h).
 *
 * The wall clock is a base in shared_info (wc_sec, wc_sec_hi, wc_nsec: the Unix time at
 * system time 0) under its own version counter; now is that base plus system time.
 */
#include "arch/cpu.h"
#include "arch/hypercall.h"
#include "arch/setup.h"
#include "lib/printk.h"
#include "xen/events.h"
#include "xen/time.h"
#include "xen/time_scale.h"

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

uint64_t xen_tsc_to_ns(uint64_t tsc_delta)
{
    struct time_snapshot snap;

    time_read_snapshot(&snap);
    return time_scale_delta(tsc_delta, snap.mul, snap.shift);
}

uint64_t xen_system_time_ns(void)
{
    struct time_snapshot snap;
    uint64_t tsc;

    time_read_snapshot(&snap);
    tsc = rdtsc();
    return snap.system_time + time_scale_delta(tsc - snap.tsc_timestamp, snap.mul, snap.shift);
}

uint64_t xen_wallclock_ns(void)
{
    const volatile struct shared_info *s = shared_info;
    uint64_t sec;
    uint32_t version, nsec;

    do {
        version = s->wc_version;
        rmb();
        sec = ((uint64_t)s->xen_wc_sec_hi << 32) | s->wc_sec;
        nsec = s->wc_nsec;
        rmb();
    } while ((version & 1) || version != s->wc_version);
    return sec * NSEC_PER_SEC + nsec + xen_system_time_ns();
}

int xen_vcpu_times(struct xen_vcpu_times *out)
{
    struct vcpu_runstate_info r;
    int rc = hypercall_vcpu_op(VCPUOP_get_runstate_info, 0, &r);

    if (rc)
        return rc;
    *out = (struct xen_vcpu_times){.running_ns = r.time[RUNSTATE_running],
                                   .runnable_ns = r.time[RUNSTATE_runnable],
                                   .blocked_ns = r.time[RUNSTATE_blocked]};
    return 0;
}

static void (*timer_fn)(void);

static void timer_virq(evtchn_port_t port, void *arg)
{
    (void)port;
    (void)arg;
    timer_fn();
}

int xen_timer_init(void (*fn)(void))
{
    evtchn_port_t port;
    int rc;

    /* Xen gives every PV vCPU a 100 Hz periodic VIRQ_TIMER until it is stopped
     * (VCPUOP_stop_periodic_timer, xen/vcpu.h); an idle guest must not wake for it. */
    rc = hypercall_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL);
    if (rc)
        printk("time: VCPUOP_stop_periodic_timer failed: %d\n", rc);
    timer_fn = fn;
    return evtchn_bind_virq(VIRQ_TIMER, timer_virq, NULL, &port);
}

void xen_timer_set(uint64_t deadline_ns)
{
    hypercall_set_timer_op(deadline_ns);
}
