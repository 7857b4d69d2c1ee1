/*
 * For libFuzzer targets (tests/fuzz.mk): REQUIRE states a promise the code under test
 * makes; a broken one aborts, which libFuzzer reports as a crash and keeps the input.
 * Include after the standard headers.
 */
#ifndef LIB_TESTS_FUZZ_H
#define LIB_TESTS_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define REQUIRE(cond)                                                                              \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: REQUIRE(%s) failed\n", __FILE__, __LINE__, #cond);             \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* The fuzzer's input, taken a byte at a time; past its end, every byte is 0. */
struct fuzz_input {
    const uint8_t *data;
    size_t size, pos;
};

static inline void fuzz_input_init(struct fuzz_input *in, const uint8_t *data, size_t size)
{
    in->data = data;
    in->size = size;
    in->pos = 0;
}

static inline bool fuzz_input_left(const struct fuzz_input *in)
{
    return in->pos < in->size;
}

static inline uint8_t fuzz_u8(struct fuzz_input *in)
{
    return in->pos < in->size ? in->data[in->pos++] : 0;
}

/* Four bytes, most significant first. */
static inline uint32_t fuzz_u32(struct fuzz_input *in)
{
    uint32_t v = 0;

    for (int i = 0; i < 4; i++)
        v = v << 8 | fuzz_u8(in);
    return v;
}

#endif
