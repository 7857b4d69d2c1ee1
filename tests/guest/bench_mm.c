/*
 * Memory micro-benchmarks, run by tools/bench (tests=bench_mm): they print figures and
 * check nothing. Under QEMU's TCG the absolute numbers are inflated; compare runs.
 */
#include "arch/cpu.h"
#include "kernel/test.h"
#include "lib/printk.h"
#include "mm/heap.h"
#include "mm/page_alloc.h"
#include "xen/time.h"

#define BENCH_ROUNDS 20000

static void bench_report(const char *what, uint64_t ns, uint64_t cycles)
{
    printk("bench: %s: %lu ns, %lu TSC cycles\n", what, ns / BENCH_ROUNDS, cycles / BENCH_ROUNDS);
}

KERNEL_TEST_FLAGS(bench_mm, TEST_ON_REQUEST)
{
    uint64_t t, c;
    unsigned int i;

    t = xen_system_time_ns();
    c = rdtsc();
    for (i = 0; i < BENCH_ROUNDS; i++)
        free_page(alloc_page());
    bench_report("alloc_page + free_page", xen_system_time_ns() - t, rdtsc() - c);

    t = xen_system_time_ns();
    c = rdtsc();
    for (i = 0; i < BENCH_ROUNDS; i++)
        xfree(xmalloc(64, 0));
    bench_report("xmalloc(64) + xfree", xen_system_time_ns() - t, rdtsc() - c);
}
