# Host unit tests of arch/x86/pv/ (tests/unit.mk builds and runs them): the check of
# the layout Xen hands a PV guest at start of day, which needs no hypervisor.
UNIT_TESTS += arch/x86/pv/tests/test_boot_layout
arch/x86/pv/tests/test_boot_layout_srcs := arch/x86/pv/tests/test_boot_layout.c arch/x86/pv/boot_layout.c
