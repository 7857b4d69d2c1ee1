/*
 * The report printed when an exception cannot be handled.
 */
#ifndef ARCH_FAULT_REPORT_H
#define ARCH_FAULT_REPORT_H

#include "arch/traps.h"

void fault_report(const struct trap_frame *frame);

/*
 * A higher layer says what was running (which thread, and whether a faulting address
 * lies in a stack's guard page): called by the fault report and by panic, with the
 * page-fault address when there is one.
 */
typedef void (*fault_context_fn)(bool have_fault_addr, uintptr_t fault_addr);
void fault_report_set_context(fault_context_fn fn);
void fault_report_context(bool have_fault_addr, uintptr_t fault_addr);

#endif
