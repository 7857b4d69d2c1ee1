/*
 * The report printed when an exception cannot be handled.
 */
#ifndef ARCH_X86_FAULT_REPORT_H
#define ARCH_X86_FAULT_REPORT_H

#include "arch/x86/traps.h"

void fault_report(const struct trap_frame *frame);

#endif
