/*
 * cpu_bench — a CPU-bound loop (xorshift + CRC-32 over a buffer), timed with
 * the alarm; prints the checksum and the elapsed time.
 */
#include <alarm.h>
#include <stdint.h>
#include <stdio.h>

#define ROUNDS 200
#define WORDS 256

static uint32_t data[WORDS];

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
    uint32_t freq = 0, t0 = 0, t1 = 0;
    alarm_command_frequency(&freq);
    alarm_command_read(&t0);

    uint32_t x = 2463534242u, crc = 0xffffffffu;
    for (int r = 0; r < ROUNDS; r++) {
        for (int i = 0; i < WORDS; i++) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            data[i] = x;
        }
        crc = crc32_words(data, WORDS, crc);
    }
    crc = ~crc;

    alarm_command_read(&t1);
    uint32_t ticks = t1 - t0;
    printf("cpu_bench: %d rounds x %d words, checksum 0x%08lx\n", ROUNDS, WORDS,
           (unsigned long)crc);
    printf("cpu_bench: %lu ticks at %lu Hz = %lu ms\n", (unsigned long)ticks,
           (unsigned long)freq, (unsigned long)(freq ? alarm_ticks_to_ms(ticks) : 0));
    return 0;
}
