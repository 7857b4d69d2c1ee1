/*
 * Threads, the scheduler and the synchronisation primitives, against the real
 * hypervisor. The tests run in the "main" thread (kernel/start_kernel.c).
 */

#include "arch/page.h"
#include "arch/pagetable.h"
#include "kernel/mutex.h"
#include "kernel/sched.h"
#include "kernel/semaphore.h"
#include "kernel/test.h"
#include "kernel/thread.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "mm/page_alloc.h"
#include "xen/events.h"
#include "xen/time.h"

static void set_flag(void *arg)
{
    *(volatile bool *)arg = true;
}

KERNEL_TEST(thread_runs_and_is_joined)
{
    volatile bool ran = false;
    unsigned int before = thread_count();
    struct thread *t = thread_create("flag-setter", set_flag, (void *)&ran);

    TEST_ASSERT(t != NULL);
    TEST_ASSERT(strcmp(thread_name(t), "flag-setter") == 0);
    TEST_ASSERT_EQ(thread_count(), before + 1);
    TEST_ASSERT(!ran); /* created runnable, not run */
    thread_join(t);
    TEST_ASSERT(ran);
    TEST_ASSERT_EQ(thread_count(), before);
    TEST_ASSERT(strcmp(thread_name(thread_current()), "main") == 0);
}

KERNEL_TEST(thread_names_are_cut_to_fit)
{
    volatile bool ran = false;
    struct thread *t =
        thread_create("a-thread-name-much-longer-than-thirty-one-bytes", set_flag, (void *)&ran);

    TEST_ASSERT(t != NULL);
    TEST_ASSERT_EQ(strlen(thread_name(t)), THREAD_NAME_MAX - 1);
    thread_join(t);
    TEST_ASSERT(thread_create_with_stack("no-stack", set_flag, NULL, 0) == NULL);
    TEST_ASSERT(thread_create_with_stack("huge", set_flag, NULL, THREAD_MAX_STACK_PAGES + 1) ==
                NULL);
}

/* Three threads that each append their letter, yielding between letters. */
struct yield_log {
    char text[32];
    unsigned int len;
};
static struct yield_log yield_log;

static void append_three_times(void *arg)
{
    unsigned int i;

    for (i = 0; i < 3; i++) {
        yield_log.text[yield_log.len++] = *(const char *)arg;
        thread_yield();
    }
}

KERNEL_TEST(yield_is_round_robin)
{
    static const char letters[] = "abc";
    struct thread *t[3];
    unsigned int i;

    memset(&yield_log, 0, sizeof(yield_log));
    for (i = 0; i < 3; i++)
        t[i] = thread_create("yielder", append_three_times, (void *)&letters[i]);
    for (i = 0; i < 3; i++)
        thread_join(t[i]);
    TEST_ASSERT(strcmp(yield_log.text, "abcabcabc") == 0);
}

/* Two threads hand a token back and forth through two semaphores. */
#define PING_PONG_ROUNDS 100000

struct ping_pong {
    struct semaphore ping, pong;
    unsigned long rounds;
};

static void ponger(void *arg)
{
    struct ping_pong *pp = arg;
    unsigned long i;

    for (i = 0; i < PING_PONG_ROUNDS; i++) {
        semaphore_down(&pp->ping);
        pp->rounds++;
        semaphore_up(&pp->pong);
    }
}

KERNEL_TEST(ping_pong_100000_times)
{
    struct ping_pong pp;
    struct thread *t;
    unsigned long i;

    semaphore_init(&pp.ping, 0);
    semaphore_init(&pp.pong, 0);
    pp.rounds = 0;
    t = thread_create("ponger", ponger, &pp);
    TEST_ASSERT(t != NULL);
    for (i = 0; i < PING_PONG_ROUNDS; i++) {
        semaphore_up(&pp.ping);
        semaphore_down(&pp.pong);
        if (pp.rounds != i + 1)
            break;
    }
    thread_join(t);
    TEST_ASSERT_EQ(pp.rounds, PING_PONG_ROUNDS);
}

static void note_exit(void *arg)
{
    (*(unsigned int *)arg)++;
}

static void exit_early(void *arg)
{
    (*(unsigned int *)arg)++;
    thread_exit();
    (*(unsigned int *)arg)++;
}

KERNEL_TEST(thread_exit_ends_the_thread_at_once)
{
    unsigned int steps = 0;
    struct thread *t = thread_create("exits-early", exit_early, &steps);

    TEST_ASSERT(t != NULL);
    thread_join(t);
    TEST_ASSERT_EQ(steps, 1);
}

enum { MANY_THREADS = 1000 };

/* Create MANY_THREADS threads, all alive at once, then join them; false on a failure. */
static bool create_and_join_many(struct thread **t)
{
    unsigned int i, exited = 0;
    bool ok = true;

    /* Two-page stacks: 1,000 threads alive at once in a 32 MiB domain. */
    for (i = 0; i < MANY_THREADS; i++) {
        t[i] = thread_create_with_stack("many", note_exit, &exited, 2);
        if (!t[i])
            break;
    }
    if (i < MANY_THREADS) {
        printk("    thread %u could not be created\n", i);
        ok = false;
    }
    while (i-- > 0)
        thread_join(t[i]);
    return ok && exited == MANY_THREADS;
}

/*
 * The first round may add page tables to the virtual area the stacks live in
 * (mm/vmap.c keeps them); from then on a round must give back every page and
 * every heap object.
 */
KERNEL_TEST(thousand_threads_created_and_joined_memory_returns)
{
    struct thread **t = xzalloc(MANY_THREADS * sizeof(*t), 0);
    unsigned long pages_before, first_round_pages;
    struct heap_stats heap_before, heap_after;

    TEST_ASSERT(t != NULL);
    heap_trim();
    pages_before = pages_free_count();
    TEST_ASSERT(create_and_join_many(t));
    heap_trim();
    first_round_pages = pages_before - pages_free_count();
    printk("    first round kept %lu pages (page tables of the stack area)\n", first_round_pages);
    TEST_ASSERT(first_round_pages <= 8);

    pages_before = pages_free_count();
    heap_get_stats(&heap_before);
    TEST_ASSERT(create_and_join_many(t));
    heap_trim();
    heap_get_stats(&heap_after);
    TEST_ASSERT_EQ(heap_after.allocations, heap_before.allocations);
    TEST_ASSERT_EQ(pages_free_count(), pages_before);
    xfree(t);
}

static void detached_worker(void *arg)
{
    (*(unsigned int *)arg)++;
}

KERNEL_TEST(detached_threads_are_freed_by_the_scheduler)
{
    unsigned long pages_before;
    unsigned int ran = 0, i;
    uint64_t deadline = TEST_DEADLINE_MS(10000);

    heap_trim();
    pages_before = pages_free_count();

    for (i = 0; i < 10; i++)
        thread_detach(thread_create("detached", detached_worker, &ran));
    /* Sleeping lets them run, and the idle thread free them: how soon depends on
     * the host, so look again until they are all gone. */
    do {
        thread_sleep_ns(NSEC_PER_MSEC);
        heap_trim();
    } while (pages_free_count() != pages_before && xen_system_time_ns() < deadline);
    TEST_ASSERT_EQ(ran, 10);
    TEST_ASSERT_EQ(pages_free_count(), pages_before);
}

struct waiters {
    struct wait_queue wq;
    unsigned int released, woken;
};

static void wait_for_release(void *arg)
{
    struct waiters *w = arg;

    wait_event(&w->wq, w->released > w->woken);
    w->woken++;
}

KERNEL_TEST(wait_queue_wake_one_and_wake_all)
{
    struct waiters w;
    struct thread *t[4];
    unsigned int i;

    wait_queue_init(&w.wq);
    w.released = w.woken = 0;
    for (i = 0; i < 4; i++)
        t[i] = thread_create("waiter", wait_for_release, &w);
    thread_sleep_ns(NSEC_PER_MSEC);
    TEST_ASSERT_EQ(w.woken, 0);
    TEST_ASSERT(wait_queue_has_waiters(&w.wq));
    /* One released, one woken: the others re-check and stay asleep. */
    w.released = 1;
    wait_queue_wake_one(&w.wq);
    thread_sleep_ns(NSEC_PER_MSEC);
    TEST_ASSERT_EQ(w.woken, 1);
    w.released = 4;
    wait_queue_wake_all(&w.wq);
    for (i = 0; i < 4; i++)
        thread_join(t[i]);
    TEST_ASSERT_EQ(w.woken, 4);
    TEST_ASSERT(!wait_queue_has_waiters(&w.wq));
}

KERNEL_TEST(wait_event_deadline_times_out)
{
    struct wait_queue wq = WAIT_QUEUE_INIT(wq);
    uint64_t start = xen_system_time_ns();
    bool ok = wait_event_deadline(&wq, false, start + 5 * NSEC_PER_MSEC);

    TEST_ASSERT(!ok);
    TEST_ASSERT(xen_system_time_ns() - start >= 5 * NSEC_PER_MSEC);
    TEST_ASSERT(!wait_queue_has_waiters(&wq));
}

KERNEL_TEST(semaphore_counts)
{
    struct semaphore s;
    uint64_t start;

    semaphore_init(&s, 2);
    TEST_ASSERT(semaphore_try_down(&s));
    semaphore_down(&s);
    TEST_ASSERT(!semaphore_try_down(&s));
    start = xen_system_time_ns();
    TEST_ASSERT(!semaphore_down_until(&s, start + 2 * NSEC_PER_MSEC));
    TEST_ASSERT(xen_system_time_ns() - start >= 2 * NSEC_PER_MSEC);
    semaphore_up(&s);
    TEST_ASSERT(semaphore_down_until(&s, xen_system_time_ns() + NSEC_PER_MSEC));
}

/* Threads increment a shared counter with a sleep inside the critical section. */
struct locked_counter {
    struct mutex m;
    unsigned int value, inside, max_inside;
};

static void locked_increments(void *arg)
{
    struct locked_counter *c = arg;
    unsigned int i;

    for (i = 0; i < 5; i++) {
        mutex_lock(&c->m);
        c->inside++;
        if (c->inside > c->max_inside)
            c->max_inside = c->inside;
        thread_sleep_ns(100 * NSEC_PER_USEC);
        c->value++;
        c->inside--;
        mutex_unlock(&c->m);
    }
}

KERNEL_TEST(mutex_excludes_across_blocking)
{
    struct locked_counter c = {.value = 0};
    struct thread *t[3];
    unsigned int i;

    mutex_init(&c.m);
    for (i = 0; i < 3; i++)
        t[i] = thread_create("locker", locked_increments, &c);
    for (i = 0; i < 3; i++)
        thread_join(t[i]);
    TEST_ASSERT_EQ(c.value, 15);
    TEST_ASSERT_EQ(c.max_inside, 1);
    TEST_ASSERT(mutex_try_lock(&c.m));
    TEST_ASSERT(!mutex_try_lock(&c.m));
    mutex_unlock(&c.m);
}

/* An event handler wakes a thread: the way a driver's thread waits for its device. */
struct handler_wake {
    struct semaphore sem;
    unsigned int handled;
};

static void post_from_handler(evtchn_port_t port, void *arg)
{
    struct handler_wake *hw = arg;

    (void)port;
    hw->handled++;
    semaphore_up(&hw->sem);
}

static void wait_for_events(void *arg)
{
    struct handler_wake *hw = arg;
    unsigned int i;

    for (i = 0; i < 3; i++)
        semaphore_down(&hw->sem);
}

KERNEL_TEST(event_handler_wakes_a_thread)
{
    struct handler_wake hw;
    evtchn_port_t a, b;
    struct thread *t;
    unsigned int i;

    semaphore_init(&hw.sem, 0);
    hw.handled = 0;
    TEST_ASSERT_EQ(evtchn_alloc_unbound(DOMID_SELF, NULL, NULL, &a), 0);
    TEST_ASSERT_EQ(evtchn_bind_interdomain(DOMID_SELF, a, post_from_handler, &hw, &b), 0);
    /* The bind's own event (xen/events.h) has run the handler once already. */
    TEST_ASSERT_EQ(hw.handled, 1);
    semaphore_init(&hw.sem, 0);
    hw.handled = 0;
    t = thread_create("event-waiter", wait_for_events, &hw);
    for (i = 0; i < 3; i++) {
        thread_sleep_ns(NSEC_PER_MSEC);
        TEST_ASSERT_EQ(evtchn_send(a), 0);
    }
    thread_join(t);
    TEST_ASSERT_EQ(hw.handled, 3);
    evtchn_close(b);
    evtchn_close(a);
}

static uint64_t running_ns(void)
{
    struct xen_vcpu_times t;

    if (xen_vcpu_times(&t))
        return 0;
    return t.running_ns;
}

/* Idle blocks the vCPU in Xen: a sleeping domain must use (almost) no CPU. */
KERNEL_TEST(idle_domain_uses_under_two_percent_cpu)
{
    uint64_t run0 = running_ns(), wall0 = xen_system_time_ns(), run, wall;
    struct sched_stats s0, s1;

    TEST_ASSERT(run0 != 0);
    /* Idle means nothing left to do: the idle thread adds the memory the start of day
     * left (mm/page_alloc.c), so that is finished first. */
    while (page_alloc_grow())
        ;
    run0 = running_ns();
    wall0 = xen_system_time_ns();
    sched_get_stats(&s0);
    thread_sleep_ns(NSEC_PER_SEC);
    sched_get_stats(&s1);
    run = running_ns() - run0;
    wall = xen_system_time_ns() - wall0;
    printk("    running %lu us of %lu us (%lu.%02lu%%), %lu idle blocks\n", run / 1000, wall / 1000,
           run * 100 / wall, run * 10000 / wall % 100, s1.idle_blocks - s0.idle_blocks);
    TEST_ASSERT(wall >= NSEC_PER_SEC);
    TEST_ASSERT(run * 50 < wall);
}

KERNEL_TEST(thread_stacks_have_guard_pages)
{
    struct thread *self = thread_current();
    volatile uint8_t *bottom = (volatile uint8_t *)self->stack_lo;
    mfn_t guard_mfn;

    TEST_ASSERT(self->stack_hi - self->stack_lo == self->stack_pages * PAGE_SIZE);
    /* The lowest stack byte is mapped and writable, the page below is not mapped. */
    *bottom = *bottom;
    TEST_ASSERT(!pt_mapped_frame(self->stack_lo - PAGE_SIZE, &guard_mfn));
    TEST_ASSERT((uintptr_t)&self < self->stack_hi && (uintptr_t)&self >= self->stack_lo);
}

/*
 * Stack overflows. A thread that recurses without bound, or has a frame bigger than
 * its stack, reaches the guard page below its stack. The kernel cannot take that
 * fault (Xen has nowhere to write the exception frame), so Xen crashes the domain
 * and prints its page-table walk; each test first says which page that must be, and
 * tests/dom0/run checks that it was, not the neighbour's stack below the guard.
 */
static volatile unsigned long recursion_limit = ~0UL;

static __attribute__((noipa)) unsigned long recurse(unsigned long depth)
{
    volatile char frame[512];

    frame[0] = (char)depth;
    if (depth == recursion_limit)
        return 0;
    return recurse(depth + 1) + frame[0];
}

static __attribute__((noipa)) void big_frame(void)
{
    volatile char frame[3 * THREAD_STACK_PAGES * PAGE_SIZE];

    frame[sizeof(frame) - 1] = 1;
    frame[0] = frame[sizeof(frame) - 1];
}

static void park(void *arg)
{
    (void)arg;
    for (;;)
        thread_sleep_ns(NSEC_PER_SEC);
}

/* Run fn in a new thread right above a neighbour's stack, after saying where it is. */
static void overflow_in_thread(void (*fn)(void *))
{
    struct thread *neighbour = thread_create("neighbour", park, NULL);
    struct thread *t = thread_create("overflower", fn, NULL);

    TEST_ASSERT(neighbour != NULL && t != NULL);
    printk("overflow: thread '%s' stack %016lx-%016lx, guard page %016lx\n", thread_name(t),
           t->stack_lo, t->stack_hi, t->stack_lo - PAGE_SIZE);
    printk("overflow: neighbour '%s' stack %016lx-%016lx\n", thread_name(neighbour),
           neighbour->stack_lo, neighbour->stack_hi);
    thread_join(t);
    printk("overflow: not reached\n");
}

static void run_recursion(void *arg)
{
    (void)arg;
    recurse(0);
}

static void run_big_frame(void *arg)
{
    (void)arg;
    big_frame();
}

KERNEL_TEST_FLAGS(crash_thread_stack_overflow, TEST_ON_REQUEST)
{
    overflow_in_thread(run_recursion);
}

KERNEL_TEST_FLAGS(crash_thread_big_frame, TEST_ON_REQUEST)
{
    overflow_in_thread(run_big_frame);
}

/* A write below the stack while the stack itself has room: the kernel can report it. */
static void write_into_guard(void *arg)
{
    (void)arg;
    *(volatile char *)(thread_current()->stack_lo - 64) = 1;
}

KERNEL_TEST_FLAGS(crash_thread_guard_write, TEST_ON_REQUEST)
{
    thread_join(thread_create("underrunner", write_into_guard, NULL));
}

/* An event handler must never block: the scheduler refuses, naming the thread. */
static void block_in_handler(evtchn_port_t port, void *arg)
{
    (void)port;
    semaphore_down(arg);
}

KERNEL_TEST_FLAGS(crash_event_handler_blocks, TEST_ON_REQUEST)
{
    struct semaphore never;
    evtchn_port_t a, b;

    semaphore_init(&never, 0);
    TEST_ASSERT_EQ(evtchn_alloc_unbound(DOMID_SELF, NULL, NULL, &a), 0);
    TEST_ASSERT_EQ(evtchn_bind_interdomain(DOMID_SELF, a, block_in_handler, &never, &b), 0);
    evtchn_send(a);
    printk("handler-blocks: not reached\n");
}
