/*
 * What Xen handed over, read from the kernel's copy of start_info (xen/xen.h): the
 * PV side of "arch/boot_info.h".
 */
#include <xen/xen.h>

#include "lib/escape.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "arch/boot_info.h"
#include "arch/page.h"
#include "arch/setup.h"

bool boot_is_initial_domain(void)
{
    return start_info->flags & SIF_INITDOMAIN;
}

unsigned long boot_nr_pages(void)
{
    return start_info->nr_pages;
}

const char *boot_cmdline(size_t *size)
{
    *size = sizeof(start_info->cmd_line);
    return (const char *)start_info->cmd_line;
}

bool boot_console_ring(struct boot_ring *ring)
{
    if (boot_is_initial_domain())
        return false;
    *ring = (struct boot_ring){
        .page = mfn_to_virt(start_info->console.domU.mfn),
        .port = start_info->console.domU.evtchn,
    };
    return true;
}

bool boot_xenstore_ring(struct boot_ring *ring)
{
    /* The initial domain starts before any xenstored exists. */
    if (boot_is_initial_domain() || start_info->store_mfn == 0)
        return false;
    *ring = (struct boot_ring){
        .page = mfn_to_virt(start_info->store_mfn),
        .port = start_info->store_evtchn,
    };
    return true;
}

/* Where Xen put start_info, and what it holds, read from the kernel's copy. */
void boot_info_print(void)
{
    /*
     * The command line is whoever configured the domain's: printed escaped
     * (lib/escape.h). printk's lines hold less than 1024 characters anyway, so a long
     * one ends in "..." here. (The start of day runs on the 64 KiB boot stack.)
     */
    char cmd_line[400];
    const struct start_info *si = start_info;

    printk("start_info: %p\n", (const void *)start_info_xen_va);
    printk("  magic:        %.32s\n", si->magic);
    printk("  nr_pages:     %lu (%lu MiB)\n", si->nr_pages, si->nr_pages >> 8);
    printk("  shared_info:  %#lx (machine address)\n", si->shared_info);
    printk("  flags:        %#x%s%s\n", si->flags, si->flags & SIF_PRIVILEGED ? " privileged" : "",
           si->flags & SIF_INITDOMAIN ? " initdomain" : "");
    printk("  store:        mfn %#lx, evtchn %u\n", (unsigned long)si->store_mfn, si->store_evtchn);
    if (si->flags & SIF_INITDOMAIN)
        printk("  console:      dom0 console_info at offset %#x, size %u\n",
               si->console.dom0.info_off, si->console.dom0.info_size);
    else
        printk("  console:      mfn %#lx, evtchn %u\n", (unsigned long)si->console.domU.mfn,
               si->console.domU.evtchn);
    printk("  pt_base:      %#lx\n", si->pt_base);
    printk("  nr_pt_frames: %lu\n", si->nr_pt_frames);
    printk("  mfn_list:     %#lx\n", si->mfn_list);
    printk("  mod_start:    %#lx\n", si->mod_start);
    printk("  mod_len:      %lu\n", si->mod_len);
    printk("  cmd_line:     %s\n",
           escape_text(cmd_line, sizeof(cmd_line), (const char *)si->cmd_line,
                       strnlen((const char *)si->cmd_line, sizeof(si->cmd_line))));
}
