# Host tests of drivers/blkfront/ (tests/unit.mk and tests/fuzz.mk build and run them):
# the ring's response path against a backend played by the test, with crafted rings,
# as unit tests and as a fuzz target; and the decoding of virtual-device numbers.
UNIT_TESTS += drivers/blkfront/tests/test_blk_ring
drivers/blkfront/tests/test_blk_ring_srcs := drivers/blkfront/tests/test_blk_ring.c \
	drivers/blkfront/blk_ring.c lib/vsnprintf.c lib/string.c lib/errno.c

FUZZ_TARGETS += drivers/blkfront/tests/fuzz_blk_ring
drivers/blkfront/tests/fuzz_blk_ring_srcs := drivers/blkfront/tests/fuzz_blk_ring.c \
	drivers/blkfront/blk_ring.c lib/vsnprintf.c lib/string.c lib/errno.c
drivers/blkfront/tests/fuzz_blk_ring_corpus := drivers/blkfront/tests/corpus/blk_ring
# A few hundred moves of either side.
drivers/blkfront/tests/fuzz_blk_ring_max_len := 2048

UNIT_TESTS += drivers/blkfront/tests/test_blk_vdev
drivers/blkfront/tests/test_blk_vdev_srcs := drivers/blkfront/tests/test_blk_vdev.c \
	drivers/blkfront/blk_vdev.c lib/vsnprintf.c lib/string.c lib/errno.c
