/*
 * lib/ inside the kernel: the same code the host unit tests cover, built with the
 * kernel's flags (no SSE, no red zone) and run under Xen.
 */
#include "lib/vsnprintf.h"
#include "lib/string.h"
#include "lib/symbols.h"
#include "arch/backtrace.h"
#include "kernel/start_kernel.h"
#include "kernel/test.h"

KERNEL_TEST(vsnprintf_formats_in_kernel)
{
    char buf[64];

    TEST_ASSERT_EQ(
        snprintf(buf, sizeof(buf), "%lld|%#x|%-5s|%05d", -__LONG_LONG_MAX__ - 1, 255, "ab", -42),
        20 + 1 + 4 + 1 + 5 + 1 + 5);
    TEST_ASSERT(strcmp(buf, "-9223372036854775808|0xff|ab   |-0042") == 0);
    TEST_ASSERT_EQ(snprintf(buf, 4, "%s", "truncated"), 9);
    TEST_ASSERT(strcmp(buf, "tru") == 0);
    TEST_ASSERT_EQ(snprintf(buf, sizeof(buf), "%*.*s|%hhu|%zx", 4, 2, "xyz", 257, (size_t)4096),
                   4 + 1 + 1 + 1 + 4);
    TEST_ASSERT(strcmp(buf, "  xy|1|1000") == 0);
}

KERNEL_TEST(symbols_name_kernel_functions)
{
    uintptr_t off = 1;

    TEST_ASSERT(strcmp(kernel_symbol_lookup((uintptr_t)start_kernel, &off), "start_kernel") == 0);
    TEST_ASSERT_EQ(off, 0);
    TEST_ASSERT(strcmp(kernel_symbol_lookup((uintptr_t)start_kernel + 3, &off), "start_kernel") ==
                0);
    TEST_ASSERT_EQ(off, 3);
    TEST_ASSERT(kernel_symbol_lookup(0x7fff00000000UL, &off) == NULL);
}
