/*
 * The runner itself: a failing assertion is reported with its place and expression
 * and the run goes on. Run by name (tests/dom0/run checks the output).
 */
#include "kernel/test.h"

KERNEL_TEST_FLAGS(selftest_failing_assertion, TEST_ON_REQUEST)
{
    volatile int two = 2;

    TEST_ASSERT(two + two == 5);
    TEST_ASSERT(0 && "not reached: the first failure ends the test");
}

KERNEL_TEST_FLAGS(selftest_failing_equality, TEST_ON_REQUEST)
{
    volatile int seven = 7;

    TEST_ASSERT_EQ(seven, 8);
}

KERNEL_TEST_FLAGS(selftest_passing, TEST_ON_REQUEST)
{
    TEST_ASSERT(1 + 1 == 2);
}
