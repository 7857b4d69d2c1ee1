/*
 * Host tests for drivers/blkfront/blk_vdev.c: the numbers xl writes for the names in a
 * domain's config (docs/misc/vbd-interface.txt), decoded back.
 */

/* Declare ours under the lib_ names, then let the standard names mean glibc's. */
#include "lib/tests/host_names.h"
#include "lib/errno.h"
#include "drivers/blkfront/blk_vdev.h"
#define HOST_NAMES_RESTORE
#include "lib/tests/host_names.h"

#include "lib/tests/unit.h"

static const char *name_of(uint32_t vdev)
{
    static char buf[16];

    if (blk_vdev_name(vdev, buf, sizeof(buf)) != 0)
        return "(error)";
    return buf;
}

UNIT_TEST(xvd_short_form)
{
    CHECK_STR(name_of(51712), "xvda"); /* 202 << 8 */
    CHECK_STR(name_of(51728), "xvdb");
    CHECK_STR(name_of(51713), "xvda1");
    CHECK_STR(name_of((202 << 8) | (15 << 4) | 15), "xvdp15");
}

UNIT_TEST(xvd_extended_form)
{
    CHECK_STR(name_of((1u << 28) | (16 << 8)), "xvdq");
    CHECK_STR(name_of((1u << 28) | (25 << 8)), "xvdz");
    CHECK_STR(name_of((1u << 28) | (26 << 8)), "xvdaa");
    CHECK_STR(name_of((1u << 28) | (701 << 8)), "xvdzz");
    CHECK_STR(name_of((1u << 28) | (702 << 8) | 3), "xvdaaa3");
    CHECK_STR(name_of(1u << 28), "xvda");
}

UNIT_TEST(ide_disks)
{
    CHECK_STR(name_of(768), "hda");  /* 3 << 8 */
    CHECK_STR(name_of(832), "hdb");  /* (3 << 8) | 64 */
    CHECK_STR(name_of(5632), "hdc"); /* 22 << 8 */
    CHECK_STR(name_of(5697), "hdd1");
    CHECK_STR(name_of(91 << 8 | 64), "hdt");
}

UNIT_TEST(scsi_disks)
{
    CHECK_STR(name_of(2048), "sda"); /* 8 << 8 */
    CHECK_STR(name_of(2066), "sdb2");
    CHECK_STR(name_of(65 << 8), "sdq");
    CHECK_STR(name_of(128 << 8), "sddy"); /* disk 128: da is 104 */
}

UNIT_TEST(numbers_of_no_encoding_are_refused)
{
    char buf[16];

    CHECK_INT(blk_vdev_name(0, buf, sizeof(buf)), -EINVAL);
    CHECK_INT(blk_vdev_name(1 << 8, buf, sizeof(buf)), -EINVAL);
    CHECK_INT(blk_vdev_name(0x10000, buf, sizeof(buf)), -EINVAL);
    CHECK_INT(blk_vdev_name(0xffffffffu, buf, sizeof(buf)), -EINVAL);
    CHECK_INT(blk_vdev_name(51712, buf, 4), -E2BIG);
}

UNIT_TEST(largest_extended_disk_fits)
{
    char buf[16];

    CHECK_INT(blk_vdev_name((1u << 28) | 0x0fffffffu, buf, sizeof(buf)), 0);
    CHECK(strncmp(buf, "xvd", 3) == 0);
}

static const struct unit_test tests[] = {
    UNIT_ENTRY(xvd_short_form),
    UNIT_ENTRY(xvd_extended_form),
    UNIT_ENTRY(ide_disks),
    UNIT_ENTRY(scsi_disks),
    UNIT_ENTRY(numbers_of_no_encoding_are_refused),
    UNIT_ENTRY(largest_extended_disk_fits),
};

int main(void)
{
    return unit_main(tests, UNIT_COUNT(tests));
}
