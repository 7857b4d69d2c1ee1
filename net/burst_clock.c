/*
 * The time of a burst of lwIP work (burst_clock.h).
 */
#include "net/burst_clock.h"

#include <stddef.h>

void burst_clock_begin(struct burst_clock *c, const void *holder)
{
    c->holder = holder;
    c->read = false;
}

void burst_clock_end(struct burst_clock *c)
{
    c->holder = NULL;
    c->read = false;
}

uint32_t burst_clock_now_ms(struct burst_clock *c, const void *caller, uint64_t switches,
                            uint32_t (*read_ms)(void))
{
    bool holds = c->holder != NULL && c->holder == caller;

    /* A switch since the reading means the holder slept: its burst's time is old. */
    if (holds && c->read && c->switches == switches)
        return c->now_ms;
    uint32_t now_ms = read_ms();
    if (holds) {
        c->read = true;
        c->switches = switches;
        c->now_ms = now_ms;
    }
    return now_ms;
}
