/*
 * Mutexes: ownership passes to the longest waiter on unlock, so a thread that
 * unlocks and immediately locks again cannot starve the others.
 */
#include "kernel/mutex.h"
#include "kernel/sched.h"
#include "lib/panic.h"

void mutex_init(struct mutex *m)
{
    m->owner = NULL;
    wait_queue_init(&m->wq);
}

void mutex_lock(struct mutex *m)
{
    struct thread *self = sched_current();
    unsigned int prev = events_disable();

    if (m->owner == self)
        panic("mutex_lock: thread '%s' already holds the mutex %p\n", thread_name(self), m);
    if (m->owner == NULL)
        m->owner = self;
    /* Woken by mutex_unlock only after it made us the owner. */
    while (m->owner != self)
        wait_queue_sleep(&m->wq, 0);
    events_restore(prev);
}

bool mutex_try_lock(struct mutex *m)
{
    unsigned int prev = events_disable();
    bool ok = m->owner == NULL;

    if (ok)
        m->owner = sched_current();
    events_restore(prev);
    return ok;
}

void mutex_unlock(struct mutex *m)
{
    struct thread *self = sched_current();
    unsigned int prev = events_disable();

    if (m->owner != self)
        panic("mutex_unlock: thread '%s' does not hold the mutex %p\n", thread_name(self), m);
    m->owner = NULL;
    if (wait_queue_has_waiters(&m->wq)) {
        m->owner = list_first_entry(&m->wq.waiters, struct thread, run_link);
        wait_queue_wake_one(&m->wq);
    }
    events_restore(prev);
}
