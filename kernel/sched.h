/*
 * The scheduler: one vCPU, cooperative threads, a round-robin run queue. When the
 * queue is empty the idle thread blocks the vCPU in Xen (SCHEDOP_block) until the
 * next event or timer, so an idle domain uses no CPU.
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <stdint.h>

#include "kernel/thread.h"

/*
 * Give the CPU to the next runnable thread. The current thread goes to the back of
 * the run queue if it is still running; if it has blocked it waits for sched_wake.
 */
void schedule(void);
void thread_yield(void);

/* Make a blocked thread runnable (safe from event handlers); no effect otherwise. */
void sched_wake(struct thread *t);
/* With events masked: mark the current thread blocked and switch away. */
void sched_block_current(void);
/*
 * With events masked: have the current thread woken, with timed_out set, once
 * system time reaches deadline_ns (any other wake-up disarms it).
 */
void sched_arm_wakeup(uint64_t deadline_ns);

/* Sleep at least ns nanoseconds / until system time reaches deadline_ns. */
void thread_sleep_ns(uint64_t ns);
void thread_sleep_until(uint64_t deadline_ns);

/* The running thread (the idle thread once nothing else can run). */
struct thread *sched_current(void);

/*
 * For kernel/thread.c: a new thread joins the run queue; at start of day, the running
 * context's thread and the idle thread, which runs when the queue is empty, are named.
 */
void sched_enqueue(struct thread *t);
void sched_init(struct thread *running, struct thread *idle);
/*
 * The idle loop, run by the boot context once everything is up: run threads while
 * any are runnable, else call housekeeping, and block the vCPU until there are some
 * once housekeeping returns false (it has nothing more to do). Never returns.
 */
void sched_run_idle(bool (*housekeeping)(void)) __attribute__((noreturn));

struct sched_stats {
    uint64_t switches;
    uint64_t idle_blocks;
};
void sched_get_stats(struct sched_stats *stats);

#endif
