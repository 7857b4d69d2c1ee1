/*
 * Host tests for arch/x86/pv/boot_layout.c: a layout like the one Xen builds is accepted and its
 * first free frame found; each start_info field that does not add up is refused with
 * a reason, and so is a domain too small for the kernel.
 */
#include <xen/xen.h>

#include "lib/tests/host_names.h"
#include "lib/errno.h"
#include "arch/boot_layout.h"
#define HOST_NAMES_RESTORE
#include "lib/tests/host_names.h"

#include "lib/tests/unit.h"

/* As Xen laid out a 32 MiB dom0 in the rig: image, p2m, start_info, tables, stack. */
static void good(struct start_info *si, struct boot_layout_facts *f)
{
    memset(si, 0, sizeof(*si));
    memcpy(si->magic, "xen-3.0-x86_64", 15);
    si->nr_pages = 8192;
    si->flags = SIF_INITDOMAIN | SIF_PRIVILEGED;
    si->mfn_list = 0x16000;
    si->pt_base = 0x27000;
    si->nr_pt_frames = 5;
    *f = (struct boot_layout_facts){
        .image_end = 0x15800, .start_info_va = 0x26000, .store_pfn = ~0UL, .console_pfn = ~0UL};
}

static int compute(const struct start_info *si, const struct boot_layout_facts *f,
                   struct boot_layout *l, const char **why)
{
    *why = NULL;
    return boot_layout_compute(si, f, l, why);
}

UNIT_TEST(test_xen_layout_is_accepted)
{
    struct start_info si;
    struct boot_layout_facts f;
    struct boot_layout l;
    const char *why;

    good(&si, &f);
    CHECK_INT(compute(&si, &f, &l, &why), 0);
    CHECK_INT(l.image.end, 0x16);
    CHECK_INT(l.p2m.start, 0x16);
    CHECK_INT(l.p2m.end, 0x26); /* 8192 entries of 8 bytes */
    CHECK_INT(l.start_info.start, 0x26);
    CHECK_INT(l.page_tables.end, 0x2c);
    CHECK_INT(l.first_free, 0x2c); /* Xen's boot stack page is free */
    CHECK_INT(l.module.start, l.module.end);
}

UNIT_TEST(test_module_and_domu_pages_are_reserved)
{
    struct start_info si;
    struct boot_layout_facts f;
    struct boot_layout l;
    const char *why;

    good(&si, &f);
    si.mod_start = 0x100; /* a pfn, as SIF_MOD_START_PFN says */
    si.mod_len = 3 * 4096 + 1;
    si.flags |= SIF_MOD_START_PFN;
    f.store_pfn = 0x30;
    f.console_pfn = 0x31;
    CHECK_INT(compute(&si, &f, &l, &why), 0);
    CHECK_INT(l.module.start, 0x100);
    CHECK_INT(l.module.end, 0x104);
    CHECK_INT(l.ring_pages.start, 0x30);
    CHECK_INT(l.ring_pages.end, 0x32);
    CHECK_INT(l.first_free, 0x104);
}

/* The ring range runs from the lower to the higher page present, in either order. */
UNIT_TEST(test_ring_pages_span_the_pages_present)
{
    struct start_info si;
    struct boot_layout_facts f;
    struct boot_layout l;
    const char *why;

    good(&si, &f);
    f.store_pfn = 0x40;
    f.console_pfn = 0x30;
    CHECK_INT(compute(&si, &f, &l, &why), 0);
    CHECK_INT(l.ring_pages.start, 0x30);
    CHECK_INT(l.ring_pages.end, 0x41);
    CHECK_INT(l.first_free, 0x41);

    good(&si, &f);
    f.store_pfn = 0x40; /* no console page */
    CHECK_INT(compute(&si, &f, &l, &why), 0);
    CHECK_INT(l.ring_pages.start, 0x40);
    CHECK_INT(l.ring_pages.end, 0x41);

    good(&si, &f);
    f.console_pfn = 0x40; /* no xenstore page */
    CHECK_INT(compute(&si, &f, &l, &why), 0);
    CHECK_INT(l.ring_pages.start, 0x40);
    CHECK_INT(l.ring_pages.end, 0x41);

    good(&si, &f);
    f.store_pfn = 8192; /* one past the domain's last page */
    CHECK_INT(compute(&si, &f, &l, &why), -EINVAL);
    CHECK(why && strstr(why, "xenstore"));
}

/* Each case breaks one field of a good layout. */
UNIT_TEST(test_each_bad_field_is_named)
{
    struct start_info si;
    struct boot_layout_facts f;
    struct boot_layout l;
    const char *why;

    good(&si, &f);
    si.nr_pages = 0;
    CHECK_INT(compute(&si, &f, &l, &why), -EINVAL);
    CHECK(why && strstr(why, "nr_pages"));

    good(&si, &f);
    si.mfn_list = 0x16008; /* not page-aligned */
    CHECK_INT(compute(&si, &f, &l, &why), -EINVAL);
    CHECK(why && strstr(why, "mfn_list"));

    good(&si, &f);
    si.mfn_list = 8191UL * 4096; /* the list runs past the last page */
    CHECK_INT(compute(&si, &f, &l, &why), -EINVAL);
    CHECK(why && strstr(why, "mfn_list"));

    good(&si, &f);
    si.pt_base = ~0UL << 12; /* wraps around */
    CHECK_INT(compute(&si, &f, &l, &why), -EINVAL);
    CHECK(why && strstr(why, "pt_base"));

    good(&si, &f);
    si.nr_pt_frames = 2; /* four levels need four tables */
    CHECK_INT(compute(&si, &f, &l, &why), -EINVAL);
    CHECK(why && strstr(why, "nr_pt_frames"));

    good(&si, &f);
    si.mod_start = 0x1f00000;
    si.mod_len = 0x200000; /* runs past the end of the domain */
    CHECK_INT(compute(&si, &f, &l, &why), -EINVAL);
    CHECK(why && strstr(why, "mod_start"));

    good(&si, &f);
    f.start_info_va = 0x4000000;
    CHECK_INT(compute(&si, &f, &l, &why), -EINVAL);
    CHECK(why && strstr(why, "start_info itself"));

    good(&si, &f);
    f.console_pfn = 9000;
    CHECK_INT(compute(&si, &f, &l, &why), -EINVAL);
    CHECK(why && strstr(why, "console"));

    good(&si, &f);
    si.mfn_list = 0x10000; /* over the image */
    CHECK_INT(compute(&si, &f, &l, &why), -EINVAL);
    CHECK(why && strstr(why, "overlaps the kernel image"));
}

UNIT_TEST(test_too_few_pages_is_refused)
{
    struct start_info si;
    struct boot_layout_facts f;
    struct boot_layout l;
    const char *why;
    unsigned long nr;

    /* The smallest domain that works, found by search, and one page less fails. */
    for (nr = 0x40; nr < 8192; nr++) {
        good(&si, &f);
        si.nr_pages = nr;
        si.mfn_list = 0x16000;
        if (compute(&si, &f, &l, &why) == 0)
            break;
    }
    CHECK(nr > 0x2d + BOOT_LAYOUT_MIN_FREE_PAGES);
    CHECK(nr < 8192);
    good(&si, &f);
    si.nr_pages = nr - 1;
    CHECK_INT(compute(&si, &f, &l, &why), -ENOMEM);
    CHECK(why && strstr(why, "too few pages"));
}

int main(void)
{
    static const struct unit_test tests[] = {
        UNIT_ENTRY(test_xen_layout_is_accepted),
        UNIT_ENTRY(test_module_and_domu_pages_are_reserved),
        UNIT_ENTRY(test_ring_pages_span_the_pages_present),
        UNIT_ENTRY(test_each_bad_field_is_named),
        UNIT_ENTRY(test_too_few_pages_is_refused),
    };
    return unit_main(tests, UNIT_COUNT(tests));
}
