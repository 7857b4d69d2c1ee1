/*
 * hello: a small tour of what an application gets. It says what it runs on, asks
 * xenstore for the name the toolstack gave it, tells the time from Xen's wall clock,
 * lets two threads take turns printing, and follows a timer that ticks every 100 ms
 * for a second; then the domain powers off.
 */
#include <xen/version.h>

#include "arch/boot_info.h"
#include "arch/hypercall.h"
#include "kernel/app.h"
#include "kernel/sched.h"
#include "kernel/semaphore.h"
#include "kernel/thread.h"
#include "kernel/timer.h"
#include "lib/date.h"
#include "lib/errno.h"
#include "lib/panic.h"
#include "lib/printk.h"
#include "xen/time.h"
#include "drivers/xenbus/xenstore.h"

#define TURNS   3
#define TICK_NS (100 * NSEC_PER_MSEC)
#define TICKS   10

static void say_hello(void)
{
    long version = hypercall_xen_version(XENVER_version, NULL);
    xen_extraversion_t extra = {0};

    hypercall_xen_version(XENVER_extraversion, extra);
    printk("Hello, world! This is Mini-OS on Xen %ld.%ld%.*s, as a %s with %lu MiB.\n",
           version >> 16, version & 0xffff, (int)sizeof(extra), extra,
           boot_is_initial_domain() ? "dom0" : "domU", boot_nr_pages() >> 8);
}

/* As a domU, the toolstack wrote our name (the domain config's name=) into our home. */
static void say_my_name(void)
{
    char name[64];
    int rc;

    if (!xenstore_connected()) {
        printk("No xenstore here: the initial domain starts before any xenstored.\n");
        return;
    }
    rc = xenstore_read_buf(XS_NO_TRANSACTION, "name", name, sizeof(name));
    if (rc)
        printk("Xenstore would not tell my name: %s\n", errno_name(rc));
    else
        printk("Xenstore says my name is '%s' and I am domain %u.\n", name, xenstore_domid());
}

static void say_the_time(void)
{
    static const char *const weekdays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    struct date d;

    date_from_unix((int64_t)(xen_wallclock_ns() / NSEC_PER_SEC), &d);
    printk("The wall clock says %s %04ld-%02u-%02u %02u:%02u:%02u UTC.\n", weekdays[d.weekday],
           d.year, d.month, d.day, d.hour, d.minute, d.second);
}

/* Two threads take turns: each waits for its own semaphore and posts the other's. */
struct turn {
    const char *word;
    struct semaphore *mine, *other;
};

static void take_turns(void *arg)
{
    const struct turn *t = arg;
    unsigned int i;

    for (i = 1; i <= TURNS; i++) {
        semaphore_down(t->mine);
        printk("  %s %u (thread '%s')\n", t->word, i, thread_name(thread_current()));
        semaphore_up(t->other);
    }
}

static void two_threads(void)
{
    struct semaphore ping_sem, pong_sem;
    struct turn ping = {"ping", &ping_sem, &pong_sem}, pong = {"pong", &pong_sem, &ping_sem};
    struct thread *a, *b;

    semaphore_init(&ping_sem, 1);
    semaphore_init(&pong_sem, 0);
    printk("Two threads take turns:\n");
    a = thread_create("ping", take_turns, &ping);
    b = thread_create("pong", take_turns, &pong);
    if (!a || !b)
        panic("hello: cannot create threads\n");
    thread_join(a);
    thread_join(b);
}

/* The timer's callback runs in event context: it only re-arms and wakes the thread. */
struct ticker {
    struct timer timer;
    struct semaphore ticked;
    unsigned int ticks;
};

static void tick(struct timer *timer, void *arg)
{
    struct ticker *t = arg;

    if (++t->ticks < TICKS)
        timer_arm(timer, timer->deadline_ns + TICK_NS);
    semaphore_up(&t->ticked);
}

static void ticking_timer(void)
{
    struct ticker t = {.ticks = 0};
    uint64_t start = xen_system_time_ns();
    unsigned int i;

    printk("A timer ticks every 100 ms for a second:\n");
    semaphore_init(&t.ticked, 0);
    timer_init(&t.timer, tick, &t);
    timer_arm(&t.timer, start + TICK_NS);
    for (i = 1; i <= TICKS; i++) {
        semaphore_down(&t.ticked);
        printk("  tick %u at +%lu ms\n", i, (xen_system_time_ns() - start) / NSEC_PER_MSEC);
    }
}

int app_main(void)
{
    say_hello();
    say_my_name();
    say_the_time();
    two_threads();
    ticking_timer();
    printk("Goodbye.\n");
    return 0;
}
