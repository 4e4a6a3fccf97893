/*
 * tbf.c — parsing and validation of one Tock Binary Format v2 header
 * (tock-abi.md §5).  Pure function on a byte buffer: every read is bounds
 * checked against `avail` (and against header_size for the TLVs), so any
 * byte sequence is safe to hand in.  Little-endian fields, read bytewise.
 */
#include "kernel/tbf.h"

#include <string.h>

enum {
    TLV_MAIN = 1, TLV_WFR = 2, TLV_PACKAGE_NAME = 3, TLV_FIXED_ADDRESSES = 5,
    TLV_KERNEL_VERSION = 8, TLV_PROGRAM = 9, TLV_SHORT_ID = 10,
};

#define TBF_BASE_SIZE 16u
#define TBF_FLAG_ENABLED 1u

static uint32_t rd16(const uint8_t *b) { return (uint32_t)b[0] | (uint32_t)b[1] << 8; }
static uint32_t rd32(const uint8_t *b) { return rd16(b) | rd16(b + 2) << 16; }

static enum tbf_status fail(const char **why, enum tbf_status st, const char *text)
{
    if (why)
        *why = text;
    return st;
}

/* XOR of every LE word of the header except word 3; a partial last word is zero-extended. */
static uint32_t header_checksum(const uint8_t *buf, uint32_t size)
{
    uint32_t sum = 0;
    for (uint32_t off = 0; off < size; off += 4) {
        uint8_t w[4] = { 0, 0, 0, 0 };
        uint32_t n = size - off < 4 ? size - off : 4;
        memcpy(w, buf + off, n);
        if (off != 12)
            sum ^= rd32(w);
    }
    return sum;
}

/* Main (12 bytes) and Program (20 bytes) share their first three words. */
static void parse_main(struct tbf_header *h, const uint8_t *v)
{
    h->init_fn_offset = rd32(v);
    h->protected_trailer_size = rd32(v + 4);
    h->minimum_ram_size = rd32(v + 8);
}

static enum tbf_status parse_wfr(struct tbf_header *h, const uint8_t *v, uint32_t len, const char **why)
{
    if (len == 0 || len % 8 != 0)
        return fail(why, TBF_BAD_HEADER, "bad writeable flash region length");
    for (uint32_t off = 0; off < len; off += 8) {
        if (h->n_wfr >= TBF_MAX_WFR)
            return fail(why, TBF_BAD_HEADER, "too many writeable flash regions");
        h->wfr_offset[h->n_wfr] = rd32(v + off);
        h->wfr_size[h->n_wfr] = rd32(v + off + 4);
        h->n_wfr++;
    }
    return TBF_OK;
}

/* One TLV; `v` points at `len` readable payload bytes. */
static enum tbf_status parse_tlv(struct tbf_header *h, uint32_t type, const uint8_t *v, uint32_t len,
                                 const char **why)
{
    static const uint8_t fixed_len[] = { [TLV_MAIN] = 12, [TLV_FIXED_ADDRESSES] = 8,
                                         [TLV_KERNEL_VERSION] = 4, [TLV_PROGRAM] = 20, [TLV_SHORT_ID] = 4 };
    if (type < sizeof fixed_len && fixed_len[type] && len != fixed_len[type])
        return fail(why, TBF_BAD_HEADER, "bad TLV length");
    switch (type) {
    case TLV_MAIN:
        if (!h->has_program)
            parse_main(h, v);
        h->has_main = true;
        break;
    case TLV_PROGRAM:
        parse_main(h, v);
        h->binary_end_offset = rd32(v + 12);
        h->app_version = rd32(v + 16);
        h->has_program = true;
        break;
    case TLV_WFR:
        return parse_wfr(h, v, len, why);
    case TLV_PACKAGE_NAME:
        h->name = (const char *)v;
        h->name_len = (uint16_t)len;
        break;
    case TLV_FIXED_ADDRESSES:
        h->fixed_ram = rd32(v);
        h->fixed_flash = rd32(v + 4);
        h->has_fixed_addresses = true;
        break;
    case TLV_KERNEL_VERSION:
        h->kernel_major = (uint16_t)rd16(v);
        h->kernel_minor = (uint16_t)rd16(v + 2);
        h->has_kernel_version = true;
        break;
    case TLV_SHORT_ID:
        h->short_id = rd32(v);
        break;
    default:                /* Permissions, Storage, PicOption1, unknown: skipped */
        break;
    }
    return TBF_OK;
}

/* Walks the TLVs in [16, header_size). */
static enum tbf_status parse_tlvs(const uint8_t *buf, struct tbf_header *h, const char **why)
{
    uint32_t off = TBF_BASE_SIZE, end = h->header_size;
    while (off < end) {
        if (end - off < 4)
            return fail(why, TBF_BAD_HEADER, "truncated TLV header");
        uint32_t type = rd16(buf + off), len = rd16(buf + off + 2);
        off += 4;
        if (len > end - off)
            return fail(why, TBF_BAD_HEADER, "TLV runs past the header");
        enum tbf_status st = parse_tlv(h, type, buf + off, len, why);
        if (st != TBF_OK)
            return st;
        uint32_t padded = (len + 3u) & ~3u;
        off += padded < end - off ? padded : end - off;
    }
    return TBF_OK;
}

/* Offsets taken from Main/Program must stay inside the object. */
static enum tbf_status check_offsets(struct tbf_header *h, const char **why)
{
    uint64_t prot = (uint64_t)h->header_size + h->protected_trailer_size;
    if (prot > h->total_size)
        return fail(why, TBF_BAD_HEADER, "protected region larger than the object");
    if ((uint64_t)h->header_size + h->init_fn_offset >= h->total_size)
        return fail(why, TBF_BAD_HEADER, "entry point outside the object");
    if (!h->has_program)
        h->binary_end_offset = h->total_size;
    if (h->binary_end_offset > h->total_size || h->binary_end_offset < prot)
        return fail(why, TBF_BAD_HEADER, "bad binary end offset");
    return TBF_OK;
}

static enum tbf_status parse_base(const uint8_t *buf, uint32_t avail, struct tbf_header *h, const char **why)
{
    if (avail < 4 || rd16(buf) != 2)
        return fail(why, TBF_END, "not a TBF v2 header");
    if (avail < TBF_BASE_SIZE)
        return fail(why, TBF_TRUNCATED, "header runs past the end of flash");
    h->version = 2;
    h->header_size = (uint16_t)rd16(buf + 2);
    h->total_size = rd32(buf + 4);
    h->flags = rd32(buf + 8);
    h->checksum = rd32(buf + 12);
    if (h->header_size < TBF_BASE_SIZE || h->header_size > h->total_size)
        return fail(why, TBF_BAD_HEADER, "bad header size");
    if (h->total_size > avail)
        return fail(why, TBF_TRUNCATED, "object runs past the end of flash");
    if (header_checksum(buf, h->header_size) != h->checksum)
        return fail(why, TBF_BAD_HEADER, "bad checksum");
    return TBF_OK;
}

enum tbf_status tbf_parse(const uint8_t *buf, uint32_t avail, uint16_t kernel_major, uint16_t kernel_minor,
                          struct tbf_header *h, const char **why)
{
    memset(h, 0, sizeof *h);
    if (why)
        *why = "ok";
    enum tbf_status st = parse_base(buf, avail, h, why);
    if (st == TBF_OK)
        st = parse_tlvs(buf, h, why);
    if (st != TBF_OK)
        return st;
    if (!h->has_main && !h->has_program)
        return fail(why, TBF_PADDING, "padding");
    st = check_offsets(h, why);
    if (st != TBF_OK)
        return st;
    if (!(h->flags & TBF_FLAG_ENABLED))
        return fail(why, TBF_DISABLED, "disabled");
    if (!h->has_kernel_version)
        return fail(why, TBF_BAD_KERNEL_VERSION, "no kernel version");
    if (h->kernel_major != kernel_major || h->kernel_minor > kernel_minor)
        return fail(why, TBF_BAD_KERNEL_VERSION, "incompatible kernel version");
    return TBF_OK;
}
