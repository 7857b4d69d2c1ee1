# Host unit tests of arch/x86/ (tests/unit.mk builds and runs them): only the tables
# that need no CPU or hypervisor.
UNIT_TESTS += arch/x86/tests/test_trap_names
arch/x86/tests/test_trap_names_srcs := arch/x86/tests/test_trap_names.c arch/x86/trap_names.c
