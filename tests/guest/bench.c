/* Latency figures for the in-kernel benchmarks. */
#include "lib/printk.h"
#include "tests/guest/bench.h"

/* Insertion sort: a few thousand samples, once per benchmark. */
static void sort_u64(uint64_t *v, unsigned int n)
{
    unsigned int i, j;

    for (i = 1; i < n; i++) {
        uint64_t x = v[i];

        for (j = i; j > 0 && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

void bench_report_percentiles(const char *what, uint64_t *v, unsigned int n)
{
    sort_u64(v, n);
    printk("bench: %s: median %lu ns, 99th percentile %lu ns, max %lu ns\n", what, v[n / 2],
           v[n * 99 / 100], v[n - 1]);
}
