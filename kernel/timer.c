/*
 * Kernel timers on one list sorted by deadline. Xen's one-shot timer
 * (set_timer_op) always holds the head's deadline; when VIRQ_TIMER fires, every timer
 * whose deadline has passed is taken off and called, and the next one programmed.
 *
 * The list is shared with the VIRQ_TIMER handler, so every change happens with
 * events masked.
 */
#include "kernel/timer.h"
#include "xen/events.h"
#include "xen/time.h"

static struct list_node armed = LIST_HEAD_INIT(armed);
static uint64_t programmed_ns; /* the deadline Xen holds; 0: none */

void timer_init(struct timer *timer, timer_fn fn, void *arg)
{
    list_init(&timer->link);
    timer->deadline_ns = 0;
    timer->fn = fn;
    timer->arg = arg;
}

bool timer_is_armed(const struct timer *timer)
{
    return !list_empty(&timer->link);
}

/* Keep Xen's one deadline equal to the earliest armed timer's. */
static void program_next(void)
{
    uint64_t next =
        list_empty(&armed) ? 0 : list_first_entry(&armed, struct timer, link)->deadline_ns;

    if (next != programmed_ns) {
        programmed_ns = next;
        xen_timer_set(next);
    }
}

void timer_arm(struct timer *timer, uint64_t deadline_ns)
{
    unsigned int prev = events_disable();
    struct list_node *pos;

    list_del(&timer->link);
    timer->deadline_ns = deadline_ns ? deadline_ns : 1;
    /* After every timer due no later, so equal deadlines fire in arming order. */
    list_for_each(pos, &armed)
    {
        if (list_entry(pos, struct timer, link)->deadline_ns > timer->deadline_ns)
            break;
    }
    list_add_before(pos, &timer->link);
    program_next();
    events_restore(prev);
}

bool timer_cancel(struct timer *timer)
{
    unsigned int prev = events_disable();
    bool was_armed = timer_is_armed(timer);

    list_del(&timer->link);
    program_next();
    events_restore(prev);
    return was_armed;
}

/* From VIRQ_TIMER, events masked. Xen's timer may fire a little early or late. */
static void timers_expire(void)
{
    programmed_ns = 0; /* a one-shot timer that fired holds nothing */
    while (!list_empty(&armed)) {
        struct timer *t = list_first_entry(&armed, struct timer, link);

        if (t->deadline_ns > xen_system_time_ns())
            break;
        list_del(&t->link);
        t->fn(t, t->arg);
    }
    program_next();
}

int timers_init(void)
{
    return xen_timer_init(timers_expire);
}
