/*
 * Creating, ending and reporting threads.
 *
 * A thread's stack comes from mm/vmap.c with an unmapped guard page below it. Two
 * threads exist from the start, on stacks in the image (arch/x86/pv/boot.S, also
 * guarded): the start of day goes on as the main thread, on the boot stack, and the
 * idle thread has a small stack of its own; so the start of day maps no stack. A
 * thread cannot free the stack it runs on, so an exited thread is freed by whoever
 * joins it or, if detached, by the idle thread's housekeeping.
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

extern char boot_stack[], boot_stack_top[], idle_stack[], idle_stack_top[];

/* The main thread, the start of day's own context on the boot stack; the idle thread. */
static struct thread boot_thread;
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

    list_for_each(pos, &all_threads)
    {
        const struct thread *t = list_entry(pos, struct thread, all_link);

        if (t->stack)
            pages += t->stack_pages;
    }
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
    unsigned int prev;

    if (!t->stack)
        panic("thread '%s' lives on a stack in the image and cannot be freed\n", t->name);
    prev = events_disable();
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

/* The idle thread's body: the scheduler's idle loop, with the housekeeping above. */
static void idle_thread_run(void *arg)
{
    (void)arg;
    sched_run_idle(idle_housekeeping);
}

/* A thread record for a stack in the image. */
static void static_thread_init(struct thread *t, const char *name, unsigned int id, char *lo,
                               char *hi)
{
    strlcpy(t->name, name, sizeof(t->name));
    t->id = id;
    t->stack_pages = (size_t)(hi - lo) / PAGE_SIZE;
    t->stack_lo = (uintptr_t)lo;
    t->stack_hi = (uintptr_t)hi;
    list_init(&t->run_link);
    timer_init(&t->wakeup, NULL, NULL);
    wait_queue_init(&t->exit_waiters);
    list_add_tail(&all_threads, &t->all_link);
    nr_threads++;
}

void threads_init(const char *name)
{
    static_thread_init(&idle_thread, "idle", 0, idle_stack, idle_stack_top);
    idle_thread.sp = arch_stack_init(idle_stack_top, idle_thread_run, NULL);
    static_thread_init(&boot_thread, name, next_id++, boot_stack, boot_stack_top);
    sched_init(&boot_thread, &idle_thread);
    fault_report_set_context(report_thread_context);
}
