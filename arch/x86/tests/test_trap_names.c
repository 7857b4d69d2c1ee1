/*
 * Host tests for arch/x86/trap_names.c: every mnemonic names one vector only, and the
 * vectors whose numbers are easy to mix up carry the SDM's names.
 */
#include "arch/traps.h"
#include "arch/x86/trap_names.h"
#include "lib/tests/unit.h"

UNIT_TEST(test_mnemonics_are_unique)
{
    unsigned int a, b;

    for (a = 0; a < TRAP_NR_VECTORS; a++) {
        if (strcmp(trap_mnemonic(a), "--") == 0)
            continue;
        for (b = a + 1; b < TRAP_NR_VECTORS; b++)
            if (strcmp(trap_mnemonic(a), trap_mnemonic(b)) == 0) {
                printf("vectors %u and %u are both %s\n", a, b, trap_mnemonic(a));
                CHECK(strcmp(trap_mnemonic(a), trap_mnemonic(b)) != 0);
            }
    }
}

/* Intel SDM vol. 3, table 6-1. */
UNIT_TEST(test_known_vectors)
{
    CHECK_STR(trap_mnemonic(0), "#DE");
    CHECK_STR(trap_mnemonic(2), "NMI");
    CHECK_STR(trap_mnemonic(8), "#DF");
    /* Vector 9, coprocessor segment overrun, is reserved since the 486: no mnemonic. */
    CHECK_STR(trap_mnemonic(9), "--");
    CHECK_STR(trap_name(9), "coprocessor segment overrun (reserved)");
    CHECK_STR(trap_mnemonic(13), "#GP");
    CHECK_STR(trap_mnemonic(14), "#PF");
    CHECK_STR(trap_mnemonic(16), "#MF");
    CHECK_STR(trap_name(16), "x87 floating-point error");
    CHECK_STR(trap_mnemonic(19), "#XM");
}

UNIT_TEST(test_vectors_without_names)
{
    CHECK_STR(trap_mnemonic(15), "--");
    CHECK_STR(trap_name(15), "reserved");
    CHECK_STR(trap_name(31), "reserved");
    CHECK_STR(trap_mnemonic(TRAP_NR_VECTORS), "--");
    CHECK_STR(trap_mnemonic(TRAP_EVENT_UPCALL), "--");
    CHECK_STR(trap_name(TRAP_EVENT_UPCALL), "event upcall");
    CHECK_STR(trap_name(1000), "reserved");
}

static const struct unit_test tests[] = {
    UNIT_ENTRY(test_mnemonics_are_unique),
    UNIT_ENTRY(test_known_vectors),
    UNIT_ENTRY(test_vectors_without_names),
};

int main(void)
{
    return unit_main(tests, UNIT_COUNT(tests));
}
