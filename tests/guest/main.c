/*
 * The tests image: an application that runs the in-kernel tests.
 *
 * Command line: tests=NAME[,NAME...] runs the named tests (including those that end
 * the domain on purpose); without it every ordinary test runs. The domain then
 * powers off, whatever the result: the rig reads the closing line.
 */
#include <xen/xen.h>

#include "kernel/app.h"
#include "kernel/cmdline.h"
#include "kernel/test.h"

static char test_selection[MAX_GUEST_CMDLINE];
KERNEL_PARAM_STRING(test_selection, "tests", "comma-separated tests to run");

int app_main(void)
{
    test_runner_run(test_selection);
    return 0;
}
