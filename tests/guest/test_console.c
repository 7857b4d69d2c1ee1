/*
 * Console input. The rig types a line into the console when it sees the prompt: as a
 * domU through xenconsoled's pty, which feeds the ring's input half.
 */
#include <stdbool.h>
#include <xen/io/console.h>

#include "lib/errno.h"
#include "lib/vsnprintf.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "arch/cpu.h"
#include "xen/xencons.h"
#include "xen/console_ring.h"
#include "xen/time.h"
#include "kernel/test.h"
#include "kernel/sched.h"
#include "kernel/thread.h"
#include "kernel/timer.h"
#include "drivers/xenbus/xenstore.h"
#include "drivers/console/console.h"

KERNEL_TEST(console_read_times_out_without_input)
{
    char buf[8];

    TEST_ASSERT_EQ(console_read(buf, sizeof(buf), TEST_DEADLINE_MS(20)), -ETIMEDOUT);
    TEST_ASSERT_EQ(console_read_line(buf, sizeof(buf), TEST_DEADLINE_MS(20)), -ETIMEDOUT);
    TEST_ASSERT_EQ(console_read(buf, 0, TEST_DEADLINE_MS(20)), 0);
}

/* The rig types "typed in dom0", then a line too long for the buffer, then "after". */
KERNEL_TEST_FLAGS(console_reads_lines_typed_in_dom0, TEST_ON_REQUEST)
{
    char line[32];

    printk("console: waiting for a line\n");
    TEST_ASSERT_EQ(console_read_line(line, sizeof(line), TEST_DEADLINE_MS(60000)), 13);
    TEST_ASSERT(strcmp(line, "typed in dom0") == 0);
    printk("console: read '%s'\n", line);
    printk("console: waiting for a long line\n");
    TEST_ASSERT_EQ(console_read_line(line, sizeof(line), TEST_DEADLINE_MS(60000)), -E2BIG);
    TEST_ASSERT_EQ(console_read_line(line, sizeof(line), TEST_DEADLINE_MS(60000)), 5);
    TEST_ASSERT(strcmp(line, "after") == 0);
    printk("console: read '%s' after the long line\n", line);
}

/*
 * Output from a timer handler while a thread prints: both write one ring, through
 * xencons_ring_print as printk does, and the thread plays the backend. A handler
 * that breaks into a write must neither move out_prod backwards nor land inside the
 * thread's line. The ring is the test's own, so this runs as dom0 too.
 */
#define SPLICE_LINES 200

static struct xencons_interface splice_page;
static struct console_ring splice_ring;
static volatile bool splice_stop;
static unsigned int splice_handler_lines;

static void splice_notify(struct console_ring *r)
{
    (void)r;
}

/* The backend is this test's own thread, which cannot run meanwhile. */
static void splice_yield(struct console_ring *r)
{
    (void)r;
}

static const struct console_ring_ops splice_ops = {.notify = splice_notify, .yield = splice_yield};

/* "K nnnnn " then a fill of len letters, each line's own. */
static size_t splice_line(char *buf, char kind, unsigned int seq, size_t len)
{
    size_t n = (size_t)snprintf(buf, 16, "%c %05u ", kind, seq), i;

    for (i = 0; i < len; i++)
        buf[n++] = (char)('a' + (seq + i) % 26);
    buf[n++] = '\n';
    return n;
}

static void splice_timer_fired(struct timer *timer, void *arg)
{
    char line[96];

    (void)arg;
    if (splice_stop)
        return;
    xencons_ring_print(&splice_ring, line, splice_line(line, 'E', splice_handler_lines++, 60));
    timer_arm(timer, xen_system_time_ns() + 100 * NSEC_PER_USEC);
}

struct splice_reader {
    XENCONS_RING_IDX prod_seen;
    char line[256];
    size_t len;
    unsigned int next_seq[2]; /* thread, handler */
};

/* Whether one whole line, without its "\r\n", is what its writer printed. */
static bool splice_line_is_whole(struct splice_reader *rd, const char *got, size_t len)
{
    char want[256];
    unsigned int *next;
    size_t n;

    if (len < 2 || (got[0] != 'T' && got[0] != 'E'))
        return false;
    next = &rd->next_seq[got[0] == 'E'];
    n = splice_line(want, got[0], *next, got[0] == 'E' ? 60 : 150);
    if (n - 1 != len || memcmp(want, got, len) != 0)
        return false;
    ++*next;
    return true;
}

/* Take everything in the ring as the backend would; false on a broken promise. */
static bool splice_drain(struct splice_reader *rd)
{
    XENCONS_RING_IDX cons = splice_page.out_cons, prod = READ_ONCE(splice_page.out_prod);

    if ((int32_t)(prod - rd->prod_seen) < 0) {
        printk("    out_prod went back from %u to %u\n", rd->prod_seen, prod);
        return false;
    }
    rd->prod_seen = prod;
    rmb();
    while (cons != prod) {
        char c = splice_page.out[MASK_XENCONS_IDX(cons++, splice_page.out)];

        if (rd->len == sizeof(rd->line)) {
            printk("    a line longer than any written\n");
            return false;
        }
        rd->line[rd->len++] = c;
        if (c != '\n')
            continue;
        if (rd->len < 2 || rd->line[rd->len - 2] != '\r' ||
            !splice_line_is_whole(rd, rd->line, rd->len - 2)) {
            printk("    not a line as written: '%.*s'\n", (int)rd->len - 2, rd->line);
            return false;
        }
        rd->len = 0;
    }
    mb();
    splice_page.out_cons = cons;
    return true;
}

KERNEL_TEST(console_lines_stay_whole_when_a_handler_prints)
{
    static struct splice_reader rd;
    struct timer timer;
    uint64_t deadline = TEST_DEADLINE_MS(60000);
    unsigned int seq = 0;
    char line[192];
    bool ok = true;

    memset(&splice_page, 0, sizeof(splice_page));
    memset(&rd, 0, sizeof(rd));
    console_ring_init(&splice_ring, &splice_page, &splice_ops);
    splice_stop = false;
    splice_handler_lines = 0;
    timer_init(&timer, splice_timer_fired, NULL);
    timer_arm(&timer, xen_system_time_ns());
    while (ok && (seq < SPLICE_LINES || splice_handler_lines < SPLICE_LINES) &&
           xen_system_time_ns() < deadline) {
        xencons_ring_print(&splice_ring, line, splice_line(line, 'T', seq++, 150));
        ok = splice_drain(&rd);
    }
    splice_stop = true;
    timer_cancel(&timer);
    ok = ok && splice_drain(&rd);
    printk("console: %u lines from the thread, %u from the timer handler\n", seq,
           splice_handler_lines);
    TEST_ASSERT(ok);
    TEST_ASSERT(!splice_ring.broken);
    TEST_ASSERT_EQ(splice_ring.dropped_total, 0);
    TEST_ASSERT_EQ(rd.len, 0);
    TEST_ASSERT_EQ(rd.next_seq[0], seq);
    TEST_ASSERT_EQ(rd.next_seq[1], splice_handler_lines);
    TEST_ASSERT(splice_handler_lines >= SPLICE_LINES);
}

/*
 * For the full rig's console-stall scenario, where dom0 stops xenconsoled (kill -STOP)
 * once this test says it is printing, and lets it go on two seconds after the test
 * writes data/console-stall: it prints long lines until the writer drops output,
 * then goes on printing, with a worker thread and a timer beside it, until the
 * backend drains again. Lines come every 10 ms, so that dom0, which copies each line
 * into the log, keeps up while the backend runs.
 */
static volatile bool stall_stop;
static volatile unsigned long stall_worker_runs, stall_timer_runs;

static void stall_worker(void *arg)
{
    (void)arg;
    while (!stall_stop) {
        stall_worker_runs++;
        thread_sleep_ns(NSEC_PER_MSEC);
    }
}

static void stall_tick(struct timer *timer, void *arg)
{
    (void)arg;
    stall_timer_runs++;
    if (!stall_stop)
        timer_arm(timer, xen_system_time_ns() + NSEC_PER_MSEC);
}

KERNEL_TEST_FLAGS(console_keeps_working_while_the_backend_stalls, TEST_ON_REQUEST | TEST_DOMU_ONLY)
{
    static char fill[257];
    struct xencons_output_stats st;
    uint64_t deadline = TEST_DEADLINE_MS(120000), stalled_at, stalled_ns;
    unsigned long lines = 0, worker_runs, timer_runs;
    struct thread *worker;
    struct timer timer;

    memset(fill, '.', sizeof(fill) - 1);
    stall_stop = false;
    worker = thread_create("stall-worker", stall_worker, NULL);
    TEST_ASSERT(worker != NULL);
    timer_init(&timer, stall_tick, NULL);
    timer_arm(&timer, xen_system_time_ns());
    printk("console: printing until the backend stalls\n");
    do {
        printk("console: line %lu %s\n", lines++, fill);
        thread_sleep_ns(10 * NSEC_PER_MSEC);
        xencons_output_stats(&st);
    } while (st.dropped_total == 0 && xen_system_time_ns() < deadline);
    stalled_at = xen_system_time_ns();
    worker_runs = stall_worker_runs;
    timer_runs = stall_timer_runs;
    TEST_ASSERT(st.dropped_total > 0);
    TEST_ASSERT_EQ(xenstore_write(XS_NO_TRANSACTION, "data/console-stall", "dropping"), 0);
    /* Printing must not wait for a stopped backend: the rest of the kernel runs on. */
    while ((st.stalled || st.dropped_unreported) && xen_system_time_ns() < deadline) {
        printk("console: line %lu %s\n", lines++, fill);
        thread_sleep_ns(NSEC_PER_MSEC);
        xencons_output_stats(&st);
    }
    stalled_ns = xen_system_time_ns() - stalled_at;
    worker_runs = stall_worker_runs - worker_runs;
    timer_runs = stall_timer_runs - timer_runs;
    stall_stop = true;
    timer_cancel(&timer);
    thread_join(worker);
    printk("console: the backend drains again after %lu ms; meanwhile the worker ran %lu times "
           "and the timer %lu times; %lu bytes dropped in all\n",
           (unsigned long)(stalled_ns / NSEC_PER_MSEC), worker_runs, timer_runs,
           (unsigned long)st.dropped_total);
    TEST_ASSERT(!st.stalled);
    TEST_ASSERT_EQ(st.dropped_unreported, 0);
    /* The backend stays stopped for two seconds after the xenstore write. */
    TEST_ASSERT(stalled_ns >= NSEC_PER_SEC);
    TEST_ASSERT(worker_runs > 0 && timer_runs > 0);
}
