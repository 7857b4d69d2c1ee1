# Fuzz targets: code that parses what another domain writes, run under clang's libFuzzer
# with AddressSanitizer and UndefinedBehaviorSanitizer (tests/unit.mk includes this).
# Each folder's tests.mk lists its targets, each with the sources it links and its
# seed corpus:
#
#   FUZZ_TARGETS += drivers/xenbus/tests/fuzz_xs_wire
#   drivers/xenbus/tests/fuzz_xs_wire_srcs := drivers/xenbus/tests/fuzz_xs_wire.c drivers/xenbus/xs_wire.c lib/string.c
#   drivers/xenbus/tests/fuzz_xs_wire_corpus := drivers/xenbus/tests/corpus/xs_wire
#
# `make fuzz` builds each into $(O)/host/fuzz/ and runs it for FUZZ_TIME seconds (10 by
# default, which is what `make test` spends; `make fuzz FUZZ_TIME=600` searches longer),
# or until FUZZ_RUNS inputs if that is set and comes first, from its seed corpus plus
# what earlier runs found, which libFuzzer keeps in $(O)/host/fuzz/corpus/ (never in
# the source tree). A crash, leak, hang or
# sanitizer report fails it; the log and the input that did it stay in $(O)/host/fuzz/.
# Sources are named and renamed as for the unit tests (host_names.h).

FUZZ_CC ?= clang
FUZZ_DIR := $(HOST_DIR)/fuzz
FUZZ_RUNS ?= -1
FUZZ_TIME ?= 10
FUZZ_CFLAGS := $(HOST_CFLAGS) -fsanitize=fuzzer-no-link
FUZZ_RENAMED_CFLAGS := $(FUZZ_CFLAGS) -include $(ROOT)/lib/tests/host_names.h

fuzz_objs := $(patsubst %.c,$(FUZZ_DIR)/obj/%.o,$(sort $(foreach t,$(FUZZ_TARGETS),$($(t)_srcs))))

$(fuzz_objs): $(FUZZ_DIR)/obj/%.o: $(ROOT)/%.c
	@mkdir -p $(@D)
	@echo "  FUZZCC  $*.c"
	@$(FUZZ_CC) $(if $(findstring /tests/,/$*),$(FUZZ_CFLAGS),$(FUZZ_RENAMED_CFLAGS)) -c $< -o $@

# -seed fixes the order of the search, so a run is repeatable for a given corpus.
define fuzz_rules
$(FUZZ_DIR)/$(notdir $(1)): $(patsubst %.c,$(FUZZ_DIR)/obj/%.o,$($(1)_srcs))
	@$(FUZZ_CC) $(HOST_SANITIZE) -fsanitize=fuzzer $$^ -o $$@

.PHONY: fuzz-$(notdir $(1))
fuzz-$(notdir $(1)): $(FUZZ_DIR)/$(notdir $(1))
	@mkdir -p $(FUZZ_DIR)/corpus/$(notdir $(1))
	@echo "  FUZZ    $(notdir $(1)) ($(FUZZ_TIME) s$(if $(filter-out -1,$(FUZZ_RUNS)), or $(FUZZ_RUNS) runs))"
	@$$< -seed=1 -runs=$(FUZZ_RUNS) -max_total_time=$(FUZZ_TIME) -timeout=10 \
		-max_len=$($(1)_max_len) -artifact_prefix=$(FUZZ_DIR)/$(notdir $(1))- \
		-print_final_stats=1 $(FUZZ_DIR)/corpus/$(notdir $(1)) $(ROOT)/$($(1)_corpus) \
		> $(FUZZ_DIR)/$(notdir $(1)).log 2>&1 || \
		{ cat $(FUZZ_DIR)/$(notdir $(1)).log; echo "$(notdir $(1)) failed"; exit 1; }
	@grep -E '^(Done|#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::peak_rss)' $(FUZZ_DIR)/$(notdir $(1)).log
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_rules,$(t))))

.PHONY: fuzz
fuzz: $(foreach t,$(FUZZ_TARGETS),fuzz-$(notdir $(t)))

-include $(fuzz_objs:.o=.d)
