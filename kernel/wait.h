/*
 * Wait queues: threads block on one until another thread, or an event handler,
 * wakes one or all of them. The condition is always re-checked with events masked,
 * so a wake-up between the check and the sleep is never lost.
 *
 *   wait_event(&ring->wq, ring_has_space(ring));   // in a thread
 *   wait_queue_wake_all(&ring->wq);                 // in the event handler
 */
#ifndef KERNEL_WAIT_H
#define KERNEL_WAIT_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/list.h"
#include "xen/events.h"

struct wait_queue {
    struct list_node waiters;
};

#define WAIT_QUEUE_INIT(name)                                                                      \
    {                                                                                              \
        LIST_HEAD_INIT((name).waiters)                                                             \
    }

void wait_queue_init(struct wait_queue *wq);
/* Wake the longest waiter / every waiter; safe from event handlers. */
void wait_queue_wake_one(struct wait_queue *wq);
void wait_queue_wake_all(struct wait_queue *wq);
bool wait_queue_has_waiters(const struct wait_queue *wq);

/*
 * Block the current thread on wq until woken or, if deadline_ns is not 0, until
 * system time reaches it. Called with events masked (by wait_event); returns with
 * them masked. Returns false when it returned because of the deadline.
 */
bool wait_queue_sleep(struct wait_queue *wq, uint64_t deadline_ns);

/* Block until cond holds. */
#define wait_event(wq, cond)                                                                       \
    do {                                                                                           \
        unsigned int wait_prev_ = events_disable();                                                \
        while (!(cond))                                                                            \
            wait_queue_sleep((wq), 0);                                                             \
        events_restore(wait_prev_);                                                                \
    } while (0)

/* Block until cond holds or system time reaches deadline_ns; evaluates to cond. */
#define wait_event_deadline(wq, cond, deadline_ns)                                                 \
    ({                                                                                             \
        unsigned int wait_prev_ = events_disable();                                                \
        bool wait_ok_;                                                                             \
        while (!(wait_ok_ = (cond)) && wait_queue_sleep((wq), (deadline_ns)))                      \
            ;                                                                                      \
        if (!wait_ok_)                                                                             \
            wait_ok_ = (cond);                                                                     \
        events_restore(wait_prev_);                                                                \
        wait_ok_;                                                                                  \
    })

#endif
