/*
 * The deadlines of a connection's phases (deadline.h).
 */
#include "apps/httpd/deadline.h"

uint64_t deadline_at(enum deadline_phase phase, const struct deadline_times *t)
{
    uint64_t idle = t->moved_ms + t->timeout_ms, paced;

    switch (phase) {
    case DEADLINE_HEAD:
        return t->began_ms + t->timeout_ms;
    case DEADLINE_BODY:
        /* received is at most SESSION_UPLOAD_MAX (2^40): times 1000, far from overflow. */
        paced = t->began_ms + t->timeout_ms + t->received * 1000 / DEADLINE_BODY_MIN_RATE;
        return paced < idle ? paced : idle;
    case DEADLINE_IDLE:
        break;
    }
    return idle;
}
