/*
 * fuzz_tbf.c — libFuzzer target: the kernel's TBF header parser
 * (kernel/tbf.c, tbf_parse), host-compiled with -DKERNEL_HOST_TEST.
 * Input: one mode byte (see fix_checksum), then the object.
 * The input is the app-flash bytes from the start of one object.  On any
 * status the fields the kernel then uses must lie inside the buffer: the
 * package name is read byte by byte (ASan checks the pointer), and for an
 * OK app the offsets are checked against total_size like process.c uses them.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "kernel/tbf.h"

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
    struct tbf_header h;
    const char *why = NULL;
    if (size == 0)
        return 0;
    int mode = data[0];
    data++;
    size--;
    uint32_t avail = size > UINT32_MAX ? UINT32_MAX : (uint32_t)size;
    /* a copy of exactly `size` bytes: ASan sees any read past the end */
    uint8_t *buf = malloc(size ? size : 1);
    if (!buf)
        return 0;
    for (size_t i = 0; i < size; i++)
        buf[i] = data[i];
    if (mode & 1)
        fix_checksum(buf, size);
    enum tbf_status st = tbf_parse(buf, avail, 2, 2, &h, &why);
    if (!why)
        abort();                                /* every status has a reason */
    volatile uint32_t sink = 0;
    if (h.name) {
        if ((const uint8_t *)h.name < buf || (const uint8_t *)h.name + h.name_len > buf + size)
            abort();
        for (uint16_t i = 0; i < h.name_len; i++)
            sink += (uint8_t)h.name[i];
    }
    if (st == TBF_OK) {
        if (h.header_size > h.total_size || h.total_size > avail)
            abort();
        if ((uint64_t)h.header_size + h.init_fn_offset >= h.total_size)
            abort();
        if (h.binary_end_offset > h.total_size)
            abort();
        if (h.n_wfr < 0 || h.n_wfr > TBF_MAX_WFR)
            abort();
    }
    (void)sink;
    free(buf);
    return 0;
}
