/*
 * Wait queues: a list of blocked threads, linked through their run_link (a blocked
 * thread is on no run queue). sched_wake takes a thread off whichever list it is on.
 */
#include "kernel/sched.h"
#include "kernel/wait.h"
#include "lib/panic.h"
#include "xen/time.h"

void wait_queue_init(struct wait_queue *wq)
{
    list_init(&wq->waiters);
}

bool wait_queue_has_waiters(const struct wait_queue *wq)
{
    return !list_empty(&wq->waiters);
}

void wait_queue_wake_one(struct wait_queue *wq)
{
    unsigned int prev = events_disable();

    if (!list_empty(&wq->waiters))
        sched_wake(list_first_entry(&wq->waiters, struct thread, run_link));
    events_restore(prev);
}

void wait_queue_wake_all(struct wait_queue *wq)
{
    unsigned int prev = events_disable();

    while (!list_empty(&wq->waiters))
        sched_wake(list_first_entry(&wq->waiters, struct thread, run_link));
    events_restore(prev);
}

bool wait_queue_sleep(struct wait_queue *wq, uint64_t deadline_ns)
{
    struct thread *self = sched_current();

    ASSERT(events_are_disabled());
    self->timed_out = false;
    if (deadline_ns) {
        if (xen_system_time_ns() >= deadline_ns)
            return false;
        sched_arm_wakeup(deadline_ns);
    }
    list_add_tail(&wq->waiters, &self->run_link);
    sched_block_current();
    return !self->timed_out;
}
