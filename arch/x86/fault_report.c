/*
 * The fatal fault report: which exception, why, where, every register, and how the
 * kernel got there. Printed once, before the domain is shut down as crashed.
 */
#include "lib/printk.h"
#include "arch/backtrace.h"
#include "arch/fault_address.h"
#include "arch/fault_report.h"
#include "arch/x86/trap_names.h"

/* Page-fault error code bits (Intel SDM vol. 3, 4.7). */
static void report_page_fault(uint64_t error_code)
{
    unsigned long cr2 = fault_address();

    printk("Fault address (cr2): %016lx\n", cr2);
    printk("Access: %s, %s page%s%s\n",
           error_code & (1 << 4)   ? "instruction fetch"
           : error_code & (1 << 1) ? "data write"
                                   : "data read",
           error_code & (1 << 0) ? "protection violation on a present" : "not-present",
           error_code & (1 << 3) ? ", reserved bit set" : "",
           error_code & (1 << 5) ? ", protection key" : "");
}

static void report_symbol(const char *label, uint64_t addr)
{
    uintptr_t off;
    const char *name = kernel_symbol_lookup(addr, &off);

    if (name)
        printk("%s: %016lx %s+0x%lx\n", label, addr, name, off);
    else
        printk("%s: %016lx (outside the kernel's text)\n", label, addr);
}

static void report_registers(const struct trap_frame *f)
{
    printk("rax: %016lx  rbx: %016lx  rcx: %016lx\n", f->rax, f->rbx, f->rcx);
    printk("rdx: %016lx  rsi: %016lx  rdi: %016lx\n", f->rdx, f->rsi, f->rdi);
    printk("rbp: %016lx  rsp: %016lx  r8:  %016lx\n", f->rbp, f->rsp, f->r8);
    printk("r9:  %016lx  r10: %016lx  r11: %016lx\n", f->r9, f->r10, f->r11);
    printk("r12: %016lx  r13: %016lx  r14: %016lx\n", f->r12, f->r13, f->r14);
    printk("r15: %016lx  rflags: %016lx\n", f->r15, f->rflags);
    /* A PV guest's saved cs holds the interrupted event mask in bits 32-39, from Xen. */
    printk("cs: %04lx  ss: %04lx\n", f->cs & 0xffff, f->ss & 0xffff);
}

static fault_context_fn context_fn;

void fault_report_set_context(fault_context_fn fn)
{
    context_fn = fn;
}

void fault_report_context(bool have_fault_addr, uintptr_t fault_addr)
{
    if (context_fn)
        context_fn(have_fault_addr, fault_addr);
}

void fault_report(const struct trap_frame *f)
{
    printk("\n*** Fatal exception: %s %s (vector %lu), error code %#lx\n", trap_mnemonic(f->vector),
           trap_name(f->vector), f->vector, f->error_code);
    if (f->vector == TRAP_PAGE_FAULT)
        report_page_fault(f->error_code);
    report_symbol("rip", f->rip);
    fault_report_context(f->vector == TRAP_PAGE_FAULT, fault_address());
    report_registers(f);
    /* The faulting function first: its return address is not on the stack. */
    report_symbol("Faulting function", f->rip);
    backtrace_print(f->rbp);
    printk("Shutting the domain down as crashed (SHUTDOWN_crash)\n");
}
