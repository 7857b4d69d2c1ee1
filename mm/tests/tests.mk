# Host unit tests of mm/ (tests/unit.mk builds and runs them). The heap runs on a
# buddy zone over a host arena (host_page_alloc.c) instead of the kernel's memory;
# host_mm.c sets that up, with the checks every such test makes, around the tests.
UNIT_TESTS += mm/tests/test_buddy mm/tests/test_heap
mm/tests/test_buddy_srcs := mm/tests/test_buddy.c mm/buddy.c
mm/tests/test_heap_srcs := mm/tests/test_heap.c mm/tests/host_mm.c mm/tests/host_page_alloc.c mm/heap.c \
	mm/buddy.c lib/printk.c lib/vsnprintf.c lib/string.c
UNIT_TESTS += mm/tests/test_vmap_space
mm/tests/test_vmap_space_srcs := mm/tests/test_vmap_space.c mm/vmap_space.c mm/tests/host_mm.c \
	mm/tests/host_page_alloc.c mm/heap.c mm/buddy.c lib/printk.c lib/vsnprintf.c lib/string.c
