/*
 * Grant tables against the real hypervisor. The tests image runs as dom0, so it
 * grants pages to itself (domain 0) and maps or copies them back: the same
 * hypercalls and checks a peer's would go through.
 */
#include "arch/x86/page.h"
#include "arch/x86/setup.h"
#include "kernel/test.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/page_alloc.h"
#include "xen/grant_table.h"

#define SELF 0 /* the tests image is dom0 */

static mfn_t mfn_of(const void *page)
{
    return pfn_to_mfn(virt_to_pfn(page));
}

KERNEL_TEST(grant_table_is_set_up)
{
    TEST_ASSERT(start_info->flags & SIF_INITDOMAIN);
    TEST_ASSERT(gnttab_capacity() >= 512);
    TEST_ASSERT_EQ(gnttab_free_count(), gnttab_capacity() - GNTTAB_NR_RESERVED_ENTRIES);
}

KERNEL_TEST(grant_map_sees_the_page_and_end_access_waits_for_unmap)
{
    char *page = alloc_page();
    struct gnttab_mapping m;
    unsigned int free_before = gnttab_free_count();
    grant_ref_t ref;

    TEST_ASSERT(page != NULL);
    strlcpy(page, "granted page", PAGE_SIZE);
    TEST_ASSERT_EQ(gnttab_grant_access(SELF, mfn_of(page), false, &ref), 0);
    TEST_ASSERT(ref >= GNTTAB_NR_RESERVED_ENTRIES);
    TEST_ASSERT_EQ(gnttab_free_count(), free_before - 1);
    TEST_ASSERT_EQ(gnttab_map(SELF, ref, false, &m), 0);
    TEST_ASSERT(strcmp(m.va, "granted page") == 0);
    /* Writes through the mapping land in the granted page. */
    strlcpy(m.va, "written by the peer", PAGE_SIZE);
    TEST_ASSERT(strcmp(page, "written by the peer") == 0);
    /* While mapped, the grant cannot be ended and the reference stays taken. */
    TEST_ASSERT_EQ(gnttab_end_access(ref), -EBUSY);
    TEST_ASSERT_EQ(gnttab_free_count(), free_before - 1);
    TEST_ASSERT_EQ(gnttab_unmap(&m), 0);
    TEST_ASSERT_EQ(gnttab_end_access(ref), 0);
    TEST_ASSERT_EQ(gnttab_free_count(), free_before);
    /* Ended: the peer can no longer map it (Xen: GNTST_general_error, "bad flags"),
     * and ending twice is refused. */
    TEST_ASSERT_EQ(gnttab_map(SELF, ref, false, &m), -EIO);
    TEST_ASSERT_EQ(gnttab_end_access(ref), -EINVAL);
    free_page(page);
}

KERNEL_TEST(grant_readonly_refuses_a_writable_map)
{
    char *page = alloc_page();
    struct gnttab_mapping m;
    grant_ref_t ref;

    TEST_ASSERT(page != NULL);
    TEST_ASSERT_EQ(gnttab_grant_access(SELF, mfn_of(page), true, &ref), 0);
    TEST_ASSERT_EQ(gnttab_map(SELF, ref, false, &m), -EIO);
    TEST_ASSERT_EQ(gnttab_map(SELF, ref, true, &m), 0);
    TEST_ASSERT_EQ(gnttab_unmap(&m), 0);
    TEST_ASSERT_EQ(gnttab_end_access(ref), 0);
    free_page(page);
}

KERNEL_TEST(grant_copy_both_ways)
{
    char *granted = alloc_page(), *local = alloc_page();
    grant_ref_t ref;

    TEST_ASSERT(granted != NULL && local != NULL);
    memset(granted, 0, PAGE_SIZE);
    strlcpy(local, "to the peer", PAGE_SIZE);
    TEST_ASSERT_EQ(gnttab_grant_access(SELF, mfn_of(granted), false, &ref), 0);
    TEST_ASSERT_EQ(gnttab_copy(SELF, ref, 100, mfn_of(local), 0, 12, true), 0);
    TEST_ASSERT(strcmp(granted + 100, "to the peer") == 0);
    strlcpy(granted + 200, "from the peer", PAGE_SIZE - 200);
    TEST_ASSERT_EQ(gnttab_copy(SELF, ref, 200, mfn_of(local), 50, 14, false), 0);
    TEST_ASSERT(strcmp(local + 50, "from the peer") == 0);
    /* A copy may not cross a page boundary, however the numbers wrap. */
    TEST_ASSERT_EQ(gnttab_copy(SELF, ref, PAGE_SIZE - 4, mfn_of(local), 0, 8, true), -EINVAL);
    TEST_ASSERT_EQ(gnttab_copy(SELF, ref, ~0u - 2, mfn_of(local), 0, 8, true), -EINVAL);
    TEST_ASSERT_EQ(gnttab_end_access(ref), 0);
    free_page(granted);
    free_page(local);
}

KERNEL_TEST(grant_bad_references_are_refused)
{
    struct gnttab_mapping m;
    grant_ref_t ref;

    TEST_ASSERT_EQ(gnttab_end_access(0), -EINVAL);
    TEST_ASSERT_EQ(gnttab_end_access(gnttab_capacity()), -EINVAL);
    TEST_ASSERT_EQ(gnttab_grant_access(SELF, (mfn_t)1 << 32, false, &ref), -E2BIG);
    TEST_ASSERT_EQ(gnttab_init(), -EEXIST);
    /* Never granted: Xen refuses the map, and nothing stays reserved. */
    TEST_ASSERT(gnttab_map(SELF, gnttab_capacity() - 1, false, &m) != 0);
}
