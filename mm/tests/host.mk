# Host unit tests for mm/: the buddy allocator and the heap. `make mm-unit-test`
# builds each test program into $(O)/host/mm/ from its test file and the
# sources it covers, with ASan and UBSan, runs them all, and fails if any
# test fails. `make unit-test` runs them too, after lib's.
#
# The main Makefile includes this file after lib/tests/host.mk, whose
# compiler, flags and output folder (HOST_CC, HOST_CFLAGS, HOST_LIB_CFLAGS,
# HOST_SANITIZE, HOST_DIR) and lib/ objects it reuses.
# Alone: make -f mm/tests/host.mk ROOT=$PWD O=/tmp/build mm-unit-test
#
# mm/ and lib/ sources get `-include host_names.h`, as lib/tests/host.mk
# explains; test files and the host page allocator do not. Variables here
# are prefixed mm_host_ so they clash with neither lib's nor the kernel's.

# Including this file must not change the includer's default goal; alone,
# the default goal is mm-unit-test.
ifeq ($(words $(MAKEFILE_LIST)),1)
mm_host_default_goal := mm-unit-test
else
mm_host_default_goal := $(.DEFAULT_GOAL)
endif

O ?= build
ROOT ?= $(CURDIR)

# Alone, lib's fragment is not loaded yet: it defines the host compiler and flags.
ifndef HOST_LIB_CFLAGS
include $(ROOT)/lib/tests/host.mk
endif

# Each test program and the sources it links, listed explicitly.
mm_host_test_buddy_srcs := mm/tests/test_buddy.c mm/buddy.c
mm_host_test_heap_srcs := mm/tests/test_heap.c mm/tests/host_page_alloc.c mm/heap.c \
	mm/buddy.c lib/printk.c lib/vsnprintf.c lib/string.c

mm_host_test_layout_srcs := mm/tests/test_layout.c mm/layout.c

MM_HOST_TESTS := test_buddy test_heap test_layout

# mm/layout.c reads struct start_info: Xen's headers want <stdint.h> first and the
# interface version the kernel is built for.
MM_HOST_XEN_CFLAGS := -include stdint.h -D__XEN_INTERFACE_VERSION__=$(XEN_INTERFACE_VERSION)
$(HOST_DIR)/mm/layout.o $(HOST_DIR)/mm/tests/test_layout.o: HOST_CFLAGS += $(MM_HOST_XEN_CFLAGS)
$(HOST_DIR)/mm/layout.o: HOST_LIB_CFLAGS += $(MM_HOST_XEN_CFLAGS)

mm_host_srcs := $(sort $(foreach t,$(MM_HOST_TESTS),$(mm_host_$(t)_srcs)))
mm_host_test_objs := $(patsubst %.c,$(HOST_DIR)/%.o,$(filter mm/tests/%,$(mm_host_srcs)))
# mm/ sources, and lib/ sources that lib's fragment has no rule for.
mm_host_src_objs := $(filter-out $(host_lib_objs) $(mm_host_test_objs), \
	$(patsubst %.c,$(HOST_DIR)/%.o,$(mm_host_srcs)))
mm_host_bins := $(addprefix $(HOST_DIR)/mm/,$(MM_HOST_TESTS))

$(mm_host_src_objs): $(HOST_DIR)/%.o: $(ROOT)/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LIB_CFLAGS) -c $< -o $@

$(mm_host_test_objs): $(HOST_DIR)/%.o: $(ROOT)/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -c $< -o $@

$(foreach t,$(MM_HOST_TESTS),$(eval $(HOST_DIR)/mm/$(t): $(patsubst %.c,$(HOST_DIR)/%.o,$(mm_host_$(t)_srcs))))

$(mm_host_bins):
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_SANITIZE) $^ -o $@

# Run every test even after a failure, then fail if any did.
.PHONY: mm-unit-test
mm-unit-test: $(mm_host_bins)
	@status=0; \
	for t in $^; do \
		echo "== $$t"; \
		$$t || status=1; \
	done; \
	exit $$status

# lib's unit-test recipe runs each of its prerequisites as a test program (its
# `for t in $^` loop), so adding ours makes it run them, in the same loop and
# with the same run-all-then-fail rule. Adding mm-unit-test itself would make
# that loop try to run a program called mm-unit-test.
unit-test: $(mm_host_bins)

-include $(mm_host_test_objs:.o=.d) $(mm_host_src_objs:.o=.d)

.DEFAULT_GOAL := $(mm_host_default_goal)
