/*
 * Installing a PV guest's virtual trap table and Xen's callbacks, once, at start of
 * day (arch/x86/pv/setup.c:arch_init).
 */
#ifndef ARCH_TRAP_TABLE_H
#define ARCH_TRAP_TABLE_H

/* Panics if Xen refuses the table or a callback. */
void trap_table_init(void);

#endif
