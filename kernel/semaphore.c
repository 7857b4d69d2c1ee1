/*
 * Counting semaphores on a wait queue. The count is shared with event handlers
 * (semaphore_up), so it changes only with events masked.
 */
#include "kernel/semaphore.h"

void semaphore_init(struct semaphore *s, unsigned long count)
{
    s->count = count;
    wait_queue_init(&s->wq);
}

/* Called with events masked. */
static bool take(struct semaphore *s)
{
    if (s->count == 0)
        return false;
    s->count--;
    return true;
}

void semaphore_down(struct semaphore *s)
{
    wait_event(&s->wq, take(s));
}

bool semaphore_try_down(struct semaphore *s)
{
    unsigned int prev = events_disable();
    bool ok = take(s);

    events_restore(prev);
    return ok;
}

bool semaphore_down_until(struct semaphore *s, uint64_t deadline_ns)
{
    return wait_event_deadline(&s->wq, take(s), deadline_ns);
}

void semaphore_up(struct semaphore *s)
{
    unsigned int prev = events_disable();

    s->count++;
    wait_queue_wake_one(&s->wq);
    events_restore(prev);
}
