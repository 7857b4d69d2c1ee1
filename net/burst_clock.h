/*
 * The time of a burst of lwIP work (net/core_lock.c keeps one): the clock is read at
 * the first question and the answer kept while the same thread holds lwIP's core
 * lock without giving up the CPU, the way Linux's TCP keeps one time stamp for the
 * segments it handles in one go. Reading Xen's clock costs an rdtsc, which Xen
 * emulates whenever the host's TSC is not invariant or the domain has moved hosts
 * (xen-tscmode(7)), and lwIP asks the time for every segment an application writes.
 * Pure logic: the caller gives the thread, the scheduler's switch count and the
 * clock, so the host tests drive it.
 */
#ifndef NET_BURST_CLOCK_H
#define NET_BURST_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

struct burst_clock {
    const void *holder; /* the thread holding the lock; NULL between bursts */
    bool read;          /* now_ms is the burst's time */
    uint64_t switches;  /* the scheduler's count of thread switches at the reading */
    uint32_t now_ms;
};

/* The lock was taken by holder: a burst begins, its time not read yet. */
void burst_clock_begin(struct burst_clock *c, const void *holder);
/* The lock is about to be released: the burst's time is forgotten. */
void burst_clock_end(struct burst_clock *c);

/*
 * The time in milliseconds for caller, with the scheduler at switches: the burst's,
 * if caller holds the lock and no thread switch happened since it was read (the
 * holder ran throughout); else read_ms() now, kept as the burst's if caller holds it.
 */
uint32_t burst_clock_now_ms(struct burst_clock *c, const void *caller, uint64_t switches,
                            uint32_t (*read_ms)(void));

#endif
