/*
 * What each exception vector is called: the short mnemonic (#PF) and the name the
 * fault report prints (page fault).
 */
#ifndef ARCH_X86_TRAP_NAMES_H
#define ARCH_X86_TRAP_NAMES_H

/*
 * A vector below TRAP_NR_VECTORS, or TRAP_EVENT_UPCALL or TRAP_FAILSAFE
 * (arch/x86/include/arch/traps.h).
 */
const char *trap_name(unsigned int vector);
/* "--" for a vector that has none (reserved ones, and vector 9). */
const char *trap_mnemonic(unsigned int vector);

#endif
