/*
 * crc32.c — benchmark workload: bitwise (table-less) CRC-32 over a 4 KiB
 * buffer, repeated.  A tight loop of shifts, conditional XORs and byte loads:
 * the cost is almost all in the ALU and in branches.
 *
 * The buffer lives in RAM and is filled from a fixed xorshift sequence; the
 * CRC runs on over it PASSES times, chaining the running value from one pass
 * to the next so that no pass can be skipped.  About 500 M instructions.
 *
 * Output: a self-test of the CRC routine on "123456789" (0xcbf43926, the
 * standard check value), then one "CHECKSUM crc32 xxxxxxxx" line that
 * bench/run.sh compares across engines.  Exits 0, or 1 if the self-test fails.
 */
#include <stdint.h>

#include "semihost.h"

#define BUF_SIZE 4096u
#define PASSES 2710u

static uint8_t buf[BUF_SIZE];

/* reflected CRC-32 (IEEE 802.3, polynomial 0xEDB88320), one bit at a time;
 * `crc` is the running (pre-inverted) register */
static uint32_t crc32_update(uint32_t crc, const uint8_t *p, uint32_t n)
{
    while (n--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return crc;
}

static void fill(uint8_t *p, uint32_t n)
{
    uint32_t x = 0x2545F491u;
    for (uint32_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        p[i] = (uint8_t)(x >> 11);
    }
}

int main(void)
{
    static const uint8_t check[] = "123456789";
    uint32_t c = ~crc32_update(0xFFFFFFFFu, check, 9);
    if (c != 0xCBF43926u) {
        sh_printf("crc32: self-test FAILED: crc(\"123456789\") = %x, expected cbf43926\n",
                  (unsigned)c);
        return 1;
    }

    fill(buf, BUF_SIZE);
    uint32_t crc = 0xFFFFFFFFu;
    for (uint32_t pass = 0; pass < PASSES; pass++)
        crc = crc32_update(crc, buf, BUF_SIZE);
    crc = ~crc;

    sh_printf("crc32: %u passes over %u bytes\n", (unsigned)PASSES, (unsigned)BUF_SIZE);
    sh_printf("CHECKSUM crc32 %x\n", (unsigned)crc);
    return 0;
}
