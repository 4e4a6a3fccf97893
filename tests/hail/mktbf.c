/*
 * mktbf.c — TEST-ONLY: wraps a raw binary into a minimal TBF v2 object for
 * the end-to-end tests of tests/hail/ (the real elf2tbf arrives later).
 *
 *     mktbf NAME BINARY OUT.tbf [MIN_RAM]
 *
 * Header: base (16 bytes) + Program (init_fn_offset 0: the entry point is
 * the first byte of the binary; no protected trailer; binary_end_offset =
 * header + binary) + PackageName + KernelVersion 2.2, checksum = XOR of the
 * header words except word 3.  Flags: Enabled.  total_size is a power of
 * two, at least 512 bytes (like elf2tab for ARM), padded with zeros.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint8_t out[1 << 16];

static void put16(uint32_t at, uint32_t v) { out[at] = (uint8_t)v; out[at + 1] = (uint8_t)(v >> 8); }
static void put32(uint32_t at, uint32_t v) { put16(at, v & 0xFFFF); put16(at + 2, v >> 16); }

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: mktbf NAME BINARY OUT.tbf [MIN_RAM]\n");
        return 2;
    }
    const char *name = argv[1];
    uint32_t nlen = (uint32_t)strlen(name), min_ram = argc > 4 ? (uint32_t)strtoul(argv[4], NULL, 0) : 1024;
    uint32_t hdr = 16 + 24 + 4 + ((nlen + 3) & ~3u) + 8;
    FILE *f = fopen(argv[2], "rb");
    if (!f) {
        perror(argv[2]);
        return 1;
    }
    size_t blen = fread(out + hdr, 1, sizeof out - hdr, f);
    fclose(f);
    uint32_t total = 512;
    while (total < hdr + blen)
        total *= 2;
    put16(0, 2);                        /* version */
    put16(2, hdr);                      /* header_size */
    put32(4, total);
    put32(8, 1);                        /* flags: enabled */
    put16(16, 9); put16(18, 20);        /* Program */
    put32(20, 0); put32(24, 0); put32(28, min_ram); put32(32, hdr + (uint32_t)blen); put32(36, 0);
    put16(40, 3); put16(42, nlen);      /* PackageName */
    memcpy(out + 44, name, nlen);
    uint32_t kv = 44 + ((nlen + 3) & ~3u);
    put16(kv, 8); put16(kv + 2, 4); put16(kv + 4, 2); put16(kv + 6, 2);   /* KernelVersion 2.2 */
    uint32_t sum = 0;
    for (uint32_t w = 0; w < hdr / 4; w++)
        if (w != 3)
            sum ^= (uint32_t)out[4 * w] | (uint32_t)out[4 * w + 1] << 8 | (uint32_t)out[4 * w + 2] << 16 |
                   (uint32_t)out[4 * w + 3] << 24;
    put32(12, sum);
    f = fopen(argv[3], "wb");
    if (!f || fwrite(out, 1, total, f) != total || fclose(f)) {
        perror(argv[3]);
        return 1;
    }
    return 0;
}
