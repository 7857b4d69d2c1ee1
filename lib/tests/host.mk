# Host unit tests for lib/. `make unit-test` builds each test program into
# $(O)/host/ from its test file and the lib/ sources it covers, compiled for
# Linux with ASan and UBSan, runs them all, and fails if any test fails.
#
# The main Makefile includes this file and sets O and ROOT (the repo root).
# Alone: make -f lib/tests/host.mk ROOT=$PWD O=/tmp/build unit-test
#
# lib/ sources get `-include host_names.h`, which renames their libc-named
# functions (memcpy -> lib_memcpy) so they link next to glibc. Test files do
# not: each includes host_names.h itself around the lib/ headers, so it can
# call ours and glibc's side by side (see host_names.h).
#
# Variables and rules here are prefixed HOST_/host_ so they cannot clash with
# the kernel's. Nothing is written outside $(O).

# Including this file must not change the includer's default goal; alone,
# the default goal is unit-test.
ifeq ($(words $(MAKEFILE_LIST)),1)
host_default_goal := unit-test
else
host_default_goal := $(.DEFAULT_GOAL)
endif

O ?= build
ROOT ?= $(CURDIR)

HOST_CC ?= gcc
HOST_DIR := $(O)/host
HOST_SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all
HOST_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror $(HOST_SANITIZE) -iquote $(ROOT) -MMD -MP
HOST_LIB_CFLAGS := $(HOST_CFLAGS) -include $(ROOT)/lib/tests/host_names.h

# Each test program and the sources it links, listed explicitly.
host_test_vsnprintf_srcs := lib/tests/test_vsnprintf.c lib/vsnprintf.c lib/string.c
host_test_string_srcs := lib/tests/test_string.c lib/string.c lib/errno.c
host_test_cmdline_srcs := lib/tests/test_cmdline.c lib/cmdline.c lib/string.c
host_test_symbols_srcs := lib/tests/test_symbols.c lib/symbols.c
host_test_printk_srcs := lib/tests/test_printk.c lib/printk.c lib/vsnprintf.c lib/string.c

HOST_TESTS := test_vsnprintf test_string test_cmdline test_symbols test_printk

host_srcs := $(sort $(foreach t,$(HOST_TESTS),$(host_$(t)_srcs)))
host_test_objs := $(patsubst %.c,$(HOST_DIR)/%.o,$(filter lib/tests/%,$(host_srcs)))
host_lib_objs := $(patsubst %.c,$(HOST_DIR)/%.o,$(filter-out lib/tests/%,$(host_srcs)))
host_bins := $(addprefix $(HOST_DIR)/,$(HOST_TESTS))

$(host_lib_objs): $(HOST_DIR)/%.o: $(ROOT)/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LIB_CFLAGS) -c $< -o $@

$(host_test_objs): $(HOST_DIR)/%.o: $(ROOT)/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -c $< -o $@

$(foreach t,$(HOST_TESTS),$(eval $(HOST_DIR)/$(t): $(patsubst %.c,$(HOST_DIR)/%.o,$(host_$(t)_srcs))))

$(host_bins):
	$(HOST_CC) $(HOST_SANITIZE) $^ -o $@

# Run every test even after a failure, then fail if any did.
.PHONY: unit-test
unit-test: $(host_bins)
	@status=0; \
	for t in $^; do \
		echo "== $$t"; \
		$$t || status=1; \
	done; \
	exit $$status

-include $(host_test_objs:.o=.d) $(host_lib_objs:.o=.d)

.DEFAULT_GOAL := $(host_default_goal)
