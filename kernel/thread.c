/*
 * Creating, ending and reporting threads.
 *
 * A thread's stack comes from mm/vmap.c with an unmapped guard page below it. The
 * boot stack (arch/x86/pv/boot.S, also guarded) becomes the idle thread's. A thread
 * cannot free the stack it runs on, so an exited thread is freed by whoever joins it
 * or, if detached, by the idle thread's housekeeping.
 */
#include "arch/context.h"
#include "arch/fault_report.h"
#include "arch/page.h"
#include "lib/panic.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "kernel/sched.h"
#include "kernel/thread.h"
#include "mm/heap.h"
#include "mm/page_alloc.h"
#include "mm/vmap.h"

extern char boot_stack[], boot_stack_top[];

static struct thread idle_thread;
static struct list_node all_threads = LIST_HEAD_INIT(all_threads);
static struct list_node exited_detached = LIST_HEAD_INIT(exited_detached);
static unsigned int next_id = 1;
static unsigned int nr_threads;

struct thread *thread_current(void)
{
    return sched_current();
}

const char *thread_name(const struct thread *t)
{
    return t ? t->name : "(none)";
}

unsigned int thread_count(void)
{
    return nr_threads;
}

size_t threads_stack_pages(void)
{
    struct list_node *pos;
    size_t pages = 0;

    list_for_each(pos, &all_threads) pages += list_entry(pos, struct thread, all_link)->stack_pages;
    return pages;
}

/* The first code a new thread runs, on its own stack (arch/x86/switch.S). */
static void thread_start(void *arg)
{
    struct thread *self = arg;

    /* The switch left events masked, as schedule() runs; a new thread starts with
     * them enabled. */
    events_enable();
    self->fn(self->arg);
    thread_exit();
}

struct thread *thread_create_with_stack(const char *name, void (*fn)(void *arg), void *arg,
                                        size_t stack_pages)
{
    struct thread *t;
    unsigned int prev;

    if (stack_pages == 0 || stack_pages > THREAD_MAX_STACK_PAGES)
        return NULL;
    t = xzalloc(sizeof(*t), 0);
    if (!t)
        return NULL;
    t->stack = vmap_alloc_stack(stack_pages);
    if (!t->stack) {
        xfree(t);
        return NULL;
    }
    strlcpy(t->name, name, sizeof(t->name));
    t->stack_pages = stack_pages;
    t->stack_lo = (uintptr_t)t->stack;
    t->stack_hi = t->stack_lo + stack_pages * PAGE_SIZE;
    t->fn = fn;
    t->arg = arg;
    t->sp = arch_stack_init((void *)t->stack_hi, thread_start, t);
    list_init(&t->run_link);
    timer_init(&t->wakeup, NULL, NULL);
    wait_queue_init(&t->exit_waiters);

    prev = events_disable();
    t->id = next_id++;
    list_add_tail(&all_threads, &t->all_link);
    nr_threads++;
    sched_enqueue(t);
    events_restore(prev);
    return t;
}

struct thread *thread_create(const char *name, void (*fn)(void *arg), void *arg)
{
    return thread_create_with_stack(name, fn, arg, THREAD_STACK_PAGES);
}

static void thread_free(struct thread *t)
{
    unsigned int prev = events_disable();

    list_del(&t->all_link);
    nr_threads--;
    events_restore(prev);
    /* A refusal has been reported by vmap, and the stack is kept (it may still be
     * mapped): nothing more to do here than let the thread's record go. */
    (void)vmap_free_stack(t->stack, t->stack_pages);
    xfree(t);
}

void thread_exit(void)
{
    struct thread *self = sched_current();

    if (self == &idle_thread)
        panic("thread_exit: the idle thread cannot exit\n");
    events_disable();
    self->state = THREAD_EXITED;
    if (self->detached)
        list_add_tail(&exited_detached, &self->run_link);
    wait_queue_wake_all(&self->exit_waiters);
    schedule();
    panic("thread '%s' ran after it exited\n", self->name);
}

void thread_join(struct thread *t)
{
    if (t == sched_current() || t->detached)
        panic("thread_join: thread '%s' cannot be joined by '%s'\n", t->name,
              thread_name(sched_current()));
    wait_event(&t->exit_waiters, t->state == THREAD_EXITED);
    thread_free(t);
}

void thread_detach(struct thread *t)
{
    unsigned int prev = events_disable();

    t->detached = true;
    if (t->state == THREAD_EXITED)
        list_add_tail(&exited_detached, &t->run_link);
    events_restore(prev);
}

/* Free detached threads that have exited; run by the idle thread, off their stacks. */
static void reap_exited(void)
{
    for (;;) {
        unsigned int prev = events_disable();
        struct thread *t = NULL;

        if (!list_empty(&exited_detached)) {
            t = list_first_entry(&exited_detached, struct thread, run_link);
            list_del(&t->run_link);
        }
        events_restore(prev);
        if (!t)
            return;
        thread_free(t);
    }
}

static const struct thread *thread_owning_guard(uintptr_t addr)
{
    struct list_node *pos;

    list_for_each(pos, &all_threads)
    {
        const struct thread *t = list_entry(pos, struct thread, all_link);

        if (addr < t->stack_lo && addr >= t->stack_lo - PAGE_SIZE)
            return t;
    }
    return NULL;
}

/* For the fault report and panic (arch/x86/include/arch/fault_report.h): who was running. */
static void report_thread_context(bool have_fault_addr, uintptr_t fault_addr)
{
    const struct thread *self = sched_current();
    const struct thread *owner;

    if (self)
        printk("Thread: '%s' (id %u), stack %016lx-%016lx\n", self->name, self->id, self->stack_lo,
               self->stack_hi);
    if (!have_fault_addr || !(owner = thread_owning_guard(fault_addr)))
        return;
    printk("The fault address is in the guard page below the stack of thread '%s'%s\n", owner->name,
           owner == self ? ": a stack overflow" : "");
}

void threads_init(void)
{
    strlcpy(idle_thread.name, "idle", sizeof(idle_thread.name));
    idle_thread.id = 0;
    idle_thread.stack_lo = (uintptr_t)boot_stack;
    idle_thread.stack_hi = (uintptr_t)boot_stack_top;
    list_init(&idle_thread.run_link);
    timer_init(&idle_thread.wakeup, NULL, NULL);
    wait_queue_init(&idle_thread.exit_waiters);
    list_add_tail(&all_threads, &idle_thread.all_link);
    nr_threads = 1;
    sched_set_idle(&idle_thread);
    fault_report_set_context(report_thread_context);
}

/*
 * What the idle thread does between threads: free the exited ones, then add one
 * step of the memory the start of day left to the page allocator, so that it is all
 * there before anyone needs it (mm/page_alloc.c).
 */
static bool idle_housekeeping(void)
{
    reap_exited();
    return page_alloc_grow();
}

void threads_run_idle(void)
{
    sched_run_idle(idle_housekeeping);
}
