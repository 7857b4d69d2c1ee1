/*
 * Start of day: what Xen handed over, and the hypercall page and shared_info it set up.
 */
#include <xen/version.h>

#include "lib/string.h"
#include "arch/hypercall.h"
#include "arch/page.h"
#include "arch/setup.h"
#include "kernel/test.h"
#include "xen/time.h"

extern char _text[], _end[];

KERNEL_TEST(start_info_is_64bit_pv)
{
    TEST_ASSERT(memcmp(start_info->magic, "xen-3.0-x86_64", 14) == 0);
    TEST_ASSERT(start_info->nr_pages > 0);
    /* The fast rig boots the tests as dom0; under xl they are a domU with both rings. */
    if (!(start_info->flags & SIF_INITDOMAIN)) {
        TEST_ASSERT(start_info->store_mfn != 0);
        TEST_ASSERT(start_info->console.domU.mfn != 0);
        TEST_ASSERT(start_info->console.domU.evtchn != 0);
    }
}

KERNEL_TEST(start_info_bootstrap_region_follows_image)
{
    /* Xen places p2m list and page tables after the image, in our mapped region. */
    TEST_ASSERT(start_info->mfn_list >= (unsigned long)_end);
    TEST_ASSERT(start_info->pt_base >= (unsigned long)_end);
    TEST_ASSERT(start_info->nr_pt_frames >= 4); /* at least one table per level */
    TEST_ASSERT(start_info->mfn_list < start_info->nr_pages * PAGE_SIZE);
    TEST_ASSERT(start_info->pt_base < start_info->nr_pages * PAGE_SIZE);
}

KERNEL_TEST(p2m_and_m2p_agree)
{
    pfn_t pfn;
    unsigned long step = start_info->nr_pages / 1024 + 1;

    for (pfn = 0; pfn < start_info->nr_pages; pfn += step)
        TEST_ASSERT_EQ(mfn_to_pfn(pfn_to_mfn(pfn)), pfn);
    /* Virtual base 0: the image's last byte is in the pfn its address says. */
    TEST_ASSERT_EQ(virt_to_pfn((const void *)((unsigned long)_end - 1)),
                   ((unsigned long)_end - 1) >> PAGE_SHIFT);
}

KERNEL_TEST(hypercall_page_reaches_xen)
{
    long version = hypercall_xen_version(XENVER_version, NULL);

    TEST_ASSERT_EQ(version >> 16, 4);
    TEST_ASSERT(version & 0xffff); /* a 4.x release other than 4.0 */
}

KERNEL_TEST(shared_info_is_mapped)
{
    const struct vcpu_time_info *t = &shared_info->vcpu_info[0].time;
    uint64_t a, b;

    /* Xen has written the vCPU's time scale since the domain started. */
    TEST_ASSERT(t->tsc_to_system_mul != 0);
    a = xen_system_time_ns();
    for (int i = 0; i < 1000; i++)
        b = xen_system_time_ns();
    TEST_ASSERT(a > 0);
    TEST_ASSERT(b >= a);
}

/* Xen's release builds refuse a domU's console_io writes. */
KERNEL_TEST_FLAGS(console_io_accepts_output, TEST_DOM0_ONLY)
{
    static const char msg[] = "    (console_io direct write)\n";

    TEST_ASSERT_EQ(hypercall_console_io(CONSOLEIO_write, sizeof(msg) - 1, msg), 0);
}
