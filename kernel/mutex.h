/*
 * Mutexes: a sleeping lock with an owner. With cooperative threads a critical
 * section without a blocking call needs no lock at all; a mutex is for one that
 * blocks inside (a xenstore request, a disk read). Not for event handlers.
 */
#ifndef KERNEL_MUTEX_H
#define KERNEL_MUTEX_H

#include <stdbool.h>

#include "kernel/thread.h"
#include "kernel/wait.h"

struct mutex {
    struct thread *owner;
    struct wait_queue wq;
};

void mutex_init(struct mutex *m);
void mutex_lock(struct mutex *m);
bool mutex_try_lock(struct mutex *m);
/* Only the owner may unlock; anyone else is a bug and panics. */
void mutex_unlock(struct mutex *m);

#endif
