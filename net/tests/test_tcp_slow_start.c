/*
 * Host tests for net/tcp_slow_start.h: in slow start an ACK earns the congestion
 * window every byte it acknowledges, lwIP's own increase included, never past the
 * slow-start threshold, and nothing more after a retransmission timeout.
 */
#include "net/tcp_slow_start.h"

#include "lib/tests/unit.h"

#define MSS 1460

/* The window after an ACK of acked bytes: the hook's extra, then lwIP's increase
 * (tcp_in.c:tcp_receive, slow start only: at most two segments, one after a timeout). */
static uint32_t window_after(uint32_t cwnd, uint32_t ssthresh, uint32_t acked, bool after_timeout)
{
    cwnd += tcp_slow_start_extra(acked, MSS, cwnd, ssthresh, after_timeout);
    if (cwnd < ssthresh) {
        uint32_t limit = (after_timeout ? 1 : 2) * MSS;
        cwnd += acked < limit ? acked : limit;
    }
    return cwnd;
}

UNIT_TEST(a_small_ack_earns_what_lwip_gives)
{
    CHECK(tcp_slow_start_extra(MSS, MSS, 4 * MSS, 100 * MSS, false) == 0);
    CHECK(tcp_slow_start_extra(2 * MSS, MSS, 4 * MSS, 100 * MSS, false) == 0);
    CHECK(window_after(4 * MSS, 100 * MSS, 2 * MSS, false) == 6 * MSS);
}

UNIT_TEST(a_large_ack_earns_every_byte_acknowledged)
{
    /* One ACK for a merged segment of 44 MSS. */
    CHECK(tcp_slow_start_extra(44 * MSS, MSS, 4 * MSS, 100 * MSS, false) == 42 * MSS);
    CHECK(window_after(4 * MSS, 100 * MSS, 44 * MSS, false) == 48 * MSS);
    /* An odd number of bytes, as a FIN or a short last segment gives. */
    CHECK(window_after(4 * MSS, 100 * MSS, 10 * MSS + 7, false) == 14 * MSS + 7);
}

UNIT_TEST(the_window_doubles_each_round_trip)
{
    uint32_t cwnd = 4 * MSS;

    /* A round trip: the whole window is sent as one merged segment, acknowledged once. */
    for (int rtt = 0; rtt < 3; rtt++)
        cwnd = window_after(cwnd, 1000 * MSS, cwnd, false);
    CHECK(cwnd == 32 * MSS);
}

UNIT_TEST(the_window_stops_at_the_threshold)
{
    uint32_t ssthresh = 90 * MSS;

    CHECK(window_after(60 * MSS, ssthresh, 60 * MSS, false) == ssthresh);
    CHECK(window_after(89 * MSS, ssthresh, 44 * MSS, false) == 91 * MSS); /* lwIP's own */
    CHECK(tcp_slow_start_extra(44 * MSS, MSS, 89 * MSS, ssthresh, false) == 0);
    CHECK(tcp_slow_start_extra(44 * MSS, MSS, ssthresh, ssthresh, false) == 0);
    CHECK(tcp_slow_start_extra(44 * MSS, MSS, ssthresh + 1, ssthresh, false) == 0);
}

UNIT_TEST(after_a_timeout_only_lwips_increase)
{
    CHECK(tcp_slow_start_extra(44 * MSS, MSS, MSS, 45 * MSS, true) == 0);
    CHECK(window_after(MSS, 45 * MSS, 44 * MSS, true) == 2 * MSS);
}

UNIT_TEST(the_largest_numbers_do_not_wrap)
{
    CHECK(tcp_slow_start_extra(UINT32_MAX, MSS, 0, UINT32_MAX, false) == UINT32_MAX - 2 * MSS);
    CHECK(tcp_slow_start_extra(UINT32_MAX / 2, MSS, UINT32_MAX - 3 * MSS, UINT32_MAX, false) ==
          MSS);
}

static const struct unit_test tests[] = {
    UNIT_ENTRY(a_small_ack_earns_what_lwip_gives),
    UNIT_ENTRY(a_large_ack_earns_every_byte_acknowledged),
    UNIT_ENTRY(the_window_doubles_each_round_trip),
    UNIT_ENTRY(the_window_stops_at_the_threshold),
    UNIT_ENTRY(after_a_timeout_only_lwips_increase),
    UNIT_ENTRY(the_largest_numbers_do_not_wrap),
};

int main(void)
{
    return unit_main(tests, UNIT_COUNT(tests));
}
