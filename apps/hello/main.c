/*
 * hello: the smallest application. It says hello and tells what it runs on.
 */
#include <xen/version.h>

#include "lib/printk.h"
#include "arch/x86/hypercall.h"
#include "arch/x86/setup.h"
#include "kernel/app.h"

int app_main(void)
{
    long version = hypercall_xen_version(XENVER_version, NULL);
    xen_extraversion_t extra = {0};

    hypercall_xen_version(XENVER_extraversion, extra);
    printk("Hello, world! This is Mini-OS on Xen %ld.%ld%.*s, as a %s with %lu MiB.\n",
           version >> 16, version & 0xffff, (int)sizeof(extra), extra,
           start_info->flags & SIF_INITDOMAIN ? "dom0" : "domU", start_info->nr_pages >> 8);
    return 0;
}
