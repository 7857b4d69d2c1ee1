/*
 * Console input. The rig types a line into the console when it sees the prompt: as a
 * domU through xenconsoled's pty, which feeds the ring's input half.
 */
#include "lib/errno.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "xen/time.h"
#include "kernel/test.h"
#include "drivers/console/console.h"

KERNEL_TEST(console_read_times_out_without_input)
{
    char buf[8];

    TEST_ASSERT_EQ(console_read(buf, sizeof(buf), TEST_DEADLINE_MS(20)), -ETIMEDOUT);
    TEST_ASSERT_EQ(console_read_line(buf, sizeof(buf), TEST_DEADLINE_MS(20)), -ETIMEDOUT);
    TEST_ASSERT_EQ(console_read(buf, 0, TEST_DEADLINE_MS(20)), 0);
}

/* The rig types "typed in dom0", then a line too long for the buffer, then "after". */
KERNEL_TEST_FLAGS(console_reads_lines_typed_in_dom0, TEST_ON_REQUEST)
{
    char line[32];

    printk("console: waiting for a line\n");
    TEST_ASSERT_EQ(console_read_line(line, sizeof(line), TEST_DEADLINE_MS(60000)), 13);
    TEST_ASSERT(strcmp(line, "typed in dom0") == 0);
    printk("console: read '%s'\n", line);
    printk("console: waiting for a long line\n");
    TEST_ASSERT_EQ(console_read_line(line, sizeof(line), TEST_DEADLINE_MS(60000)), -E2BIG);
    TEST_ASSERT_EQ(console_read_line(line, sizeof(line), TEST_DEADLINE_MS(60000)), 5);
    TEST_ASSERT(strcmp(line, "after") == 0);
    printk("console: read '%s' after the long line\n", line);
}
