# Host tests of drivers/netfront/ (tests/unit.mk and tests/fuzz.mk build and run them):
# the rings' response paths against a backend played by the test, with crafted rings,
# as unit tests and as a fuzz target.
UNIT_TESTS += drivers/netfront/tests/test_net_ring
drivers/netfront/tests/test_net_ring_srcs := drivers/netfront/tests/test_net_ring.c \
	drivers/netfront/net_ring.c lib/vsnprintf.c lib/string.c lib/errno.c

FUZZ_TARGETS += drivers/netfront/tests/fuzz_net_ring
drivers/netfront/tests/fuzz_net_ring_srcs := drivers/netfront/tests/fuzz_net_ring.c \
	drivers/netfront/net_ring.c lib/vsnprintf.c lib/string.c lib/errno.c
drivers/netfront/tests/fuzz_net_ring_corpus := drivers/netfront/tests/corpus/net_ring
# A few hundred moves of either side.
drivers/netfront/tests/fuzz_net_ring_max_len := 2048
