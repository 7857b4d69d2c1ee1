/*
 * Xenstore round trips, run by tools/bench in the full rig (tests=bench_xenstore, as a
 * domU): a read of our own name from one thread, then from ten at once. Figures only;
 * nothing is checked beyond the reads succeeding.
 */
#include "lib/printk.h"
#include "mm/heap.h"
#include "xen/time.h"
#include "kernel/test.h"
#include "kernel/thread.h"
#include "drivers/xenbus/xenstore.h"
#include "tests/guest/bench.h"

#define ONE_THREAD_READS 1000
#define THREADS          10
#define READS_PER_THREAD 200

struct reader {
    uint64_t *samples;
    unsigned int n, failures;
};

static void timed_reads(void *arg)
{
    struct reader *r = arg;
    char name[64];
    unsigned int i;

    for (i = 0; i < r->n; i++) {
        uint64_t t = xen_system_time_ns();

        if (xenstore_read_buf(XS_NO_TRANSACTION, "name", name, sizeof(name)) != 0)
            r->failures++;
        r->samples[i] = xen_system_time_ns() - t;
    }
}

KERNEL_TEST_FLAGS(bench_xenstore, TEST_ON_REQUEST | TEST_DOMU_ONLY)
{
    uint64_t *samples = xmalloc(THREADS * READS_PER_THREAD * sizeof(uint64_t), 8);
    struct reader readers[THREADS];
    struct thread *threads[THREADS];
    unsigned int i, failures = 0;
    uint64_t start, elapsed;

    TEST_ASSERT(samples != NULL);
    readers[0] = (struct reader){samples, ONE_THREAD_READS, 0};
    timed_reads(&readers[0]);
    TEST_ASSERT_EQ(readers[0].failures, 0);
    bench_report_percentiles("xenstore read round trip, 1 thread", samples, ONE_THREAD_READS);

    start = xen_system_time_ns();
    for (i = 0; i < THREADS; i++) {
        readers[i] = (struct reader){samples + i * READS_PER_THREAD, READS_PER_THREAD, 0};
        threads[i] = thread_create("xs-bench", timed_reads, &readers[i]);
        TEST_ASSERT(threads[i] != NULL);
    }
    for (i = 0; i < THREADS; i++) {
        thread_join(threads[i]);
        failures += readers[i].failures;
    }
    elapsed = xen_system_time_ns() - start;
    TEST_ASSERT_EQ(failures, 0);
    bench_report_percentiles("xenstore read round trip, 10 threads", samples,
                             THREADS * READS_PER_THREAD);
    printk("bench: xenstore reads from 10 threads: %lu per second\n",
           THREADS * READS_PER_THREAD * NSEC_PER_SEC / elapsed);
    xfree(samples);
}
