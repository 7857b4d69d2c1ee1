/*
 * Virtual NMIs: Xen delivers them through CALLBACKTYPE_nmi (xen/callback.h) when the
 * toolstack asks (`xl trigger DOMAIN nmi`) or a vCPU sends one (VCPUOP_send_nmi,
 * xen/vcpu.h). Each is counted and reported in one line, and the interrupted code
 * goes on.
 */
#ifndef ARCH_NMI_H
#define ARCH_NMI_H

#include "arch/traps.h"

/* From arch/x86/traps.c:trap_dispatch, for vector 2. */
void nmi_handle(struct trap_frame *frame);
/* NMIs received since boot. */
unsigned long nmi_count(void);

#endif
