/*
 * Host builds only: give lib/'s functions that share a name with the C
 * library a lib_ prefix, so a host test program can link them next to glibc
 * (and ASan's interceptors of the same names) and compare the two.
 *
 * lib/ sources are compiled with `-include lib/tests/host_names.h`, so their
 * symbols are lib_memcpy, lib_vsnprintf, ... A test file includes this file
 * itself before the lib/ headers, so those declare the lib_ names, then
 * includes it again with HOST_NAMES_RESTORE defined, which removes the
 * macros: after that the standard names mean glibc's functions again and the
 * test can include <stdio.h> and <string.h>. That is why there is no include
 * guard.
 */
#ifndef HOST_NAMES_RESTORE

#define memcpy    lib_memcpy
#define memmove   lib_memmove
#define memset    lib_memset
#define memcmp    lib_memcmp
#define strlen    lib_strlen
#define strnlen   lib_strnlen
#define strcmp    lib_strcmp
#define strncmp   lib_strncmp
#define strchr    lib_strchr
#define strrchr   lib_strrchr
#define strlcpy   lib_strlcpy
#define vsnprintf lib_vsnprintf
#define snprintf  lib_snprintf

#else

#undef memcpy
#undef memmove
#undef memset
#undef memcmp
#undef strlen
#undef strnlen
#undef strcmp
#undef strncmp
#undef strchr
#undef strrchr
#undef strlcpy
#undef vsnprintf
#undef snprintf
#undef HOST_NAMES_RESTORE

#endif
