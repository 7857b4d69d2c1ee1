/*
 * For libFuzzer targets (tests/fuzz.mk): REQUIRE states a promise the code under test
 * makes; a broken one aborts, which libFuzzer reports as a crash and keeps the input.
 * Include after the standard headers.
 */
#ifndef LIB_TESTS_FUZZ_H
#define LIB_TESTS_FUZZ_H

#include <stdio.h>
#include <stdlib.h>

#define REQUIRE(cond)                                                                              \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: REQUIRE(%s) failed\n", __FILE__, __LINE__, #cond);             \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

#endif
