/*
 * spin — CPU-bound for ever: the loop of apps/cpu_bench (xorshift fill of a
 * 1 KiB buffer, then a bitwise CRC-32 over it), repeated without end and
 * without system calls, so the process uses every cycle the scheduler gives
 * it (the kernel preempts it at each 10 ms timeslice).  bench/system.sh runs
 * it for a fixed virtual time (--time-limit) and reports the real-time
 * factor: virtual seconds per host second.  The checksum goes to a volatile
 * so that the compiler keeps the work.
 */
#include <stdint.h>

#define WORDS 256

static uint32_t data[WORDS];
volatile uint32_t spin_sink;

static uint32_t crc32_words(const uint32_t *w, int n, uint32_t crc)
{
    for (int i = 0; i < n; i++) {
        crc ^= w[i];
        for (int b = 0; b < 32; b++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return crc;
}

int main(void)
{
    uint32_t x = 2463534242u, crc = 0xffffffffu;
    for (;;) {
        for (int i = 0; i < WORDS; i++) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            data[i] = x;
        }
        crc = crc32_words(data, WORDS, crc);
        spin_sink = crc;
    }
}
