/*
 * lwIP's compiler and platform header (lwip/arch.h includes "arch/cc.h"): what a
 * freestanding kernel gives lwIP in place of a C library. The kernel has no
 * <inttypes.h>, <ctype.h>, <limits.h> or <unistd.h>: lwIP's own switches leave them
 * out, and the formats, limits and types they would bring are given here.
 */
#ifndef NET_ARCH_CC_H
#define NET_ARCH_CC_H

#include <stddef.h>
#include <stdint.h>

#include "lib/panic.h"
#include "lib/printk.h"

/* x86 is little-endian; lwIP swaps bytes itself unless told otherwise. */
#define BYTE_ORDER LITTLE_ENDIAN

#define LWIP_NO_INTTYPES_H 1
#define LWIP_NO_CTYPE_H    1
#define LWIP_NO_LIMITS_H   1
#define LWIP_NO_UNISTD_H   1

/* The one limit lwIP uses, from the compiler (as gcc's <limits.h> would give it). */
#define INT_MAX __INT_MAX__

/* printk's formats for lwIP's types (what <inttypes.h> would have named). */
#define X8_F  "02x"
#define U16_F "u"
#define S16_F "d"
#define X16_F "x"
#define U32_F "u"
#define S32_F "d"
#define X32_F "x"
#define SZT_F "zu"

/* Byte counts of socket calls: as wide as a pointer, like POSIX's. */
typedef long ssize_t;
#define SSIZE_MAX __LONG_MAX__

/* lwIP's diagnostics go to the console; a failed assertion is a kernel bug. */
#define LWIP_PLATFORM_DIAG(x)                                                                      \
    do {                                                                                           \
        printk x;                                                                                  \
    } while (0)
#define LWIP_PLATFORM_ASSERT(x)                                                                    \
    panic("lwIP: assertion \"%s\" failed at %s:%d", x, __FILE__, __LINE__)

/* Initial sequence numbers, ports and DHCP transaction ids (net/arch/sys_arch.c). */
uint32_t sys_random(void);
#define LWIP_RAND() sys_random()

#endif
