/*
 * store.c — benchmark workload: store-heavy.  Fills RAM arrays with
 * iterative Fibonacci-like sequences (the two previous terms stay in
 * registers, so the inner loops are almost nothing but stores): word stores,
 * then halfword and byte stores, then a pass that stores two words per
 * step.  A light read-back at the end of each round checks the data.
 * About 200 M instructions.
 *
 * Output: one "CHECKSUM store xxxxxxxx" line; exits 0.
 */
#include <stdint.h>

#include "semihost.h"

#define WORDS 4096u         /* 16 KiB */
#define HALVES 4096u        /* 8 KiB */
#define BYTES 4096u         /* 4 KiB */
#define ROUNDS 2080u

static volatile uint32_t round_seed = 1;    /* opaque to the optimiser */
static uint32_t w[WORDS];
static uint16_t h[HALVES];
static uint8_t by[BYTES];
static uint32_t pairs[WORDS];

__attribute__((noinline)) static void fill_words(uint32_t *p, uint32_t n, uint32_t a, uint32_t b)
{
    for (uint32_t i = 0; i < n; i++) {
        p[i] = a;
        uint32_t t = a + b;
        a = b;
        b = t;
    }
}

__attribute__((noinline)) static void fill_halves(uint16_t *p, uint32_t n, uint32_t a, uint32_t b)
{
    for (uint32_t i = 0; i < n; i++) {
        p[i] = (uint16_t)a;
        uint32_t t = a + b;
        a = b;
        b = t;
    }
}

__attribute__((noinline)) static void fill_bytes(uint8_t *p, uint32_t n, uint32_t a, uint32_t b)
{
    for (uint32_t i = 0; i < n; i++) {
        p[i] = (uint8_t)(a ^ i);
        uint32_t t = a + b;
        a = b;
        b = t;
    }
}

/* two words per step, in descending address order */
__attribute__((noinline)) static void fill_pairs(uint32_t *p, uint32_t n, uint32_t a, uint32_t b)
{
    for (uint32_t i = n; i >= 2; i -= 2) {
        p[i - 1] = a;
        p[i - 2] = b;
        a += b;
        b += a;
    }
}

int main(void)
{
    uint32_t sum = 0;
    for (uint32_t r = 0; r < ROUNDS; r++) {
        uint32_t s = round_seed + r;
        fill_words(w, WORDS, s, 1);
        fill_halves(h, HALVES, s, 3);
        fill_bytes(by, BYTES, s, 7);
        fill_pairs(pairs, WORDS, s, 11);
        /* sample the results (a few loads per round, not a full scan) */
        uint32_t k = (r * 97u) % WORDS;
        sum = (sum << 5 | sum >> 27) ^ w[k] ^ h[k % HALVES] ^ by[k % BYTES] ^ pairs[k];
        sum += w[WORDS - 1] + pairs[0];
    }
    /* final full fold, to cover every element once */
    for (uint32_t i = 0; i < WORDS; i++)
        sum = (sum ^ w[i] ^ pairs[i]) * 0x01000193u;
    for (uint32_t i = 0; i < HALVES; i++)
        sum = (sum ^ h[i]) * 0x01000193u;
    for (uint32_t i = 0; i < BYTES; i++)
        sum = (sum ^ by[i]) * 0x01000193u;

    sh_printf("store: %u rounds\n", (unsigned)ROUNDS);
    sh_printf("CHECKSUM store %x\n", (unsigned)sum);
    return 0;
}
