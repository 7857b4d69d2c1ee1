/* What the in-kernel benchmarks share: printing latency figures. */
#ifndef TESTS_XEN_BENCH_H
#define TESTS_XEN_BENCH_H

#include <stdint.h>

/* Sort the n samples (nanoseconds) and print "bench: WHAT: median, 99th percentile, max". */
void bench_report_percentiles(const char *what, uint64_t *samples, unsigned int n);

#endif
