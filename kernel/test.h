/*
 * In-kernel tests: declared anywhere with KERNEL_TEST, run by kernel/test.c
 * in the tests image.
 *
 *   KERNEL_TEST(console_io_accepts_output)
 *   {
 *       TEST_ASSERT(hypercall_console_io(CONSOLEIO_write, 1, "x") == 0);
 *   }
 *
 * A failed assertion prints its file, line and expression and ends that test; the
 * run goes on with the next one.
 */
#ifndef KERNEL_TEST_H
#define KERNEL_TEST_H

#include <stdint.h>

#include "xen/time.h"

struct kernel_test {
    const char *name;
    void (*fn)(void);
    unsigned int flags;
};

/*
 * Run only when named on the command line: tests that end the domain on purpose
 * (a fault, a reboot) or that demonstrate a failure.
 */
#define TEST_ON_REQUEST (1u << 0)
/*
 * Where a test can run: as the initial domain only (it uses what only dom0 has, such
 * as console_io output), or as a domU only (it needs the toolstack: xenstore, the
 * console ring). A run of everything leaves out the tests that cannot run here.
 */
#define TEST_DOM0_ONLY (1u << 1)
#define TEST_DOMU_ONLY (1u << 2)

#define KERNEL_TEST_FLAGS(tname, tflags)                                                           \
    static void test_##tname(void);                                                                \
    static const struct kernel_test kernel_test_##tname                                            \
        __attribute__((used, section(".kernel_tests"), aligned(8))) = {                            \
            .name = #tname, .fn = test_##tname, .flags = (tflags)};                                \
    static void test_##tname(void)

#define KERNEL_TEST(tname) KERNEL_TEST_FLAGS(tname, 0)

void test_fail(const char *file, int line, const char *expr);
void test_fail_values(const char *file, int line, const char *expr, uint64_t a, uint64_t b);

#define TEST_ASSERT(cond)                                                                          \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            test_fail(__FILE__, __LINE__, #cond);                                                  \
            return;                                                                                \
        }                                                                                          \
    } while (0)

/* Compares as 64-bit integers and prints both values on failure. */
#define TEST_ASSERT_EQ(a, b)                                                                       \
    do {                                                                                           \
        uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);                                           \
        if (a_ != b_) {                                                                            \
            test_fail_values(__FILE__, __LINE__, #a " == " #b, a_, b_);                            \
            return;                                                                                \
        }                                                                                          \
    } while (0)

/* A deadline ms milliseconds from now, for tests that wait on something. */
#define TEST_DEADLINE_MS(ms) (xen_system_time_ns() + (uint64_t)(ms)*NSEC_PER_MSEC)

/*
 * Run the tests named in selection (comma-separated), or every test not marked
 * TEST_ON_REQUEST when selection is empty. Prints one line per test and the closing
 * line "N passed, N failed". Returns the number of failures.
 */
int test_runner_run(const char *selection);

#endif
