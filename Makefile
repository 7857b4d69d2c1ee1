# Mini-OS: a small kernel for Xen guests.
#
#   make            build build/hello.elf and build/tests.elf
#   make run        set up what is missing, boot hello as a domU under Xen and xl in QEMU
#   make run-dom0   the same with hello as Xen's only domain (no Linux, no xl)
#   make test       set up what is missing, run every test tier
#   make bench      print image sizes, boot times and micro-benchmark figures
#   make format     apply .clang-format to every C file
#   make O=dir      build somewhere other than build/

ROOT := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
O ?= build
override O := $(abspath $(O))

CC ?= gcc
ifeq ($(origin CC),default)
CC := gcc
endif
LD := ld
NM := nm
XEN_HEADERS ?= /usr/include/xen

# The architecture, and the kind of Xen guest on it, that the kernel is built for.
# Code above arch/ includes the architecture's interface as "arch/NAME.h": first the
# guest kind's own headers, then those the architecture shares between its kinds.
ARCH ?= x86
XEN_GUEST ?= pv
ARCH_INCLUDES := -iquote $(ROOT)/arch/$(ARCH)/$(XEN_GUEST)/include \
	-iquote $(ROOT)/arch/$(ARCH)/include

# The Xen interface this kernel is written against (xen/xen-compat.h).
XEN_INTERFACE_VERSION := 0x00040e00

# Freestanding: gcc's own stdint/stddef/stdarg only, never the host's libc headers.
# Xen's headers are reached through $(O)/include/xen, a link to the installed ones.
# No red zone (Xen's exception frames land on the kernel stack) and no SSE/x87 code
# (the kernel never saves FPU state). Frame pointers feed the fault report backtrace.
# Stack-clash protection touches every page of a large stack frame in turn, so that
# an overflow always lands on the guard page below a thread's stack, never beyond it.
KERNEL_COMMON := -O2 -g -pipe \
	-ffreestanding -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
	-I$(O)/include $(ARCH_INCLUDES) -iquote $(ROOT) \
	-D__XEN_INTERFACE_VERSION__=$(XEN_INTERFACE_VERSION) \
	-mno-red-zone -mgeneral-regs-only -mno-sse -mno-mmx -mno-sse2 -mno-avx \
	-fno-pic -fno-pie -fno-stack-protector -fstack-clash-protection -fno-common -fno-builtin \
	-fno-omit-frame-pointer -mno-omit-leaf-frame-pointer -fno-optimize-sibling-calls \
	-fno-asynchronous-unwind-tables -fcf-protection=none \
	-fmacro-prefix-map=$(ROOT)/= -Wall -Wextra -Werror -MMD -MP
# Xen's public headers expect the standard integer types to be declared before them
# (xen/io/ring.h says so), so every C file gets <stdint.h> first.
KERNEL_CFLAGS := -std=gnu11 $(KERNEL_COMMON) -include stdint.h \
	-Wstrict-prototypes -Wmissing-prototypes
KERNEL_ASFLAGS := -D__ASSEMBLY__ $(KERNEL_COMMON)
KERNEL_LDFLAGS := -nostdlib -static -z max-page-size=4096 -z noexecstack \
	--no-warn-rwx-segments -T $(ROOT)/arch/x86/kernel.lds

# The kernel proper, bottom layer first.
CORE_OBJS := \
	lib/string.o lib/vsnprintf.o lib/errno.o lib/cmdline.o lib/printk.o \
	lib/panic.o lib/symbols.o lib/date.o lib/escape.o \
	arch/x86/boot.o arch/x86/elfnotes.o arch/x86/hypercall_page.o \
	arch/x86/trap_entry.o arch/x86/traps.o arch/x86/trap_names.o arch/x86/nmi.o arch/x86/fault_report.o \
	arch/x86/backtrace.o arch/x86/pv/setup.o arch/x86/shutdown.o arch/x86/probe.o \
	arch/x86/switch.o arch/x86/context.o arch/x86/pv/pagetable.o arch/x86/pv/direct_map.o \
	mm/layout.o mm/buddy.o mm/page_alloc.o mm/heap.o \
	mm/vmap.o mm/vmap_space.o mm/init.o \
	xen/xencons.o xen/console_ring.o xen/time.o xen/events.o xen/evtchn_2l.o xen/evtchn_fifo.o \
	xen/gnttab.o \
	kernel/start_kernel.o kernel/cmdline.o kernel/shutdown.o kernel/sched.o kernel/thread.o \
	kernel/timer.o kernel/wait.o kernel/semaphore.o kernel/mutex.o kernel/initcall.o \
	drivers/xenbus/xs_wire.o drivers/xenbus/xs_comms.o drivers/xenbus/xenstore.o drivers/console/console.o \
	drivers/xenbus/xenbus.o drivers/xenbus/control.o

# Each application is a folder under apps/ that defines app_main().
APP_OBJS_hello := apps/hello/main.o
# The in-kernel test runner is an application too; its tests live in tests/guest/.
APP_OBJS_tests := kernel/test.o tests/guest/main.o tests/guest/test_start_of_day.o tests/guest/test_lib.o \
	tests/guest/test_cmdline.o tests/guest/test_traps.o tests/guest/test_selftest.o \
	tests/guest/test_mm.o tests/guest/bench_mm.o tests/guest/test_events.o tests/guest/test_event_storm.o tests/guest/test_time.o \
	tests/guest/test_threads.o tests/guest/bench_sched.o tests/guest/test_grant_table.o tests/guest/test_xenstore.o \
	tests/guest/test_console.o tests/guest/test_xenbus.o tests/guest/test_control.o \
	tests/guest/bench.o tests/guest/bench_xenstore.o

IMAGES := hello tests

.PHONY: all clean FORCE run run-dom0 test bench format format-check unit-test tour-check dom0-test setup
all: $(foreach i,$(IMAGES),$(O)/$(i).elf)

$(O)/include/xen:
	@test -f $(XEN_HEADERS)/xen.h || { echo "Xen public headers not found in $(XEN_HEADERS): run tools/setup (it installs libxen-dev)"; exit 1; }
	@mkdir -p $(O)/include
	ln -sfn $(XEN_HEADERS) $@

# Rebuild everything when the flags change: objects depend on this file, which is
# rewritten only when its contents would differ.
$(O)/kernel.flags: FORCE
	@mkdir -p $(O)
	@echo '$(KERNEL_CFLAGS) $(KERNEL_ASFLAGS) $(KERNEL_LDFLAGS)' | cmp -s - $@ || \
		echo '$(KERNEL_CFLAGS) $(KERNEL_ASFLAGS) $(KERNEL_LDFLAGS)' > $@
FORCE:

$(O)/%.o: $(ROOT)/%.c $(O)/kernel.flags | $(O)/include/xen
	@mkdir -p $(dir $@)
	@echo "  CC      $*.c"
	@$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(O)/%.o: $(ROOT)/%.S $(O)/kernel.flags | $(O)/include/xen
	@mkdir -p $(dir $@)
	@echo "  AS      $*.S"
	@$(CC) $(KERNEL_ASFLAGS) -c $< -o $@

# Two-pass link: the first pass has an empty symbol table; its text symbols become the
# table linked into the second pass. The table sits after all code, so text addresses do
# not move between passes; the check after the second link proves it.
$(O)/symbols-empty.o: $(ROOT)/tools/gen-symbols | $(O)/include/xen
	@mkdir -p $(dir $@)
	$(ROOT)/tools/gen-symbols < /dev/null > $(O)/symbols-empty.S
	$(CC) $(KERNEL_ASFLAGS) -c $(O)/symbols-empty.S -o $@

define image_rules
$(O)/$(1).pass1.elf: $(addprefix $(O)/,$(CORE_OBJS) $(APP_OBJS_$(1))) $(O)/symbols-empty.o $(ROOT)/arch/x86/kernel.lds
	$(LD) $(KERNEL_LDFLAGS) -o $$@ $$(filter %.o,$$^)

$(O)/$(1).symbols.o: $(O)/$(1).pass1.elf $(ROOT)/tools/gen-symbols
	$(NM) -n --defined-only $$< | $(ROOT)/tools/gen-symbols > $(O)/$(1).symbols.S
	$(CC) $(KERNEL_ASFLAGS) -c $(O)/$(1).symbols.S -o $$@

$(O)/$(1).elf: $(addprefix $(O)/,$(CORE_OBJS) $(APP_OBJS_$(1))) $(O)/$(1).symbols.o $(ROOT)/arch/x86/kernel.lds
	$(LD) $(KERNEL_LDFLAGS) -o $$@.tmp $$(filter %.o,$$^)
	$(NM) -n --defined-only $$@.tmp | $(ROOT)/tools/gen-symbols | cmp -s - $(O)/$(1).symbols.S \
		|| { echo "$$@: text symbols moved between link passes"; exit 1; }
	mv $$@.tmp $$@
endef
$(foreach i,$(IMAGES),$(eval $(call image_rules,$(i))))

-include $(shell find $(O) -name '*.d' 2>/dev/null)

# Host unit tests, under AddressSanitizer and UndefinedBehaviorSanitizer.
include $(ROOT)/tests/unit.mk

setup:
	$(ROOT)/tools/setup

# hello as a domU of Xen's real toolstack: Xen and a Linux dom0 in QEMU, xl create.
run: setup all
	$(ROOT)/tools/run-domu $(ROOT)/examples/hello.cfg $(O)/hello.elf

# hello as the only domain, started by Xen itself: the fast path the dom0 tier uses.
run-dom0: setup all
	$(ROOT)/tools/xen-qemu --timeout 60 $(O)/hello.elf

dom0-test: all
	$(ROOT)/tests/dom0/run $(O)

tour-check:
	$(ROOT)/tests/tour-check $(ROOT)

test: setup
	$(ROOT)/tests/run-all $(O)

bench: setup all
	$(ROOT)/tools/bench $(O)

# Every C file of the project: tracked or new, but not ignored (nor anything in build/).
C_SOURCES = $(shell cd $(ROOT) && { git ls-files --cached --others --exclude-standard '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]' -not -path './build/*'; } | sort -u)

format:
	cd $(ROOT) && clang-format -i $(C_SOURCES)

format-check:
	cd $(ROOT) && clang-format --dry-run -Werror $(C_SOURCES)

clean:
	rm -rf $(O)
