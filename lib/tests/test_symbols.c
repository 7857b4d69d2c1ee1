/*
 * Host tests for lib/symbols.c: lookups below, at, between and past the symbols.
 */
#include "lib/symbols.h"
#include "lib/tests/unit.h"

static const uint32_t addrs[] = {0x1000, 0x1000, 0x1100, 0x2000};
/* The same address twice: the later entry wins. */
static const char names[] = "first\0alias\0second\0last";
static const uint16_t name_offsets[] = {0, 6, 12, 19};
static const struct symbol_table table = {UNIT_COUNT(addrs), addrs, name_offsets, names};
static const struct symbol_table empty = {0, addrs, name_offsets, names};

UNIT_TEST(test_below_first_is_unknown)
{
    uint64_t off = 7;

    CHECK(symbols_find(&table, 0xfff, &off) == NULL);
    CHECK_INT(off, 7); /* untouched */
    CHECK(symbols_find(&empty, 0x1000, &off) == NULL);
}

UNIT_TEST(test_exact_and_inside)
{
    uint64_t off = 1;

    CHECK_STR(symbols_find(&table, 0x1000, &off), "alias");
    CHECK_INT(off, 0);
    CHECK_STR(symbols_find(&table, 0x10ff, &off), "alias");
    CHECK_INT(off, 0xff);
    CHECK_STR(symbols_find(&table, 0x1100, &off), "second");
    CHECK_INT(off, 0);
    CHECK_STR(symbols_find(&table, 0x1fff, NULL), "second");
}

UNIT_TEST(test_past_last)
{
    uint64_t off;

    CHECK_STR(symbols_find(&table, 0x2345, &off), "last");
    CHECK_INT(off, 0x345);
}

UNIT_TEST(test_every_size_against_linear_scan)
{
    enum { MAX = 300, NAME_SIZE = 8 };
    static uint32_t big_addrs[MAX];
    static uint16_t big_offsets[MAX];
    static char big_names[MAX * NAME_SIZE];

    for (size_t i = 0; i < MAX; i++) {
        big_addrs[i] = 16 * i + 16;
        big_offsets[i] = i * NAME_SIZE;
        snprintf(big_names + i * NAME_SIZE, NAME_SIZE, "s%zu", i);
    }
    for (size_t n = 0; n <= MAX; n++) {
        const struct symbol_table big = {n, big_addrs, big_offsets, big_names};

        for (uint64_t addr = 0; addr < 16 * n + 40; addr += 5) {
            const char *expect = NULL;
            uint64_t off = 0, expect_off = 0;

            for (size_t i = 0; i < n; i++)
                if (big_addrs[i] <= addr) {
                    expect = big_names + big_offsets[i];
                    expect_off = addr - big_addrs[i];
                }
            const char *got = symbols_find(&big, addr, &off);
            CHECK(got == expect);
            if (got)
                CHECK_INT(off, expect_off);
        }
    }
}

int main(void)
{
    static const struct unit_test tests[] = {
        UNIT_ENTRY(test_below_first_is_unknown),
        UNIT_ENTRY(test_exact_and_inside),
        UNIT_ENTRY(test_past_last),
        UNIT_ENTRY(test_every_size_against_linear_scan),
    };
    return unit_main(tests, UNIT_COUNT(tests));
}
