# Host unit tests: the portable code compiled for Linux, under AddressSanitizer and
# UndefinedBehaviorSanitizer. Each folder's tests.mk lists its test programs and the
# sources each one links:
#
#   UNIT_TESTS += lib/tests/test_string
#   lib/tests/test_string_srcs := lib/tests/test_string.c lib/string.c lib/errno.c
#
# `make unit-test` builds every program into $(O)/host/ and runs them all, then fails
# if any failed. Each prints one line per test and its own "N passed, N failed".
#
# The code under test gets `-include lib/tests/host_names.h`, which renames its
# libc-named functions (memcpy -> lib_memcpy) so that it links next to glibc. Files
# in a tests/ folder do not: each includes host_names.h around the project headers
# itself, so it can call ours and glibc's side by side.

HOST_CC ?= gcc
HOST_DIR := $(O)/host
HOST_SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all
# Xen's headers (for struct start_info) want <stdint.h> first and an interface version.
HOST_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror $(HOST_SANITIZE) \
	$(ARCH_INCLUDES) -iquote $(ROOT) \
	-include stdint.h -D__XEN_INTERFACE_VERSION__=$(XEN_INTERFACE_VERSION) -MMD -MP
HOST_RENAMED_CFLAGS := $(HOST_CFLAGS) -include $(ROOT)/lib/tests/host_names.h

UNIT_TESTS :=
FUZZ_TARGETS :=
include $(ROOT)/lib/tests/tests.mk
include $(ROOT)/arch/x86/tests/tests.mk
include $(ROOT)/arch/x86/pv/tests/tests.mk
include $(ROOT)/mm/tests/tests.mk
include $(ROOT)/xen/tests/tests.mk
include $(ROOT)/drivers/xenbus/tests/tests.mk
include $(ROOT)/drivers/blkfront/tests/tests.mk
include $(ROOT)/drivers/netfront/tests/tests.mk
include $(ROOT)/net/tests/tests.mk
include $(ROOT)/apps/httpd/tests/tests.mk

unit_bins := $(addprefix $(HOST_DIR)/,$(UNIT_TESTS))
unit_objs := $(patsubst %.c,$(HOST_DIR)/%.o,$(sort $(foreach t,$(UNIT_TESTS),$($(t)_srcs))))

$(unit_objs): $(HOST_DIR)/%.o: $(ROOT)/%.c
	@mkdir -p $(@D)
	@echo "  HOSTCC  $*.c"
	@$(HOST_CC) $(if $(findstring /tests/,/$*),$(HOST_CFLAGS),$(HOST_RENAMED_CFLAGS)) -c $< -o $@

$(foreach t,$(UNIT_TESTS),$(eval $(HOST_DIR)/$(t): $(patsubst %.c,$(HOST_DIR)/%.o,$($(t)_srcs))))

$(unit_bins):
	@$(HOST_CC) $(HOST_SANITIZE) $^ -o $@

# Run every program even after a failure, then fail if any did.
.PHONY: unit-test
unit-test: $(unit_bins)
	@status=0; \
	for t in $^; do \
		echo "== $${t#$(HOST_DIR)/}"; \
		$$t || status=1; \
	done; \
	exit $$status

-include $(unit_objs:.o=.d)
include $(ROOT)/tests/fuzz.mk
