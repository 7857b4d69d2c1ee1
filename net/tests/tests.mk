# Host tests of net/ (tests/unit.mk builds and runs them): the byte work of the
# frontend's transmit offloads, the slow-start arithmetic and the burst clock,
# without lwIP.
UNIT_TESTS += net/tests/test_tx_offload
net/tests/test_tx_offload_srcs := net/tests/test_tx_offload.c net/tx_offload.c lib/string.c
UNIT_TESTS += net/tests/test_tcp_slow_start
net/tests/test_tcp_slow_start_srcs := net/tests/test_tcp_slow_start.c
UNIT_TESTS += net/tests/test_burst_clock
net/tests/test_burst_clock_srcs := net/tests/test_burst_clock.c net/burst_clock.c
