/*
 * The names of the exception vectors, kept apart from the fault report so that host
 * tests can check the table.
 */
#include <stddef.h>

#include "arch/traps.h"
#include "arch/x86/trap_names.h"

/*
 * Mnemonic and name of each vector (Intel SDM vol. 3, table 6-1). Vector 9 has had no
 * mnemonic since the 486; the x87 error (#MF) moved to vector 16.
 */
static const char *const trap_names[TRAP_NR_VECTORS][2] = {
    [0] = {"#DE", "divide error"},
    [1] = {"#DB", "debug"},
    [2] = {"NMI", "non-maskable interrupt"},
    [3] = {"#BP", "breakpoint"},
    [4] = {"#OF", "overflow"},
    [5] = {"#BR", "bound range exceeded"},
    [6] = {"#UD", "invalid opcode"},
    [7] = {"#NM", "device not available"},
    [8] = {"#DF", "double fault"},
    [9] = {NULL, "coprocessor segment overrun (reserved)"},
    [10] = {"#TS", "invalid TSS"},
    [11] = {"#NP", "segment not present"},
    [12] = {"#SS", "stack-segment fault"},
    [13] = {"#GP", "general protection fault"},
    [14] = {"#PF", "page fault"},
    [15] = {NULL, "reserved"},
    [16] = {"#MF", "x87 floating-point error"},
    [17] = {"#AC", "alignment check"},
    [18] = {"#MC", "machine check"},
    [19] = {"#XM", "SIMD floating-point error"},
    [20] = {"#VE", "virtualization exception"},
    [21] = {"#CP", "control protection"},
    [28] = {"#HV", "hypervisor injection"},
    [29] = {"#VC", "VMM communication"},
    [30] = {"#SX", "security exception"},
};

const char *trap_name(unsigned int vector)
{
    if (vector == TRAP_EVENT_UPCALL)
        return "event upcall";
    if (vector == TRAP_FAILSAFE)
        return "failsafe callback (Xen could not restore the guest's segments)";
    if (vector < TRAP_NR_VECTORS && trap_names[vector][1])
        return trap_names[vector][1];
    return "reserved";
}

const char *trap_mnemonic(unsigned int vector)
{
    if (vector < TRAP_NR_VECTORS && trap_names[vector][0])
        return trap_names[vector][0];
    return "--";
}
