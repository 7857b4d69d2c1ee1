/*
 * Round-robin scheduling of cooperative threads on the one vCPU.
 *
 * Event handlers wake threads, so the run queue and thread states are only touched
 * with events masked. schedule() masks them, switches, and restores the mask the
 * thread had when it left: each thread carries its own mask state across a switch.
 */
#include "arch/backtrace.h"
#include "arch/context.h"
#include "lib/panic.h"
#include "kernel/sched.h"
#include "xen/events.h"
#include "xen/time.h"

static struct list_node run_queue = LIST_HEAD_INIT(run_queue);
static struct thread *current;
static struct thread *idle_thread;
static struct sched_stats stats;

struct thread *sched_current(void)
{
    return current;
}

void sched_init(struct thread *running, struct thread *idle)
{
    idle_thread = idle;
    idle->state = THREAD_RUNNABLE; /* never queued: picked when the queue is empty */
    current = running;
    running->state = THREAD_RUNNING;
}

void sched_enqueue(struct thread *t)
{
    unsigned int prev = events_disable();

    t->state = THREAD_RUNNABLE;
    list_add_tail(&run_queue, &t->run_link);
    events_restore(prev);
}

void sched_wake(struct thread *t)
{
    unsigned int prev = events_disable();

    if (t->state == THREAD_BLOCKED) {
        list_del(&t->run_link); /* off its wait queue, if on one */
        timer_cancel(&t->wakeup);
        t->state = THREAD_RUNNABLE;
        list_add_tail(&run_queue, &t->run_link);
    }
    events_restore(prev);
}

static struct thread *pick_next(void)
{
    struct thread *next;

    if (list_empty(&run_queue))
        return idle_thread;
    next = list_first_entry(&run_queue, struct thread, run_link);
    list_del(&next->run_link);
    return next;
}

void schedule(void)
{
    unsigned int prev_mask = events_disable();
    struct thread *prev = current, *next;

    /* A handler runs on the interrupted thread's stack, in the middle of its code. */
    if (events_in_handler())
        panic("an event handler tried to block or yield (in thread '%s')\n", prev->name);

    if (prev->state == THREAD_RUNNING && prev != idle_thread) {
        prev->state = THREAD_RUNNABLE;
        list_add_tail(&run_queue, &prev->run_link);
    }
    next = pick_next();
    next->state = THREAD_RUNNING;
    if (next != prev) {
        stats.switches++;
        current = next;
        backtrace_set_stack(next->stack_lo, next->stack_hi);
        arch_switch_stack(&prev->sp, next->sp);
        /* Back on prev's stack, switched to by a later schedule(). */
    }
    /* Events an upcall left for later run between threads, no later than now. */
    events_raise_deferred();
    events_restore(prev_mask);
}

void thread_yield(void)
{
    schedule();
}

void sched_block_current(void)
{
    ASSERT(events_are_disabled());
    ASSERT(current != idle_thread);
    current->state = THREAD_BLOCKED;
    schedule();
}

static void wakeup_timer_fired(struct timer *timer, void *arg)
{
    struct thread *t = arg;

    (void)timer;
    t->timed_out = true;
    sched_wake(t);
}

void sched_arm_wakeup(uint64_t deadline_ns)
{
    timer_init(&current->wakeup, wakeup_timer_fired, current);
    timer_arm(&current->wakeup, deadline_ns);
}

/* Xen's timer and our reading of system time may differ by a little: loop until
 * our own clock agrees that the deadline has passed. */
void thread_sleep_until(uint64_t deadline_ns)
{
    unsigned int prev = events_disable();

    while (xen_system_time_ns() < deadline_ns) {
        sched_arm_wakeup(deadline_ns);
        sched_block_current();
    }
    events_restore(prev);
}

void thread_sleep_ns(uint64_t ns)
{
    thread_sleep_until(xen_system_time_ns() + ns);
}

void sched_run_idle(bool (*housekeeping)(void))
{
    bool more = true; /* housekeeping may have work: ask it before blocking */

    ASSERT(current == idle_thread);
    for (;;) {
        events_disable();
        events_raise_deferred();
        if (!list_empty(&run_queue)) {
            /* Threads first: housekeeping waits for the CPU nobody wants. */
            schedule();
            more = true;
        } else if (more) {
            events_enable();
            more = housekeeping && housekeeping();
        } else {
            /* Unmasks events atomically with blocking, so none is missed between
             * the check and the block; handlers run before this returns. */
            stats.idle_blocks++;
            events_block_vcpu();
            more = true;
        }
    }
}

void sched_get_stats(struct sched_stats *out)
{
    unsigned int prev = events_disable();

    *out = stats;
    events_restore(prev);
}
