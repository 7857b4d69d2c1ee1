/*
 * A tiny framework for host unit tests. A test file defines its tests with
 * UNIT_TEST, lists them in a table and hands the table to unit_main:
 *
 *     UNIT_TEST(test_add) { CHECK(1 + 1 == 2); }
 *     static const struct unit_test tests[] = {UNIT_ENTRY(test_add)};
 *     int main(void) { return unit_main(tests, UNIT_COUNT(tests)); }
 *
 * A test missing from the table is an unused static function, which -Wall
 * reports, so none can be forgotten silently. unit_main prints one line per
 * test and then `N passed, N failed` alone on a line, like the in-kernel
 * runner, and returns nonzero if any test failed. A failed CHECK prints its
 * file, line and expression, and the test goes on.
 */
#ifndef LIB_TESTS_UNIT_H
#define LIB_TESTS_UNIT_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct unit_test {
    const char *name;
    void (*fn)(void);
};

/* Laid out by hand: clang-format would split UNIT_ENTRY's braces over lines. */
// clang-format off
#define UNIT_TEST(name)   static void name(void)
#define UNIT_ENTRY(name)  {#name, name}
#define UNIT_COUNT(table) (sizeof(table) / sizeof((table)[0]))
// clang-format on

/* Failed checks in the test that is running. */
static unsigned long unit_failures;

static inline void unit_fail(const char *file, int line, const char *expr)
{
    printf("%s:%d: CHECK(%s) failed\n", file, line, expr);
    unit_failures++;
}

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            unit_fail(__FILE__, __LINE__, #cond);                                                  \
    } while (0)

/* CHECK(a == b) for integers, printing both values on failure. */
#define CHECK_INT(actual, expected)                                                                \
    unit_check_int(__FILE__, __LINE__, #actual, (long long)(actual), (long long)(expected))

static inline void unit_check_int(const char *file, int line, const char *expr, long long actual,
                                  long long expected)
{
    if (actual == expected)
        return;
    printf("%s:%d: CHECK_INT(%s) failed: got %lld, expected %lld\n", file, line, expr, actual,
           expected);
    unit_failures++;
}

/* CHECK(strcmp(a, b) == 0), printing both strings on failure; NULL never matches. */
#define CHECK_STR(actual, expected)                                                                \
    unit_check_str(__FILE__, __LINE__, #actual, (actual), (expected))

static inline void unit_check_str(const char *file, int line, const char *expr, const char *actual,
                                  const char *expected)
{
    if (actual && expected && strcmp(actual, expected) == 0)
        return;
    printf("%s:%d: CHECK_STR(%s) failed: got \"%s\", expected \"%s\"\n", file, line, expr,
           actual ? actual : "(NULL)", expected ? expected : "(NULL)");
    unit_failures++;
}

/* A fixed, portable random sequence (xorshift64): the same for a seed on every run. */
static uint64_t unit_rng_state = 1;

static inline void unit_rng_seed(uint64_t seed)
{
    unit_rng_state = seed ? seed : 1;
}

static inline uint64_t unit_rng_next(void)
{
    unit_rng_state ^= unit_rng_state << 13;
    unit_rng_state ^= unit_rng_state >> 7;
    unit_rng_state ^= unit_rng_state << 17;
    return unit_rng_state;
}

/* A number in [0, n). */
static inline unsigned long unit_rng_below(unsigned long n)
{
    return unit_rng_next() % n;
}

static inline int unit_main(const struct unit_test *tests, size_t count)
{
    unsigned int passed = 0, failed = 0;

    for (size_t i = 0; i < count; i++) {
        unit_failures = 0;
        tests[i].fn();
        if (unit_failures) {
            printf("FAIL %s (%lu failed checks)\n", tests[i].name, unit_failures);
            failed++;
        } else {
            printf("PASS %s\n", tests[i].name);
            passed++;
        }
    }
    printf("%u passed, %u failed\n", passed, failed);
    return failed ? 1 : 0;
}

#endif
