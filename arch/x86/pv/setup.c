/*
 * The x86_64 PV start of day, in two steps around the console: arch/x86/pv/boot.S
 * calls arch_early_init before start_kernel, and start_kernel calls arch_init once
 * its console works (kernel/start_kernel.c).
 *
 * arch_early_init checks that Xen handed over a 64-bit PV start_info and keeps a copy
 * of it. arch_init maps the shared_info page, installs the trap table and callbacks,
 * and unmaps page 0 so that NULL pointer dereferences fault.
 */
#include <xen/xen.h>

#include "lib/panic.h"
#include "lib/string.h"
#include "arch/backtrace.h"
#include "arch/hypercall.h"
#include "arch/page.h"
#include "arch/pagetable.h"
#include "arch/pv_hypercall.h"
#include "arch/setup.h"
#include "arch/shutdown.h"
#include "arch/trap_table.h"

const struct start_info *start_info;
uintptr_t start_info_xen_va;

/*
 * A page of the image whose mapping is pointed at Xen's shared_info frame. Its own
 * frame is left unused (the p2m still names it): one page, not worth reclaiming.
 */
static uint8_t shared_info_page[PAGE_SIZE] PAGE_ALIGNED_BSS;
struct shared_info *const shared_info = (struct shared_info *)shared_info_page;

const unsigned long *arch_p2m;

/* The magic of a 64-bit PV start_info: "xen-<ABI version>-<platform>" (xen/xen.h). */
static const char start_info_magic[] = "xen-3.0-x86_64";

/* Before the console exists; console_io reaches the serial line as dom0. */
static void early_fatal(const char *msg)
{
    hypercall_console_io(CONSOLEIO_write, strlen(msg), msg);
    arch_crash();
}

static void map_shared_info(unsigned long machine_addr)
{
    uint64_t pte =
        (machine_addr & PAGE_MASK) | PTE_PRESENT | PTE_RW | PTE_ACCESSED | PTE_DIRTY | PTE_NX;
    int rc = hypercall_update_va_mapping((unsigned long)shared_info_page, pte, UVMF_INVLPG);

    if (rc)
        panic("mapping shared_info (machine address %#lx) failed: %d\n", machine_addr, rc);
}

void arch_early_init(const struct start_info *si)
{
    if (memcmp(si->magic, start_info_magic, sizeof(start_info_magic) - 1) != 0)
        early_fatal("Mini-OS: start_info magic is not xen-3.0-x86_64: not a 64-bit PV "
                    "start of day\n");
    start_info = si;
    start_info_xen_va = (uintptr_t)si;
    arch_p2m = (const unsigned long *)si->mfn_list;

    panic_set_handler(arch_panic_handler);
}

void arch_init(void)
{
    int rc;

    map_shared_info(start_info->shared_info);
    trap_table_init();

    /* Page 0 holds only _start (arch/x86/pv/boot.S), which has run. */
    rc = hypercall_update_va_mapping(0, 0, UVMF_INVLPG);
    if (rc)
        panic("unmapping page 0 failed: %d\n", rc);
}
