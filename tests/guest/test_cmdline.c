/*
 * Command-line options: values applied, problems reported by name and skipped.
 */
#include <stdbool.h>

#include "lib/string.h"
#include "kernel/cmdline.h"
#include "kernel/test.h"

static bool flag_quiet;
static char string_name[8];
static unsigned long number_pages;

static const struct kernel_param params[] = {
    {.name = "quiet", .kind = PARAM_FLAG, .value = &flag_quiet},
    {.name = "name", .kind = PARAM_STRING, .value = string_name, .size = sizeof(string_name)},
    {.name = "pages", .kind = PARAM_ULONG, .value = &number_pages},
};

static int apply(const char *line)
{
    flag_quiet = false;
    string_name[0] = '\0';
    number_pages = 0;
    return params_apply(line, strlen(line) + 1, params, params + 3);
}

KERNEL_TEST(cmdline_sets_flags_strings_and_numbers)
{
    TEST_ASSERT_EQ(apply("quiet name=\"a b\" pages=0x10"), 0);
    TEST_ASSERT(flag_quiet);
    TEST_ASSERT(strcmp(string_name, "a b") == 0);
    TEST_ASSERT_EQ(number_pages, 16);
    TEST_ASSERT_EQ(apply(""), 0);
    TEST_ASSERT(!flag_quiet);
}

KERNEL_TEST(cmdline_reports_each_bad_option_and_goes_on)
{
    /* unknown, malformed, flag with a value, missing value, too long, not a number */
    TEST_ASSERT_EQ(apply("bogus =1 quiet=yes name pages=12 name=123456789 pages=x"), 6);
    TEST_ASSERT(!flag_quiet);
    TEST_ASSERT_EQ(number_pages, 12);    /* the good option between bad ones */
    TEST_ASSERT(string_name[0] == '\0'); /* the long value was refused whole */
}

KERNEL_TEST(cmdline_stops_at_the_buffer_end)
{
    /* start_info.cmd_line need not be NUL-terminated within its array. */
    static const char line[] = {'p', 'a', 'g', 'e', 's', '=', '7', '7'};

    number_pages = 0;
    TEST_ASSERT_EQ(params_apply(line, 7, params, params + 3), 0);
    TEST_ASSERT_EQ(number_pages, 7);
}
