/*
 * Host tests for lib/symbols.c: lookups below, at, between and past the symbols.
 */
#include "lib/symbols.h"
#include "lib/tests/unit.h"

static const struct symbol table[] = {
    {0x1000, "first"},
    {0x1000, "alias"}, /* the same address: the later entry wins */
    {0x1100, "second"},
    {0x2000, "last"},
};

UNIT_TEST(test_below_first_is_unknown)
{
    uint64_t off = 7;

    CHECK(symbols_find(table, UNIT_COUNT(table), 0xfff, &off) == NULL);
    CHECK_INT(off, 7); /* untouched */
    CHECK(symbols_find(table, 0, 0x1000, &off) == NULL);
}

UNIT_TEST(test_exact_and_inside)
{
    uint64_t off = 1;

    CHECK_STR(symbols_find(table, UNIT_COUNT(table), 0x1000, &off), "alias");
    CHECK_INT(off, 0);
    CHECK_STR(symbols_find(table, UNIT_COUNT(table), 0x10ff, &off), "alias");
    CHECK_INT(off, 0xff);
    CHECK_STR(symbols_find(table, UNIT_COUNT(table), 0x1100, &off), "second");
    CHECK_INT(off, 0);
    CHECK_STR(symbols_find(table, UNIT_COUNT(table), 0x1fff, NULL), "second");
}

UNIT_TEST(test_past_last)
{
    uint64_t off;

    CHECK_STR(symbols_find(table, UNIT_COUNT(table), 0x2345, &off), "last");
    CHECK_INT(off, 0x345);
}

UNIT_TEST(test_every_size_against_linear_scan)
{
    static struct symbol big[300];
    static char names[300][8];

    for (size_t n = 0; n <= UNIT_COUNT(big); n++) {
        for (size_t i = 0; i < n; i++) {
            big[i].addr = 16 * i + 16;
            snprintf(names[i], sizeof(names[i]), "s%zu", i);
            big[i].name = names[i];
        }
        for (uint64_t addr = 0; addr < 16 * n + 40; addr += 5) {
            const char *expect = NULL;
            uint64_t off = 0, expect_off = 0;

            for (size_t i = 0; i < n; i++)
                if (big[i].addr <= addr) {
                    expect = big[i].name;
                    expect_off = addr - big[i].addr;
                }
            const char *got = symbols_find(big, n, addr, &off);
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
