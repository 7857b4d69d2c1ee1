/*
 * <stdlib.h> for lwIP's files, which include it by that name. lwIP needs atoi alone
 * (netif_find, for the number in a name such as "en0"); its memory comes from the
 * kernel's heap (net/lwipopts.h), never malloc.
 */
#ifndef NET_LIBC_STDLIB_H
#define NET_LIBC_STDLIB_H

#include "lib/string.h"

/* The decimal number at the start of s; 0 when there is none (C's atoi, less signs). */
static inline int atoi(const char *s)
{
    unsigned long value = 0;
    size_t digits = 0;
    while (s[digits] >= '0' && s[digits] <= '9')
        digits++;
    if (digits == 0 || parse_ulong(s, digits, 10, &value) != 0 || value > INT32_MAX)
        return 0;
    return (int)value;
}

#endif
