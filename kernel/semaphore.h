/*
 * Counting semaphores: down blocks while the count is zero; up may be called from
 * event handlers, which is how a driver's handler hands work to its thread.
 */
#ifndef KERNEL_SEMAPHORE_H
#define KERNEL_SEMAPHORE_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/wait.h"

struct semaphore {
    unsigned long count;
    struct wait_queue wq;
};

void semaphore_init(struct semaphore *s, unsigned long count);
void semaphore_down(struct semaphore *s);
/* Take one without blocking; false if the count was zero. */
bool semaphore_try_down(struct semaphore *s);
/* Block until one is available or system time reaches deadline_ns; false on timeout. */
bool semaphore_down_until(struct semaphore *s, uint64_t deadline_ns);
void semaphore_up(struct semaphore *s);

#endif
