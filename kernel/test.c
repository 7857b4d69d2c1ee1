/*
 * The in-kernel test runner: tests register themselves in the .kernel_tests section
 * (kernel/test.h); the runner calls them in the order they were linked (within one
 * file the compiler may emit them in any order), or the ones the command line names,
 * and reports each.
 */
#include <stdbool.h>
#include <xen/xen.h>

#include "lib/escape.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "arch/boot_info.h"
#include "kernel/test.h"
#include "xen/time.h"

extern const struct kernel_test __start_kernel_tests[], __stop_kernel_tests[];

static bool current_failed;

void test_fail(const char *file, int line, const char *expr)
{
    printk("    %s:%d: assertion failed: %s\n", file, line, expr);
    current_failed = true;
}

void test_fail_values(const char *file, int line, const char *expr, uint64_t a, uint64_t b)
{
    printk("    %s:%d: assertion failed: %s (%#lx != %#lx)\n", file, line, expr, a, b);
    current_failed = true;
}

static bool test_run_one(const struct kernel_test *t)
{
    uint64_t start = xen_system_time_ns(), us;

    current_failed = false;
    t->fn();
    us = (xen_system_time_ns() - start) / 1000;
    printk("%s %s (%lu us)\n", current_failed ? "FAIL" : "ok  ", t->name, us);
    return !current_failed;
}

static const struct kernel_test *test_find(const char *name, size_t len)
{
    const struct kernel_test *t;

    for (t = __start_kernel_tests; t < __stop_kernel_tests; t++)
        if (strlen(t->name) == len && memcmp(t->name, name, len) == 0)
            return t;
    return NULL;
}

/* For a run of everything: not on request, and meant for this kind of domain. */
static bool test_runs_here(const struct kernel_test *t)
{
    bool dom0 = boot_is_initial_domain();

    if (t->flags & TEST_ON_REQUEST)
        return false;
    return !(t->flags & (dom0 ? TEST_DOMU_ONLY : TEST_DOM0_ONLY));
}

int test_runner_run(const char *selection)
{
    const struct kernel_test *t;
    unsigned int passed = 0, failed = 0;

    if (selection[0] == '\0') {
        for (t = __start_kernel_tests; t < __stop_kernel_tests; t++) {
            if (!test_runs_here(t))
                continue;
            if (test_run_one(t))
                passed++;
            else
                failed++;
        }
    } else {
        const char *name = selection;

        while (*name) {
            const char *comma = strchr(name, ',');
            size_t len = comma ? (size_t)(comma - name) : strlen(name);

            if (len > 0) {
                t = test_find(name, len);
                if (!t) {
                    char shown[64]; /* the name comes from the command line */

                    printk("FAIL %s (no such test)\n",
                           escape_text(shown, sizeof(shown), name, len));
                    failed++;
                } else if (test_run_one(t)) {
                    passed++;
                } else {
                    failed++;
                }
            }
            name += len + (comma ? 1 : 0);
        }
    }
    printk("%u passed, %u failed\n", passed, failed);
    return failed;
}
