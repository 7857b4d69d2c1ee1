/*
 * <string.h> for lwIP's files, which include it by that name: the kernel's own
 * (lib/string.h).
 */
#ifndef NET_LIBC_STRING_H
#define NET_LIBC_STRING_H

#include "lib/string.h"

#endif
