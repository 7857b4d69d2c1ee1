/*
 * The block frontend from inside: what every domain can check (the disks found, the
 * requests refused before they reach a ring), and with a writable disk, a write and a
 * read back at an odd buffer address, in the disk's last 64 KiB, which it puts back as
 * it found them. Without a disk (the dom0 tier, most domUs) the disk tests say so and
 * pass.
 */
#include "kernel/sched.h"
#include "kernel/test.h"
#include "lib/errno.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "xen/gnttab.h"
#include "drivers/blkfront/blkfront.h"

#define SPAN (64 * 1024)

static void never_called(struct blk_request *req)
{
    (void)req;
    printk("blkfront: a refused request was ended anyway\n");
}

/* The first disk, or NULL after saying why the test has nothing to do. */
static struct blk_disk *first_disk(bool writable)
{
    unsigned int n = blk_wait_ready(TEST_DEADLINE_MS(30000));

    for (unsigned int i = 0; i < n; i++) {
        struct blk_disk *d = blk_get(i);

        if (d && (!writable || !blk_info(d)->readonly))
            return d;
    }
    printk("blkfront: no %sdisk in this domain: skipped\n", writable ? "writable " : "");
    return NULL;
}

KERNEL_TEST(blkfront_reports_sane_disks)
{
    unsigned int n = blk_wait_ready(TEST_DEADLINE_MS(30000));

    printk("blkfront: %u disks\n", n);
    for (unsigned int i = 0; i < n; i++) {
        const struct blk_info *info = blk_info(blk_get(i));

        TEST_ASSERT(info->name[0] != '\0');
        TEST_ASSERT(blk_find(info->name) == blk_get(i));
        TEST_ASSERT(info->sector_size >= 512 && info->sector_size <= 4096);
        TEST_ASSERT_EQ(info->size % info->sector_size, 0);
        TEST_ASSERT(info->max_segments >= 11 && info->ring_pages >= 1);
    }
    TEST_ASSERT(blk_get(n) == NULL);
    TEST_ASSERT(blk_find("no-such-disk") == NULL);
}

KERNEL_TEST(blkfront_refuses_what_it_cannot_carry)
{
    static uint8_t buf[8192];
    struct blk_request req = {.op = BLK_READ, .buf = buf, .len = 512, .done = never_called};
    struct blk_disk *d;
    uint64_t size;

    TEST_ASSERT_EQ(blk_submit(NULL, &req), -EINVAL);
    d = first_disk(false);
    if (!d)
        return;
    size = blk_info(d)->size;
    req.offset = 1;
    TEST_ASSERT_EQ(blk_submit(d, &req), -EINVAL);
    req.offset = size;
    TEST_ASSERT_EQ(blk_submit(d, &req), -EINVAL);
    req.offset = 0;
    req.len = 100;
    TEST_ASSERT_EQ(blk_submit(d, &req), -EINVAL);
    req = (struct blk_request){.op = BLK_FLUSH, .len = 512, .done = never_called};
    TEST_ASSERT_EQ(blk_submit(d, &req), -EINVAL);
    if (blk_info(d)->readonly)
        TEST_ASSERT_EQ(blk_write(d, 0, buf, blk_info(d)->sector_size), -EROFS);
}

KERNEL_TEST(blkfront_reads_back_what_it_wrote)
{
    struct blk_disk *d = first_disk(true);
    uint8_t *saved, *mem;
    uint64_t offset;

    if (!d)
        return;
    TEST_ASSERT(blk_info(d)->size >= SPAN);
    offset = blk_info(d)->size - SPAN;
    saved = xmalloc(SPAN, 0);
    mem = xmalloc(SPAN + 3, 0);
    TEST_ASSERT(saved && mem);
    TEST_ASSERT_EQ(blk_read(d, offset, saved, SPAN), 0);
    for (unsigned int i = 0; i < SPAN; i++)
        mem[3 + i] = (uint8_t)(i * 13 + 7);
    TEST_ASSERT_EQ(blk_write(d, offset, mem + 3, SPAN), 0);
    memset(mem, 0, SPAN + 3);
    TEST_ASSERT_EQ(blk_read(d, offset, mem + 3, SPAN), 0);
    for (unsigned int i = 0; i < SPAN; i++)
        TEST_ASSERT_EQ(mem[3 + i], (uint8_t)(i * 13 + 7));
    TEST_ASSERT_EQ(blk_write(d, offset, saved, SPAN), 0);
    TEST_ASSERT_EQ(blk_flush(d), 0);
    xfree(saved);
    xfree(mem);
    printk("blkfront: %s: 64 KiB written, read back and restored\n", blk_info(d)->name);
}

/*
 * Write the disk's last 64 KiB from an odd address with `fill`, read it back, put back
 * what was there: the first error, or -EBADMSG if a byte read back differs.
 */
static int write_read_restore(struct blk_disk *d, uint8_t *saved, uint8_t *mem, uint8_t fill)
{
    uint64_t offset = blk_info(d)->size - SPAN;
    int rc = blk_read(d, offset, saved, SPAN);

    memset(mem, fill, SPAN + 3);
    if (rc == 0)
        rc = blk_write(d, offset, mem + 3, SPAN);
    memset(mem, 0, SPAN + 3);
    if (rc == 0)
        rc = blk_read(d, offset, mem + 3, SPAN);
    for (unsigned int i = 0; rc == 0 && i < SPAN; i++)
        rc = mem[3 + i] == fill ? 0 : -EBADMSG;
    return rc ? rc : blk_write(d, offset, saved, SPAN);
}

/*
 * With persistent grants, the pages that carried one round carry the next: the pool
 * does not grow and no grant reference is taken or given back.
 */
KERNEL_TEST(blkfront_reuses_its_persistent_pages)
{
    struct blk_disk *d = first_disk(true);
    unsigned int pool, free_refs;
    uint8_t *saved, *mem;

    if (!d)
        return;
    if (!blk_info(d)->persistent) {
        TEST_ASSERT_EQ(blk_persistent_pages(d), 0);
        printk("blkfront: %s: no persistent grants: skipped\n", blk_info(d)->name);
        return;
    }
    saved = xmalloc(SPAN, 0);
    mem = xmalloc(SPAN + 3, 0);
    TEST_ASSERT(saved && mem);
    TEST_ASSERT_EQ(write_read_restore(d, saved, mem, 0x5a), 0);
    pool = blk_persistent_pages(d);
    free_refs = gnttab_free_count();
    TEST_ASSERT(pool >= SPAN / 4096);
    for (unsigned int round = 0; round < 4; round++)
        TEST_ASSERT_EQ(write_read_restore(d, saved, mem, (uint8_t)(0xa0 + round)), 0);
    TEST_ASSERT_EQ(blk_persistent_pages(d), pool);
    TEST_ASSERT_EQ(gnttab_free_count(), free_refs);
    xfree(saved);
    xfree(mem);
    printk("blkfront: %s: 4 rounds of 64 KiB on the same %u persistent pages\n", blk_info(d)->name,
           pool);
}

/*
 * For the full rig: dom0 runs `xl block-attach` once the line below is printed; the
 * new disk must be found through the watch on device/vbd, reported and usable.
 */
KERNEL_TEST_FLAGS(blkfront_finds_an_attached_disk, TEST_ON_REQUEST | TEST_DOMU_ONLY)
{
    unsigned int before = blk_wait_ready(TEST_DEADLINE_MS(60000));
    /* The attach runs dom0's hotplug scripts, slow on a loaded host. */
    uint64_t deadline = TEST_DEADLINE_MS(120000);
    static uint8_t sector[4096];
    struct blk_disk *d;

    printk("blkfront: %u disks, waiting for a disk to be attached\n", before);
    while (blk_count() == before && xen_system_time_ns() < deadline)
        thread_sleep_ns(50 * NSEC_PER_MSEC);
    TEST_ASSERT_EQ(blk_count(), before + 1);
    d = blk_get(before);
    TEST_ASSERT_EQ(blk_read(d, 0, sector, blk_info(d)->sector_size), 0);
    printk("blkfront: %s attached and read\n", blk_info(d)->name);
}
