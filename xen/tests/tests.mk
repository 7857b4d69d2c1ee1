# Host unit tests of xen/ (tests/unit.mk builds and runs them). Only the portable
# arithmetic is tested here; the rest talks to the hypervisor.
UNIT_TESTS += xen/tests/test_time_scale
xen/tests/test_time_scale_srcs := xen/tests/test_time_scale.c

UNIT_TESTS += xen/tests/test_console_ring
xen/tests/test_console_ring_srcs := xen/tests/test_console_ring.c xen/console_ring.c lib/string.c
