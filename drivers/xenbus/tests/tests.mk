# Host tests of drivers/xenbus/ (tests/unit.mk and tests/fuzz.mk build and run them):
# the xenstore wire format, which parses what xenstored sends, and the ring transport
# against a daemon played by the test, as unit tests and as fuzz targets.
UNIT_TESTS += drivers/xenbus/tests/test_xs_wire drivers/xenbus/tests/test_xs_comms
drivers/xenbus/tests/test_xs_wire_srcs := drivers/xenbus/tests/test_xs_wire.c \
	drivers/xenbus/xs_wire.c lib/string.c lib/errno.c
drivers/xenbus/tests/test_xs_comms_srcs := drivers/xenbus/tests/test_xs_comms.c \
	drivers/xenbus/tests/host_heap.c drivers/xenbus/xs_comms.c drivers/xenbus/xs_wire.c lib/printk.c lib/vsnprintf.c \
	lib/string.c lib/errno.c

FUZZ_TARGETS += drivers/xenbus/tests/fuzz_xs_wire
drivers/xenbus/tests/fuzz_xs_wire_srcs := drivers/xenbus/tests/fuzz_xs_wire.c \
	drivers/xenbus/xs_wire.c lib/string.c lib/errno.c
drivers/xenbus/tests/fuzz_xs_wire_corpus := drivers/xenbus/tests/corpus/xs_wire
# Room for two messages of XENSTORE_PAYLOAD_MAX and then some.
drivers/xenbus/tests/fuzz_xs_wire_max_len := 9000

FUZZ_TARGETS += drivers/xenbus/tests/fuzz_xs_comms
drivers/xenbus/tests/fuzz_xs_comms_srcs := drivers/xenbus/tests/fuzz_xs_comms.c \
	drivers/xenbus/tests/host_heap.c drivers/xenbus/xs_comms.c drivers/xenbus/xs_wire.c lib/printk.c lib/vsnprintf.c \
	lib/string.c lib/errno.c
drivers/xenbus/tests/fuzz_xs_comms_corpus := drivers/xenbus/tests/corpus/xs_comms
# Enough moves of the daemon for a few dozen requests.
drivers/xenbus/tests/fuzz_xs_comms_max_len := 4096
