# Host tests of xen/ (tests/unit.mk builds and runs them, tests/fuzz.mk the fuzz
# target). Only the portable code is tested here: the time arithmetic and the console
# ring; the rest talks to the hypervisor.
UNIT_TESTS += xen/tests/test_time_scale
xen/tests/test_time_scale_srcs := xen/tests/test_time_scale.c

UNIT_TESTS += xen/tests/test_console_ring
xen/tests/test_console_ring_srcs := xen/tests/test_console_ring.c xen/console_ring.c lib/string.c

FUZZ_TARGETS += xen/tests/fuzz_console_ring
xen/tests/fuzz_console_ring_srcs := xen/tests/fuzz_console_ring.c xen/console_ring.c lib/string.c
xen/tests/fuzz_console_ring_corpus := xen/tests/corpus/console_ring
xen/tests/fuzz_console_ring_max_len := 4096
