/*
 * alu.c — benchmark workload: a register-only arithmetic loop.  Adds, XORs,
 * shifts, rotates, 32- and 64-bit multiplies, multiply-accumulate, bit
 * counting; no loads or stores inside the loop (all state is in registers).
 * The state variables feed each other, so the compiler cannot collapse the
 * loop.  About 500 M instructions.
 *
 * Output: one "CHECKSUM alu xxxxxxxx" line; exits 0.
 */
#include <stdint.h>

#include "semihost.h"

#define ITERATIONS 27800000u

static inline uint32_t rotl(uint32_t x, unsigned r)
{
    return (x << r) | (x >> (32u - r));
}

/* noinline keeps the loop in one function and the state in registers */
__attribute__((noinline)) static uint32_t alu_loop(uint32_t n, uint32_t seed)
{
    uint32_t a = seed, b = 0x9E3779B9u, c = 0x7F4A7C15u, d = 0xBB67AE85u;
    for (uint32_t i = 0; i < n; i++) {
        a += b ^ (c >> 3);
        b = rotl(b ^ a, 7) + i;
        c = c * 0x2C1B3C6Du + d;                     /* mul + add */
        uint64_t m = (uint64_t)a * (uint64_t)(d | 1u); /* umull */
        d ^= (uint32_t)(m >> 32) + (uint32_t)m;
        a = a - (d << 2) + (c >> 29);
        b += (uint32_t)__builtin_clz(c | 1u);        /* clz */
    }
    return a ^ b ^ c ^ d;
}

int main(void)
{
    uint32_t r = alu_loop(ITERATIONS, 0x12345678u);
    sh_printf("alu: %u iterations\n", (unsigned)ITERATIONS);
    sh_printf("CHECKSUM alu %x\n", (unsigned)r);
    return 0;
}
