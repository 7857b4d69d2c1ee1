/*
 * Memory micro-benchmarks, run by tools/bench (tests=bench_mm): they print figures and
 * check nothing. Under QEMU's TCG the absolute numbers are inflated; compare runs.
 */
#include "arch/cpu.h"
#include "kernel/test.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "mm/page_alloc.h"
#include "xen/time.h"

#define BENCH_ROUNDS 20000

static void bench_report(const char *what, uint64_t ns, uint64_t cycles)
{
    printk("bench: %s: %lu ns, %lu TSC cycles\n", what, ns / BENCH_ROUNDS, cycles / BENCH_ROUNDS);
}

/* Copies the size of a large TCP segment, as the network frontend makes them. */
#define COPY_BYTES  (64 * 1024)
#define COPY_ROUNDS 500

static uint8_t copy_src[COPY_BYTES + 8], copy_dst[COPY_BYTES + 8];

/* memcpy of COPY_BYTES from src_off into dst_off (bytes past an aligned start). */
static void bench_copy(const char *what, unsigned int src_off, unsigned int dst_off)
{
    uint64_t t = xen_system_time_ns(), ns;

    for (unsigned int i = 0; i < COPY_ROUNDS; i++)
        memcpy(copy_dst + dst_off, copy_src + src_off, COPY_BYTES);
    ns = (xen_system_time_ns() - t) / COPY_ROUNDS;
    printk("bench: memcpy 64 KiB, %s: %lu ns (%lu MB/s)\n", what, ns,
           ns ? (unsigned long)(COPY_BYTES * 1000UL / ns) : 0UL);
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

    bench_copy("both aligned", 0, 0);
    /* A TCP payload after its 54 bytes of headers, into a page at an odd place. */
    bench_copy("misaligned", 6, 3);
}
