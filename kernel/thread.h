/*
 * Kernel threads: cooperative, each on its own stack with an unmapped guard page
 * below it (mm/vmap.h), so that an overflow faults instead of writing into whatever
 * lies below. A thread runs until it blocks, sleeps, yields or exits
 * (kernel/sched.h); nothing preempts it.
 *
 *   struct thread *t = thread_create("worker", worker_main, &job);
 *   ...
 *   thread_join(t);
 */
#ifndef KERNEL_THREAD_H
#define KERNEL_THREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/timer.h"
#include "kernel/wait.h"
#include "lib/list.h"
#include "mm/vmap.h"

#define THREAD_NAME_MAX        32
#define THREAD_STACK_PAGES     8 /* 32 KiB */
#define THREAD_MAX_STACK_PAGES VMAP_STACK_MAX_PAGES

enum thread_state {
    THREAD_RUNNING,  /* the current thread */
    THREAD_RUNNABLE, /* on the run queue */
    THREAD_BLOCKED,  /* waiting: on a wait queue, for a timer, or both */
    THREAD_EXITED, /* finished; its stack is freed by thread_join or, if detached, the scheduler */
};

struct thread {
    char name[THREAD_NAME_MAX];
    unsigned int id;
    enum thread_state state;
    uintptr_t sp; /* saved stack pointer while not running */
    void *stack;  /* lowest mapped byte; NULL for the boot stack */
    size_t stack_pages;
    uintptr_t stack_lo, stack_hi;
    struct list_node run_link; /* run queue, a wait queue, or the exited list */
    struct list_node all_link; /* every thread, for reports */
    struct timer wakeup;       /* sleeps and timed waits */
    bool timed_out;
    bool detached;
    struct wait_queue exit_waiters;
    void (*fn)(void *arg);
    void *arg;
};

/*
 * A new runnable thread with THREAD_STACK_PAGES of stack (or `stack_pages`, at most
 * THREAD_MAX_STACK_PAGES), that runs fn(arg) and exits when fn returns. The name is
 * copied (and cut to THREAD_NAME_MAX - 1). NULL when memory or address space run out.
 */
struct thread *thread_create(const char *name, void (*fn)(void *arg), void *arg);
struct thread *thread_create_with_stack(const char *name, void (*fn)(void *arg), void *arg,
                                        size_t stack_pages);

/* End the current thread (the idle thread may not). */
void thread_exit(void) __attribute__((noreturn));
/* Wait for t to exit, then free it. Each thread is joined once, or detached. */
void thread_join(struct thread *t);
/* Nobody will join t: the scheduler frees it when it exits. */
void thread_detach(struct thread *t);

struct thread *thread_current(void);
const char *thread_name(const struct thread *t);

/* Threads in existence, exited-but-unjoined ones included. */
unsigned int thread_count(void);
/* Pages of the stacks from mm/vmap.h that threads hold (the two in the image aside). */
size_t threads_stack_pages(void);

/*
 * Make the running start-of-day context a thread called name, on the boot stack, and
 * set up the idle thread, on its own stack, which runs whenever no other thread can
 * (kernel/sched.h:sched_run_idle); register the fault-report context. Neither thread
 * can be joined or freed.
 */
void threads_init(const char *name);

#endif
