# Mini-OS: a small kernel for Xen guests.
#
#   make            build build/NAME.elf for each folder apps/NAME, and build/tests.elf
#   make APP=dir    build build/NAME.elf from the application in dir, wherever it is
#   make install    install the kernel library for other makefiles (PREFIX, DESTDIR)
#   make run        set up what is missing, boot hello as a domU under Xen and xl in QEMU
#   make run-dom0   the same with hello as Xen's only domain (no Linux, no xl)
#   make test       set up what is missing, run every test tier
#   make test-slow  the same for the full-rig scenarios that take minutes each
#   make bench      print image sizes, boot times and micro-benchmark figures, beside those
#                   of the image of git revision BASELINE (BASELINE= for this tree's alone),
#                   then block I/O beside a Linux domU's (BENCH_BLOCK=0 skips that part)
#                   and the network beside a Linux domU's (BENCH_NET=0 skips that part)
#   make format     apply .clang-format to every C file
#   make O=dir      build somewhere other than build/
#   make kernel-lib build build/libminios.a (the kernel without an application),
#                   build/libminios-net.a (the TCP/IP stack) and build/libminios-drivers.a
#                   (the stack and drivers an application links if it calls them)

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
# Xen's headers are reached through $(O)/include/xen, a link to the installed ones,
# and lwIP's through $(O)/include/lwip, a link into its cache (see LWIP_DIR); net/
# holds lwIP's configuration and port headers (lwipopts.h, arch/cc.h). lwIP's files
# and headers (lwip/sockets.h among them) include <string.h> and <stdlib.h>: net/libc/
# has those two, which give the kernel's (lib/string.h); there is no other libc header.
# No red zone (Xen's exception frames land on the kernel stack) and no SSE/x87 code
# (the kernel never saves FPU state). Frame pointers feed the fault report backtrace.
# Stack-clash protection touches every page of a large stack frame in turn, so that
# an overflow always lands on the guard page below a thread's stack, never beyond it.
# Each function and variable gets its own section, so that the link (--gc-sections)
# leaves out whatever an image never reaches: hello carries no mutex code, for one.
KERNEL_COMMON := -O2 -g -pipe -ffunction-sections -fdata-sections \
	-ffreestanding -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
	-I$(O)/include $(ARCH_INCLUDES) -iquote $(ROOT) -I$(ROOT)/net -I$(O)/include/lwip \
	-isystem $(ROOT)/net/libc \
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
# Code that runs once at boot, in the background, on a fault, to format text or to
# talk to xenstore (whose every request waits for another domain) is compiled for size
# (-Os): no figure depends on its speed, and every image carries it.
# The rest stays at -O2 (all of it at -Os would make event delivery 15% slower).
SIZE_OPTIMIZED_SRCS := arch/x86/pv/boot_info.c arch/x86/pv/boot_layout.c \
	arch/x86/pv/boot_memory.c arch/x86/pv/direct_map.c arch/x86/pv/setup.c \
	arch/x86/pv/trap_table.c arch/x86/backtrace.c arch/x86/fault_report.c \
	lib/cmdline.c lib/date.c lib/escape.c lib/vsnprintf.c mm/init.c \
	kernel/boot_report.c kernel/cmdline.c kernel/initcall.c kernel/start_kernel.c \
	drivers/console/console.c drivers/xenbus/control.c drivers/xenbus/xenbus.c \
	drivers/xenbus/xenstore.c drivers/xenbus/xs_wire.c drivers/xenbus/xenbus_probe.c
# -n leaves the file's segments unpadded (arch/x86/pv/kernel.lds says why);
# --gc-sections drops the sections nothing reaches (see KERNEL_COMMON).
KERNEL_LDFLAGS := -nostdlib -static -n --gc-sections -z max-page-size=4096 -z noexecstack \
	--no-warn-rwx-segments -T $(ROOT)/arch/$(ARCH)/$(XEN_GUEST)/kernel.lds

# What goes into an image is found, not listed: a file belongs to the kernel because
# it sits in a layer's folder, and to an application because it sits in the
# application's folder, so adding, moving or renaming a file needs no edit here.
# (The host tests' tests.mk files list their sources because each host program links
# a different few; every image links the whole kernel, so there is nothing to choose.)
# Folders named tests/ hold host tests and are never part of an image.
KERNEL_LAYERS := lib arch/$(ARCH) mm xen kernel drivers net
# A folder of arch/$(ARCH) with its own include/arch/ is one way of running on Xen
# (pv/ today, pvh/ later): only the one XEN_GUEST names is built, and its kernel.lds
# lays out the image.
ARCH_GUEST_DIRS := $(patsubst $(ROOT)/%/include/arch/,%,$(wildcard $(ROOT)/arch/$(ARCH)/*/include/arch/))
OTHER_GUEST_DIRS := $(filter-out arch/$(ARCH)/$(XEN_GUEST),$(ARCH_GUEST_DIRS))
# The in-kernel test runner belongs to the tests image, not to the kernel every
# application gets.
TEST_RUNNER := kernel/test.c
KERNEL_LDS := $(filter %.lds,$(KERNEL_LDFLAGS))

# $(call files_under,FOLDER...,NAME...): the files below them whose names match one of
# the patterns, relative to $(ROOT), each folder's in name order (for sources that is
# the link order: the layers bottom first), tests/ folders left out.
files_under = $(foreach d,$(1),$(sort $(shell cd $(ROOT) && find $(d) -name tests -prune \
	-o -type f \( $(foreach n,$(2),-name '$(n)' -o) -false \) -print 2>/dev/null)))
sources_under = $(call files_under,$(1),*.c *.S)
objects_of = $(addsuffix .o,$(basename $(1)))

KERNEL_SRCS := $(filter-out $(TEST_RUNNER) $(addsuffix /%,$(OTHER_GUEST_DIRS)),$(call sources_under,$(KERNEL_LAYERS)))

# Device drivers are linked into an image only if its application calls them: they
# go into an archive that the link searches after the application, so `hello` carries
# no block or network code. Their start-up code (KERNEL_INIT) must sit in a file that
# the driver's interface pulls in. The kernel's own drivers, xenbus (xenstore, the
# control node) and console (input), are always in.
DRIVER_DIRS := $(filter-out drivers/xenbus drivers/console,$(patsubst $(ROOT)/%/,%,$(wildcard \
	$(ROOT)/drivers/*/)))
DRIVER_OBJS := $(call objects_of,$(filter $(addsuffix /%,$(DRIVER_DIRS)),$(KERNEL_SRCS)))
DRIVERS_LIB := $(O)/libminios-drivers.a

# The TCP/IP stack: lwIP as Debian ships it (source package lwip, which tools/setup
# fetches with apt-get source into a cache folder, tools/lwip-cache.sh), unmodified,
# and its port to this kernel in net/. Like a driver, it is linked only into an image
# whose application calls it, from its own archive, searched before the drivers' (it
# calls the network frontend). Of lwIP: the core with IPv4 (DHCP, ARP) and IPv6, TCP,
# UDP, ICMP, Ethernet; the tcpip thread, netconn and sockets (api/); the iperf server.
LWIP_DIR ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/mini-os/lwip/lwip-2.1.3
LWIP_SRCS := $(patsubst $(LWIP_DIR)/src/%,%,$(filter-out %/autoip.c,$(wildcard \
	$(addprefix $(LWIP_DIR)/src/,core/*.c core/ipv4/*.c core/ipv6/*.c api/*.c))) \
	$(LWIP_DIR)/src/netif/ethernet.c $(LWIP_DIR)/src/apps/lwiperf/lwiperf.c)
LWIP_OBJS := $(addprefix lwip/,$(call objects_of,$(LWIP_SRCS)))
NET_OBJS := $(call objects_of,$(filter net/%,$(KERNEL_SRCS))) $(LWIP_OBJS)
NET_LIB := $(O)/libminios-net.a
# lwIP's files build with the kernel's flags and warnings, unchanged.

CORE_OBJS := $(filter-out $(DRIVER_OBJS) $(NET_OBJS),$(call objects_of,$(KERNEL_SRCS)))

# Each application is a folder under apps/ that defines app_main(); its image is the
# kernel and the .c and .S files of that folder.
APPS := $(patsubst $(ROOT)/apps/%/,%,$(wildcard $(ROOT)/apps/*/))
$(foreach a,$(APPS),$(eval IMAGE_OBJS_$(a) := $(addprefix $(O)/,$(CORE_OBJS) \
	$(call objects_of,$(patsubst $(ROOT)/%,%,$(wildcard $(ROOT)/apps/$(a)/*.[cS]))))) \
	$(eval IMAGE_LIBS_$(a) := $(NET_LIB) $(DRIVERS_LIB)))

# The tests image is the kernel, every driver included, with the test runner
# (kernel/test.c, tests/guest/) as its application. Test hooks, code a kernel file keeps between #ifdef KERNEL_TESTS
# to let a test reach a path nothing else can, exist in this image only: it links its
# own copies of those files, compiled with -DKERNEL_TESTS into $(O)/tests-image/, as
# is the runner. Every other image, and the kernel library, has no such code.
TESTS_IMAGE_CFLAGS := -DKERNEL_TESTS
TEST_HOOK_OBJS := $(call objects_of,$(shell cd $(ROOT) && grep -lw KERNEL_TESTS $(KERNEL_SRCS)))
TESTS_OBJS := $(call objects_of,$(TEST_RUNNER) $(call sources_under,tests/guest))
IMAGE_OBJS_tests := $(foreach o,$(CORE_OBJS) $(DRIVER_OBJS),$(if $(filter $(o),$(TEST_HOOK_OBJS)),$(O)/tests-image/$(o),$(O)/$(o))) \
	$(addprefix $(O)/tests-image/,$(TESTS_OBJS))
# The network stack only as far as the tests call it: its interface to the network
# frontend comes in with net/net.c:net_start, which the tests never call.
IMAGE_LIBS_tests := $(NET_LIB)

# An application outside the tree: make APP=/path/to/myapp builds $(O)/myapp.elf from
# the .c and .S files of that folder, compiled into $(O)/outside/myapp/.
ifdef APP
APP_DIR := $(abspath $(APP))
APP_NAME := $(notdir $(APP_DIR))
ifneq ($(filter $(APP_NAME),$(APPS) tests),)
$(error APP=$(APP): there is already an image named $(APP_NAME))
endif
IMAGE_OBJS_$(APP_NAME) := $(addprefix $(O)/,$(CORE_OBJS)) \
	$(patsubst $(APP_DIR)/%,$(O)/outside/$(APP_NAME)/%.o,$(basename $(wildcard $(APP_DIR)/*.[cS])))
IMAGE_LIBS_$(APP_NAME) := $(NET_LIB) $(DRIVERS_LIB)
endif

IMAGES := $(APPS) tests $(APP_NAME)

.PHONY: all clean FORCE run run-dom0 test test-slow bench format format-check unit-test tour-check dom0-test setup \
	kernel-lib install
all: $(foreach i,$(IMAGES),$(O)/$(i).elf)
ifdef APP
.DEFAULT_GOAL := $(O)/$(APP_NAME).elf
endif

$(O)/include/xen:
	@test -f $(XEN_HEADERS)/xen.h || { echo "Xen public headers not found in $(XEN_HEADERS): run tools/setup (it installs libxen-dev)"; exit 1; }
	@mkdir -p $(O)/include
	ln -sfn $(XEN_HEADERS) $@

$(O)/include/lwip:
	@test -f $(LWIP_DIR)/src/include/lwip/init.h || { echo "lwIP not found in $(LWIP_DIR): run tools/setup (it fetches Debian's lwip source)"; exit 1; }
	@mkdir -p $(O)/include
	ln -sfn $(LWIP_DIR)/src/include $@

# Rebuild everything when the flags change: objects depend on this file, which is
# rewritten only when its contents would differ.
ALL_FLAGS = $(KERNEL_CFLAGS) $(KERNEL_ASFLAGS) $(KERNEL_LDFLAGS) $(TESTS_IMAGE_CFLAGS) \
	$(SIZE_OPTIMIZED_SRCS) $(LWIP_DIR)
$(O)/kernel.flags: FORCE
	@mkdir -p $(O)
	@echo '$(ALL_FLAGS)' | cmp -s - $@ || echo '$(ALL_FLAGS)' > $@
FORCE:

# $(call object_rules,OBJECT_DIR,SOURCE_DIR,EXTRA_FLAGS,NOTE): compile SOURCE_DIR/x.c or
# x.S into OBJECT_DIR/x.o.
define object_rules
$(1)/%.o: $(2)/%.c $(O)/kernel.flags | $(O)/include/xen $(O)/include/lwip
	@mkdir -p $$(dir $$@)
	@echo "  CC      $$(patsubst $(ROOT)/%,%,$$<)$(4)"
	@$$(CC) $$(KERNEL_CFLAGS) $$(if $$(filter $$(patsubst $(ROOT)/%,%,$$<),$$(SIZE_OPTIMIZED_SRCS)),-Os) \
		$(3) -c $$< -o $$@

$(1)/%.o: $(2)/%.S $(O)/kernel.flags | $(O)/include/xen $(O)/include/lwip
	@mkdir -p $$(dir $$@)
	@echo "  AS      $$(patsubst $(ROOT)/%,%,$$<)$(4)"
	@$$(CC) $$(KERNEL_ASFLAGS) $(3) -c $$< -o $$@
endef
$(eval $(call object_rules,$(O),$(ROOT),,))
$(eval $(call object_rules,$(O)/tests-image,$(ROOT),$(TESTS_IMAGE_CFLAGS), (tests image)))
ifdef APP
$(eval $(call object_rules,$(O)/outside/$(APP_NAME),$(APP_DIR),,))
endif
$(O)/lwip/%.o: $(LWIP_DIR)/src/%.c $(O)/kernel.flags | $(O)/include/xen $(O)/include/lwip
	@mkdir -p $(dir $@)
	@echo "  CC      lwip/$*.c"
	@$(CC) $(KERNEL_CFLAGS) -c $< -o $@

# Two-pass link: the first pass has an empty symbol table; its text symbols become the
# table linked into the second pass. The table sits after all code, so text addresses do
# not move between passes; the check after the second link proves it.
$(O)/symbols-empty.o: $(ROOT)/tools/gen-symbols | $(O)/include/xen
	@mkdir -p $(dir $@)
	$(ROOT)/tools/gen-symbols < /dev/null > $(O)/symbols-empty.S
	$(CC) $(KERNEL_ASFLAGS) -c $(O)/symbols-empty.S -o $@

define image_rules
$(O)/$(1).pass1.elf: $(IMAGE_OBJS_$(1)) $(IMAGE_LIBS_$(1)) $(O)/symbols-empty.o $(KERNEL_LDS)
	$(LD) $(KERNEL_LDFLAGS) -o $$@ $$(filter %.o,$$^) $$(filter %.a,$$^)

$(O)/$(1).symbols.o: $(O)/$(1).pass1.elf $(ROOT)/tools/gen-symbols
	$(NM) -n --defined-only $$< | $(ROOT)/tools/gen-symbols > $(O)/$(1).symbols.S
	$(CC) $(KERNEL_ASFLAGS) -c $(O)/$(1).symbols.S -o $$@

$(O)/$(1).elf: $(IMAGE_OBJS_$(1)) $(IMAGE_LIBS_$(1)) $(O)/$(1).symbols.o $(KERNEL_LDS)
	$(LD) $(KERNEL_LDFLAGS) -o $$@.tmp $$(filter %.o,$$^) $$(filter %.a,$$^)
	$(NM) -n --defined-only $$@.tmp | $(ROOT)/tools/gen-symbols | cmp -s - $(O)/$(1).symbols.S \
		|| { echo "$$@: text symbols moved between link passes"; exit 1; }
	mv $$@.tmp $$@
endef
$(foreach i,$(IMAGES),$(eval $(call image_rules,$(i))))

# The kernel library: the kernel without any application (nor test hooks), for a
# project that links its own application with its own makefile; an image takes all
# of it, and of the drivers' library only what its application calls. Two members
# share a name (lib/cmdline.o, kernel/cmdline.o), so they are appended (q), never
# replaced.
$(O)/libminios.a: $(addprefix $(O)/,$(CORE_OBJS))
	@rm -f $@
	$(AR) qcsD $@ $^

$(DRIVERS_LIB): $(addprefix $(O)/,$(DRIVER_OBJS))
	@mkdir -p $(dir $@)
	@rm -f $@
	$(AR) qcsD $@ $^

$(NET_LIB): $(addprefix $(O)/,$(NET_OBJS))
	@mkdir -p $(dir $@)
	@rm -f $@
	$(AR) qcsD $@ $^

kernel-lib: $(O)/libminios.a $(NET_LIB) $(DRIVERS_LIB)

# make install [DESTDIR=staging] [PREFIX=/usr/local] puts the library, the link
# script, symbols-empty.o and gen-symbols (for the two-pass link) and minios.mk in
# PREFIX/lib/minios/, and the kernel's headers, by their paths in this tree, in
# PREFIX/include/minios/. Xen's headers are reached through a link, as here.
PREFIX ?= /usr/local
INSTALL_LIBDIR = $(DESTDIR)$(PREFIX)/lib/minios
INSTALL_INCDIR = $(DESTDIR)$(PREFIX)/include/minios
KERNEL_HEADERS = $(filter-out $(TEST_RUNNER:.c=.h),$(call files_under,$(KERNEL_LAYERS),*.h))

install: $(O)/libminios.a $(NET_LIB) $(DRIVERS_LIB) $(O)/minios.mk $(O)/symbols-empty.o
	install -d $(INSTALL_LIBDIR)/include $(INSTALL_INCDIR)
	install -m 644 $(O)/libminios.a $(NET_LIB) $(DRIVERS_LIB) $(O)/minios.mk $(O)/symbols-empty.o $(KERNEL_LDS) $(INSTALL_LIBDIR)/
	install -m 755 $(ROOT)/tools/gen-symbols $(INSTALL_LIBDIR)/
	ln -sfn $(XEN_HEADERS) $(INSTALL_LIBDIR)/include/xen
	ln -sfn $(LWIP_DIR)/src/include $(INSTALL_LIBDIR)/include/lwip
	cd $(ROOT) && for h in $(KERNEL_HEADERS); do install -D -m 644 $$h $(INSTALL_INCDIR)/$$h; done

# $(call installed_flags,FLAGS): the kernel's flags with the installed tree's paths,
# which minios.mk finds from where it is, so that a staged copy works too.
installed_flags = $(subst $(ROOT),$$(MINIOS_INCDIR),$(subst $(O)/include,$$(MINIOS_LIBDIR)/include,$(subst \
	$(KERNEL_LDS),$$(MINIOS_LIBDIR)/$(notdir $(KERNEL_LDS)),$(filter-out -MMD -MP,$(1)))))

define MINIOS_MK
# The Mini-OS kernel library, as its `make install` left it. A makefile that builds
# an application against it includes this file; Mini-OS's README.md gives the link.
MINIOS_LIBDIR := $$(abspath $$(dir $$(lastword $$(MAKEFILE_LIST))))
MINIOS_INCDIR := $$(abspath $$(MINIOS_LIBDIR)/../../include/minios)
MINIOS_CC := $(CC)
MINIOS_LD := $(LD)
MINIOS_NM := $(NM)
MINIOS_CFLAGS := $(call installed_flags,$(KERNEL_CFLAGS))
MINIOS_ASFLAGS := $(call installed_flags,$(KERNEL_ASFLAGS))
MINIOS_LDFLAGS := $(call installed_flags,$(KERNEL_LDFLAGS))
MINIOS_LIBS := --whole-archive $$(MINIOS_LIBDIR)/libminios.a --no-whole-archive \
	$$(MINIOS_LIBDIR)/libminios-net.a $$(MINIOS_LIBDIR)/libminios-drivers.a
MINIOS_GEN_SYMBOLS := $$(MINIOS_LIBDIR)/gen-symbols
MINIOS_SYMBOLS_EMPTY := $$(MINIOS_LIBDIR)/symbols-empty.o
endef

$(O)/minios.mk: $(O)/kernel.flags
	$(file >$@,$(MINIOS_MK))

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

# The full-rig scenarios that take minutes each (tests/stack/run --slow); CI runs
# them after make test.
test-slow: setup
	$(MAKE) -s -C $(ROOT) O=$(O) all
	$(ROOT)/tests/stack/run --slow $(O)

# The last commit before the boot timeline and the quiet start of day.
BASELINE ?= 39920ad
bench: setup all
	$(ROOT)/tools/bench $(if $(BASELINE),--baseline $(BASELINE)) $(O)

# Every C file of the project: tracked or new, but not ignored (nor anything in build/).
C_SOURCES = $(shell cd $(ROOT) && { git ls-files --cached --others --exclude-standard '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]' -not -path './build/*'; } | sort -u)

format:
	cd $(ROOT) && clang-format -i $(C_SOURCES)

format-check:
	cd $(ROOT) && clang-format --dry-run -Werror $(C_SOURCES)

clean:
	rm -rf $(O)
