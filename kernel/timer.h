/*
 * Kernel timers: a callback at a point in system time, driven by Xen's one-shot
 * timer (xen/time.h). Any number may be armed; the earliest is programmed into Xen.
 *
 * The callback runs from the VIRQ_TIMER handler, in event context: events masked, no
 * blocking. It may re-arm its own timer, wake threads and post semaphores.
 */
#ifndef KERNEL_TIMER_H
#define KERNEL_TIMER_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/list.h"

struct timer;
typedef void (*timer_fn)(struct timer *timer, void *arg);

struct timer {
    struct list_node link; /* on the armed list, sorted by deadline */
    uint64_t deadline_ns;  /* system time (xen/time.h) */
    timer_fn fn;
    void *arg;
};

void timer_init(struct timer *timer, timer_fn fn, void *arg);
/* Arm (or re-arm) to fire once system time reaches deadline_ns. */
void timer_arm(struct timer *timer, uint64_t deadline_ns);
/* Disarm; returns whether it was armed (false: it had fired or was never armed). */
bool timer_cancel(struct timer *timer);
bool timer_is_armed(const struct timer *timer);

/* Start taking Xen's timer interrupt (VIRQ_TIMER); 0 or a Xen error. */
int timers_init(void);

#endif
