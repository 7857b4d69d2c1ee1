/*
 * x86 CPU primitives: one small inline per instruction, and the barriers.
 */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include <stdint.h>

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static inline void cpuid(uint32_t leaf, uint32_t *eax, uint32_t *ebx, uint32_t *ecx, uint32_t *edx)
{
    asm volatile("cpuid" : "=a"(*eax), "=b"(*ebx), "=c"(*ecx), "=d"(*edx) : "a"(leaf), "c"(0));
}

static inline uintptr_t read_rbp(void)
{
    uintptr_t rbp;

    asm volatile("mov %%rbp, %0" : "=r"(rbp));
    return rbp;
}

/* Ordering against another domain on another CPU sharing memory. */
#define mb()      asm volatile("mfence" ::: "memory")
#define rmb()     asm volatile("lfence" ::: "memory")
#define wmb()     asm volatile("sfence" ::: "memory")
#define barrier() asm volatile("" ::: "memory")

#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))

#endif
