# Host unit tests of lib/ (tests/unit.mk builds and runs them).
UNIT_TESTS += lib/tests/test_vsnprintf lib/tests/test_string lib/tests/test_cmdline \
	lib/tests/test_symbols lib/tests/test_printk lib/tests/test_list lib/tests/test_date \
	lib/tests/test_escape lib/tests/test_sha256
lib/tests/test_vsnprintf_srcs := lib/tests/test_vsnprintf.c lib/vsnprintf.c lib/string.c
lib/tests/test_string_srcs := lib/tests/test_string.c lib/string.c lib/errno.c
lib/tests/test_cmdline_srcs := lib/tests/test_cmdline.c lib/cmdline.c lib/string.c
lib/tests/test_symbols_srcs := lib/tests/test_symbols.c lib/symbols.c
lib/tests/test_printk_srcs := lib/tests/test_printk.c lib/printk.c lib/vsnprintf.c lib/string.c
lib/tests/test_list_srcs := lib/tests/test_list.c
lib/tests/test_date_srcs := lib/tests/test_date.c lib/date.c
lib/tests/test_escape_srcs := lib/tests/test_escape.c lib/escape.c
lib/tests/test_sha256_srcs := lib/tests/test_sha256.c lib/sha256.c lib/string.c
