/*
 * Grant tables against the real hypervisor. Most tests grant pages to their own
 * domain and map or copy them back: the same hypercalls and checks a peer's would go
 * through. As a domU, one test has dom0 map a grant (the full rig's grant-read).
 */
#include "arch/boot_info.h"
#include "arch/page.h"
#include "kernel/test.h"
#include "lib/errno.h"
#include "lib/vsnprintf.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "mm/page_alloc.h"
#include "xen/gnttab.h"
#include "xen/time.h"
#include "drivers/xenbus/xenstore.h"

/* Our own domain id: 0 as the initial domain, from xenstore as a domU. */
#define SELF (boot_is_initial_domain() ? 0 : xenstore_domid())

static mfn_t mfn_of(const void *page)
{
    return pfn_to_mfn(virt_to_pfn(page));
}

KERNEL_TEST(grant_table_is_set_up_on_first_use)
{
    /* Nothing at boot grants, so unless a test before this one did, there is no table yet. */
    if (gnttab_capacity() == 0)
        TEST_ASSERT_EQ(gnttab_free_count(), 0);
    TEST_ASSERT_EQ(gnttab_setup(), 0);
    TEST_ASSERT_EQ(gnttab_setup(), 0); /* set up once, and only once */
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
    /* Never granted: Xen refuses the map, and nothing stays reserved. */
    TEST_ASSERT(gnttab_map(SELF, gnttab_capacity() - 1, false, &m) != 0);
}

/*
 * Take every free reference and one more: the table grows by frames Xen adds, and a
 * reference in a new frame works like any other (a map of it sees the page). Ending
 * them all frees the old references and the new ones.
 */
KERNEL_TEST(grant_table_grows_when_full)
{
    char *page = alloc_page();
    unsigned int capacity, free_before, wanted, taken = 0;
    struct gnttab_mapping m;
    grant_ref_t *refs;

    TEST_ASSERT_EQ(gnttab_setup(), 0);
    capacity = gnttab_capacity();
    free_before = gnttab_free_count();
    wanted = free_before + 1;
    refs = xmalloc(wanted * sizeof(*refs), 0);
    TEST_ASSERT(page && refs);
    strlcpy(page, "in a new frame", PAGE_SIZE);
    if (gnttab_max_capacity() <= capacity) {
        printk("grant table: %u references, all Xen allows: skipped\n", capacity);
    } else {
        while (taken < wanted && gnttab_grant_access(SELF, mfn_of(page), false, &refs[taken]) == 0)
            taken++;
        TEST_ASSERT_EQ(taken, wanted);
        TEST_ASSERT(gnttab_capacity() > capacity && gnttab_capacity() <= gnttab_max_capacity());
        TEST_ASSERT(refs[taken - 1] >= capacity);
        TEST_ASSERT_EQ(gnttab_map(SELF, refs[taken - 1], true, &m), 0);
        TEST_ASSERT(strcmp(m.va, "in a new frame") == 0);
        TEST_ASSERT_EQ(gnttab_unmap(&m), 0);
        printk("grant table: grew from %u to %u references (Xen allows %u)\n", capacity,
               gnttab_capacity(), gnttab_max_capacity());
    }
    while (taken)
        TEST_ASSERT_EQ(gnttab_end_access(refs[--taken]), 0);
    TEST_ASSERT_EQ(gnttab_free_count(), free_before + (gnttab_capacity() - capacity));
    xfree(refs);
    free_page(page);
}

/*
 * dom0 maps a page we granted (tools/rig/grant-read, driven by the rig through
 * data/grant-step): an end-access while it is mapped is refused, and works once dom0
 * has unmapped it.
 */
KERNEL_TEST_FLAGS(grant_read_by_dom0_and_revoked_after_unmap, TEST_ON_REQUEST | TEST_DOMU_ONLY)
{
    uint64_t deadline = xen_system_time_ns() + 60 * NSEC_PER_SEC;
    char *page = alloc_page();
    grant_ref_t ref;

    TEST_ASSERT(page != NULL);
    memset(page, 0, PAGE_SIZE);
    snprintf(page, PAGE_SIZE, "granted by domain %u", xenstore_domid());
    TEST_ASSERT_EQ(gnttab_grant_access(0, mfn_of(page), true, &ref), 0);
    TEST_ASSERT_EQ(xenstore_write(XS_NO_TRANSACTION, "data/grant-step", "granted"), 0);
    printk("grant: ref %u to domain 0 holds '%s'\n", ref, page);
    TEST_ASSERT_EQ(xenstore_wait_for_value("data/grant-step", "mapped", deadline), 0);
    TEST_ASSERT_EQ(gnttab_end_access(ref), -EBUSY);
    printk("grant: end access refused while dom0 maps the page\n");
    TEST_ASSERT_EQ(xenstore_write(XS_NO_TRANSACTION, "data/grant-step", "unmap"), 0);
    TEST_ASSERT_EQ(xenstore_wait_for_value("data/grant-step", "unmapped", deadline), 0);
    TEST_ASSERT_EQ(gnttab_end_access(ref), 0);
    printk("grant: end access done after the unmap\n");
    free_page(page);
    xenstore_rm(XS_NO_TRANSACTION, "data/grant-step");
}
