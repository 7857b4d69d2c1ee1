/*
 * Host tests for xen/time_scale.h: time_scale_delta on cases worked out by hand,
 * at the ends of its range, and on random inputs against a reference that forms
 * the 96-bit product from 32-bit halves instead of through unsigned __int128.
 */
#include "xen/time_scale.h"
#include "lib/tests/unit.h"

/*
 * ((delta shifted) * mul) >> 32 by hand: delta = hi * 2^32 + lo, so the product
 * is hi * mul * 2^32 + lo * mul and its top 64 bits are hi * mul + (lo * mul >> 32).
 * Neither term nor their sum exceeds 64 bits (at most 2^64 - 2^32 - 1).
 */
static uint64_t reference(uint64_t delta, uint32_t mul, int shift)
{
    uint64_t shifted = shift < 0 ? delta >> -shift : delta << shift;
    uint64_t lo = shifted & 0xffffffffu, hi = shifted >> 32;

    return hi * mul + ((lo * mul) >> 32);
}

UNIT_TEST(test_exact_small_cases)
{
    /* mul = 2^31 is one half; 2^30 a quarter. */
    CHECK_INT(time_scale_delta(1000, 1u << 31, 0), 500);
    CHECK_INT(time_scale_delta(1001, 1u << 31, 0), 500); /* rounds down */
    CHECK_INT(time_scale_delta(1000, 1u << 30, 0), 250);
    CHECK_INT(time_scale_delta(1, 1u << 31, 0), 0);
    /* A shift of +1 doubles first, -1 halves first (and drops the low bit). */
    CHECK_INT(time_scale_delta(1000, 1u << 31, 1), 1000);
    CHECK_INT(time_scale_delta(1000, 1u << 31, -1), 250);
    CHECK_INT(time_scale_delta(1003, 1u << 31, -1), 250);
    CHECK_INT(time_scale_delta(1000, 1u << 30, 2), 1000);
    CHECK_INT(time_scale_delta(1u << 20, 1u << 31, -8), 1u << 11);
    CHECK_INT(time_scale_delta(3, 1u << 31, 8), 384);
    /* A 3 GHz TSC: shift -1, mul = 2/3 * 2^32 (rounded up); 3e9 ticks is ~1 s. */
    CHECK_INT(time_scale_delta(3000000000u, 0xaaaaaaabu, -1), 1000000000);
    /* mul = 2^32 - 1: delta - ceil(delta / 2^32). */
    CHECK_INT(time_scale_delta(1u << 20, 0xffffffffu, 0), (1u << 20) - 1);
    CHECK_INT(time_scale_delta(1ull << 32, 0xffffffffu, 0), (1ull << 32) - 1);
    CHECK_INT(time_scale_delta((1ull << 32) + 1, 0xffffffffu, 0), (1ull << 32) - 1);
}

UNIT_TEST(test_zero)
{
    for (int shift = -8; shift <= 8; shift++) {
        CHECK_INT(time_scale_delta(0, 0xffffffffu, (int8_t)shift), 0);
        CHECK_INT(time_scale_delta(0, 0, (int8_t)shift), 0);
        CHECK_INT(time_scale_delta(~0ull >> 8, 0, (int8_t)shift), 0);
    }
}

UNIT_TEST(test_boundaries)
{
    /* The largest product: (2^64 - 1)(2^32 - 1) >> 32 = 2^64 - 2^32 - 1, no overflow. */
    CHECK(time_scale_delta(~0ull, 0xffffffffu, 0) == 0xfffffffeffffffffull);
    CHECK(time_scale_delta(~0ull, 0xffffffffu, 0) == reference(~0ull, 0xffffffffu, 0));
    /* Above 2^32 ticks the product needs more than 64 bits. */
    CHECK(time_scale_delta(~0ull, 1u << 31, 0) == ~0ull >> 1);
    CHECK(time_scale_delta(~0ull, 1, 0) == 0xffffffffu);
    CHECK(time_scale_delta(1ull << 63, 0xffffffffu, 0) == (1ull << 63) - (1ull << 31));
    CHECK(time_scale_delta(~0ull, 0xffffffffu, -8) == reference(~0ull, 0xffffffffu, -8));
    CHECK(time_scale_delta(~0ull, 0xffffffffu, -8) == 0x00fffffffeffffffull);
    /* The largest delta a shift of +8 keeps whole. */
    CHECK(time_scale_delta(~0ull >> 8, 0xffffffffu, 8) == 0xfffffffeffffff00ull);
    CHECK(time_scale_delta(~0ull >> 8, 0xffffffffu, 8) == reference(~0ull >> 8, 0xffffffffu, 8));
    /* mul = 1 is 2^-32; below 2^32 ticks that is nothing. */
    CHECK_INT(time_scale_delta(0xffffffffu, 1, 0), 0);
    CHECK_INT(time_scale_delta(1ull << 32, 1, 0), 1);
}

/* A random delta of a random bit length, so small values are as common as large. */
static uint64_t random_delta(int max_bits)
{
    int bits = (int)unit_rng_below((unsigned long)max_bits + 1);

    return bits == 64 ? unit_rng_next() : unit_rng_next() & ((1ull << bits) - 1);
}

UNIT_TEST(test_random_against_reference)
{
    unsigned long bad = 0, shown = 0;

    unit_rng_seed(0x7363616c65);
    for (int i = 0; i < 200000; i++) {
        int shift = (int)unit_rng_below(17) - 8;
        /* The kernel shifts first: a positive shift must not push bits out. */
        uint64_t delta = random_delta(shift > 0 ? 64 - shift : 64);
        uint32_t mul = (uint32_t)unit_rng_next();
        uint64_t got, want;

        if (unit_rng_below(8) == 0)
            mul = unit_rng_below(2) ? 0xffffffffu : (uint32_t)unit_rng_below(4);
        got = time_scale_delta(delta, mul, (int8_t)shift);
        want = reference(delta, mul, shift);
        if (got != want) {
            bad++;
            if (shown++ < 5)
                printf("  time_scale_delta(%#llx, %#x, %d) = %#llx, expected %#llx\n",
                       (unsigned long long)delta, mul, shift, (unsigned long long)got,
                       (unsigned long long)want);
        }
    }
    CHECK_INT(bad, 0);
}

UNIT_TEST(test_monotonic_in_delta)
{
    unsigned long bad = 0;

    /* A later TSC never reads as an earlier time. */
    unit_rng_seed(0x6d6f6e6f);
    for (int i = 0; i < 100000; i++) {
        int shift = (int)unit_rng_below(17) - 8;
        uint64_t delta = random_delta(shift > 0 ? 64 - shift : 64);
        uint64_t limit = shift > 0 ? ~0ull >> shift : ~0ull;
        uint64_t later = delta + unit_rng_below(1000);
        uint32_t mul = (uint32_t)unit_rng_next();

        if (later < delta || later > limit)
            later = delta;
        if (time_scale_delta(later, mul, (int8_t)shift) <
            time_scale_delta(delta, mul, (int8_t)shift))
            bad++;
    }
    CHECK_INT(bad, 0);
}

static const struct unit_test tests[] = {
    UNIT_ENTRY(test_exact_small_cases),  UNIT_ENTRY(test_zero),
    UNIT_ENTRY(test_boundaries),         UNIT_ENTRY(test_random_against_reference),
    UNIT_ENTRY(test_monotonic_in_delta),
};

int main(void)
{
    return unit_main(tests, UNIT_COUNT(tests));
}
