/*
 * fuzz_tbf_inspect.c — libFuzzer target: elf2tbf's TBF decoder
 * (tools/tbf_write.c: tbf_parse and tbf_inspect, `elf2tbf --inspect`) on
 * arbitrary bytes, printed to /dev/null.  Input: one mode byte (see
 * fix_checksum), then the bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "tbf_write.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The first input byte is a mode: bit 0 set = store the correct header
 * checksum (word 3) before parsing, so mutations get past the checksum test
 * and reach the TLVs.  The rest of the input is the object. */
static void fix_checksum(uint8_t *b, size_t size)
{
    if (size < 16)
        return;
    uint32_t hs = (uint32_t)b[2] | (uint32_t)b[3] << 8, sum = 0;
    if (hs > size)
        hs = (uint32_t)size;
    for (uint32_t off = 0; off < hs; off += 4) {
        uint32_t w = 0;
        for (uint32_t i = 0; i < 4 && off + i < hs; i++)
            w |= (uint32_t)b[off + i] << (8 * i);
        if (off != 12)
            sum ^= w;
    }
    for (int i = 0; i < 4; i++)
        b[12 + i] = (uint8_t)(sum >> (8 * i));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *null;
    struct tbf_info info;
    char err[512];
    if (!null)
        null = fopen("/dev/null", "w");
    if (size == 0)
        return 0;
    int mode = data[0];
    data++;
    size--;
    uint8_t *buf = malloc(size ? size : 1);     /* exactly `size` bytes for ASan */
    if (!buf)
        return 0;
    for (size_t i = 0; i < size; i++)
        buf[i] = data[i];
    if (mode & 1)
        fix_checksum(buf, size);
    int a = tbf_parse("fuzz.tbf", buf, size, &info, err, sizeof err);
    int b = tbf_inspect("fuzz.tbf", buf, size, null, err, sizeof err);
    if ((a == 0) != (b == 0))
        abort();                                /* --inspect and the parser must agree */
    free(buf);
    return 0;
}
