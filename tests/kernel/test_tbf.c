/*
 * test_tbf.c — TBF v2 header parsing (kernel/tbf.c, tock-abi.md §5): a
 * libtock-c/elf2tab-style header built here, every malformed field, and
 * 100 000 random mutations / random byte strings parsed from exactly-sized
 * heap buffers (run under ASan to catch any read past `avail`).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/tbf.h"

Suite *tbf_suite(void);

#define KMAJ 2
#define KMIN 2
#define TOTAL 0x4000u

struct img { uint8_t b[TOTAL]; uint32_t len; };

static void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { put16(p, v), put16(p + 2, v >> 16); }
static uint32_t get32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }

static void base(struct img *t, uint32_t flags)
{
    memset(t, 0, sizeof *t);
    put16(t->b, 2), put32(t->b + 4, TOTAL), put32(t->b + 8, flags);
    t->len = 16;
}

/* A TLV, padded to 4 bytes like elf2tab. */
static void tlv(struct img *t, uint32_t type, const void *payload, uint32_t len)
{
    put16(t->b + t->len, type), put16(t->b + t->len + 2, len);
    memcpy(t->b + t->len + 4, payload, len);
    t->len += 4 + ((len + 3) & ~3u);
}

static void tlv_words(struct img *t, uint32_t type, int n, const uint32_t *w)
{
    uint8_t p[64];
    for (int i = 0; i < n; i++)
        put32(p + 4 * i, w[i]);
    tlv(t, type, p, 4u * (uint32_t)n);
}

static void kversion(struct img *t, uint32_t major, uint32_t minor)
{
    uint8_t p[4];
    put16(p, major), put16(p + 2, minor);
    tlv(t, 8, p, 4);
}

/* Sets header_size = t->len (or `hs`) and the checksum (XOR of words, word 3 = 0). */
static void finish_size(struct img *t, uint32_t hs)
{
    put16(t->b + 2, hs);
    put32(t->b + 12, 0);
    uint32_t sum = 0;
    for (uint32_t off = 0; off < hs; off += 4) {
        uint8_t w[4] = { 0 };
        memcpy(w, t->b + off, hs - off < 4 ? hs - off : 4);
        sum ^= get32(w);
    }
    put32(t->b + 12, sum);
}

static void finish(struct img *t) { finish_size(t, t->len); }

/* elf2tab's order: base, Main, Program, PackageName, KernelVersion. */
static void blink(struct img *t)
{
    base(t, 1);
    tlv_words(t, 1, 3, (const uint32_t[]){ 0x41, 0, 5000 });
    tlv_words(t, 9, 5, (const uint32_t[]){ 0x41, 0, 5000, 0x3000, 7 });
    tlv(t, 3, "blink", 5);
    kversion(t, 2, 2);
    finish(t);
}

static enum tbf_status parse(const struct img *t, struct tbf_header *h)
{
    const char *why = NULL;
    enum tbf_status st = tbf_parse(t->b, TOTAL, KMAJ, KMIN, h, &why);
    ck_assert_ptr_nonnull(why);
    return st;
}

static enum tbf_status status_of(const struct img *t)
{
    struct tbf_header h;
    return parse(t, &h);
}

START_TEST(valid_libtock_c_header)
{
    struct img t;
    struct tbf_header h;
    blink(&t);
    ck_assert_uint_eq(t.len, 76);
    ck_assert_int_eq(parse(&t, &h), TBF_OK);
    ck_assert_uint_eq(h.version, 2);
    ck_assert_uint_eq(h.header_size, 76);
    ck_assert_uint_eq(h.total_size, TOTAL);
    ck_assert_uint_eq(h.init_fn_offset, 0x41);
    ck_assert_uint_eq(h.minimum_ram_size, 5000);
    ck_assert_uint_eq(h.binary_end_offset, 0x3000);
    ck_assert_uint_eq(h.app_version, 7);
    ck_assert(h.has_main && h.has_program && h.has_kernel_version);
    ck_assert_uint_eq(h.name_len, 5);
    ck_assert(memcmp(h.name, "blink", 5) == 0);
    ck_assert_ptr_eq(h.name, (const char *)t.b + 60);
    ck_assert_uint_eq(h.kernel_major, 2);
    ck_assert_uint_eq(h.kernel_minor, 2);
    ck_assert_int_eq(h.n_wfr, 0);
    ck_assert_uint_eq(h.short_id, 0);
}
END_TEST

START_TEST(program_preferred_over_main_in_any_order)
{
    struct img t;
    struct tbf_header h;
    base(&t, 1);
    tlv_words(&t, 9, 5, (const uint32_t[]){ 0x81, 16, 4096, 0x2000, 3 });
    tlv_words(&t, 1, 3, (const uint32_t[]){ 0x11, 0, 999 });
    kversion(&t, 2, 0);
    finish(&t);
    ck_assert_int_eq(parse(&t, &h), TBF_OK);
    ck_assert_uint_eq(h.init_fn_offset, 0x81);
    ck_assert_uint_eq(h.protected_trailer_size, 16);
    ck_assert_uint_eq(h.minimum_ram_size, 4096);
}
END_TEST

START_TEST(main_only)
{
    struct img t;
    struct tbf_header h;
    base(&t, 1);
    tlv_words(&t, 1, 3, (const uint32_t[]){ 0x21, 0, 2048 });
    kversion(&t, 2, 1);
    finish(&t);
    ck_assert_int_eq(parse(&t, &h), TBF_OK);
    ck_assert(!h.has_program);
    ck_assert_uint_eq(h.binary_end_offset, TOTAL);
    ck_assert_uint_eq(h.app_version, 0);
    ck_assert_uint_eq(h.minimum_ram_size, 2048);
}
END_TEST

START_TEST(not_tbf_ends_the_list)
{
    struct img t;
    blink(&t);
    put16(t.b, 1);
    ck_assert_int_eq(status_of(&t), TBF_END);
    memset(t.b, 0xFF, sizeof t.b);
    ck_assert_int_eq(status_of(&t), TBF_END);
    memset(t.b, 0, sizeof t.b);
    ck_assert_int_eq(status_of(&t), TBF_END);
    struct tbf_header h;
    ck_assert_int_eq(tbf_parse(t.b, 0, KMAJ, KMIN, &h, NULL), TBF_END);
}
END_TEST

START_TEST(bad_sizes)
{
    struct img t;
    blink(&t);
    finish_size(&t, 12);
    ck_assert_int_eq(status_of(&t), TBF_BAD_HEADER);
    blink(&t);
    put32(t.b + 4, 60);     /* total_size < header_size */
    finish(&t);
    ck_assert_int_eq(status_of(&t), TBF_BAD_HEADER);
}
END_TEST

START_TEST(truncated)
{
    struct img t;
    struct tbf_header h;
    blink(&t);
    ck_assert_int_eq(tbf_parse(t.b, TOTAL - 1, KMAJ, KMIN, &h, NULL), TBF_TRUNCATED);
    ck_assert_int_eq(tbf_parse(t.b, 8, KMAJ, KMIN, &h, NULL), TBF_TRUNCATED);
    ck_assert_int_eq(tbf_parse(t.b, TOTAL, KMAJ, KMIN, &h, NULL), TBF_OK);
}
END_TEST

START_TEST(bad_checksum)
{
    struct img t;
    blink(&t);
    t.b[12] ^= 1;
    ck_assert_int_eq(status_of(&t), TBF_BAD_HEADER);
    blink(&t);
    t.b[64] ^= 0x80;        /* a byte of the name */
    ck_assert_int_eq(status_of(&t), TBF_BAD_HEADER);
}
END_TEST

START_TEST(partial_last_word_checksum)
{
    struct img t;
    struct tbf_header h;
    base(&t, 1);
    tlv_words(&t, 9, 5, (const uint32_t[]){ 0x41, 0, 5000, 0x3000, 7 });
    kversion(&t, 2, 2);
    uint32_t at = t.len;
    tlv(&t, 3, "abcde", 5);
    finish_size(&t, at + 4 + 5);       /* header not padded: ends mid-word */
    ck_assert_int_eq(parse(&t, &h), TBF_OK);
    ck_assert_uint_eq(h.name_len, 5);
}
END_TEST

START_TEST(padding_objects)
{
    struct img t;
    base(&t, 0);
    finish(&t);
    ck_assert_int_eq(status_of(&t), TBF_PADDING);
    base(&t, 1);
    tlv(&t, 3, "pad", 3);
    kversion(&t, 2, 2);
    finish(&t);
    ck_assert_int_eq(status_of(&t), TBF_PADDING);
}
END_TEST

START_TEST(disabled)
{
    struct img t;
    blink(&t);
    put32(t.b + 8, 2);      /* sticky, not enabled */
    finish(&t);
    ck_assert_int_eq(status_of(&t), TBF_DISABLED);
}
END_TEST

static enum tbf_status with_version(int present, uint32_t major, uint32_t minor)
{
    struct img t;
    base(&t, 1);
    tlv_words(&t, 9, 5, (const uint32_t[]){ 0x41, 0, 5000, 0x3000, 7 });
    if (present)
        kversion(&t, major, minor);
    finish(&t);
    return status_of(&t);
}

START_TEST(kernel_version)
{
    ck_assert_int_eq(with_version(0, 0, 0), TBF_BAD_KERNEL_VERSION);
    ck_assert_int_eq(with_version(1, 2, 0), TBF_OK);
    ck_assert_int_eq(with_version(1, 2, 2), TBF_OK);
    ck_assert_int_eq(with_version(1, 2, 3), TBF_BAD_KERNEL_VERSION);
    ck_assert_int_eq(with_version(1, 1, 0), TBF_BAD_KERNEL_VERSION);
    ck_assert_int_eq(with_version(1, 3, 0), TBF_BAD_KERNEL_VERSION);
}
END_TEST

static enum tbf_status with_tlv(uint32_t type, const uint32_t *w, int n, struct tbf_header *h)
{
    struct img t;
    base(&t, 1);
    tlv_words(&t, 9, 5, (const uint32_t[]){ 0x41, 0, 5000, 0x3000, 7 });
    tlv_words(&t, type, n, w);
    kversion(&t, 2, 2);
    finish(&t);
    return parse(&t, h);
}

START_TEST(writeable_flash_regions)
{
    struct tbf_header h;
    ck_assert_int_eq(with_tlv(2, (const uint32_t[]){ 0x1000, 0x200, 0x1200, 0x100 }, 4, &h), TBF_OK);
    ck_assert_int_eq(h.n_wfr, 2);
    ck_assert_uint_eq(h.wfr_offset[1], 0x1200);
    ck_assert_uint_eq(h.wfr_size[1], 0x100);
    ck_assert_int_eq(with_tlv(2, (const uint32_t[]){ 1, 2, 3 }, 3, &h), TBF_BAD_HEADER);
    uint32_t many[10] = { 0 };
    ck_assert_int_eq(with_tlv(2, many, 8, &h), TBF_OK);
    ck_assert_int_eq(h.n_wfr, 4);
    ck_assert_int_eq(with_tlv(2, many, 10, &h), TBF_BAD_HEADER);
    /* five separate TLVs of one region each */
    struct img t;
    base(&t, 1);
    tlv_words(&t, 9, 5, (const uint32_t[]){ 0x41, 0, 5000, 0x3000, 7 });
    for (int i = 0; i < 5; i++)
        tlv_words(&t, 2, 2, (const uint32_t[]){ 0x1000, 0x100 });
    kversion(&t, 2, 2);
    finish(&t);
    ck_assert_int_eq(parse(&t, &h), TBF_BAD_HEADER);
}
END_TEST

START_TEST(fixed_addresses_short_id_and_skipped_tlvs)
{
    struct img t;
    struct tbf_header h;
    base(&t, 1);
    tlv_words(&t, 1, 3, (const uint32_t[]){ 0x41, 0, 5000 });
    tlv_words(&t, 9, 5, (const uint32_t[]){ 0x41, 0, 5000, 0x3000, 7 });
    tlv(&t, 3, "fixed_app", 9);
    tlv_words(&t, 5, 2, (const uint32_t[]){ 0x20008000, 0x30080 });
    tlv(&t, 6, "\x01\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\xff\xff\xff\xff\xff\xff", 18);
    tlv(&t, 7, "\x00\x00\x00\x00\x00\x00\x00\x00", 8);
    tlv(&t, 4, "0123456789012345678901234567890123456789", 40);
    tlv(&t, 0x8001, "x", 1);
    tlv(&t, 77, "", 0);
    kversion(&t, 2, 2);
    tlv_words(&t, 10, 1, (const uint32_t[]){ 0xC0FFEE });
    finish(&t);
    ck_assert_int_eq(parse(&t, &h), TBF_OK);
    ck_assert(h.has_fixed_addresses);
    ck_assert_uint_eq(h.fixed_ram, 0x20008000);
    ck_assert_uint_eq(h.fixed_flash, 0x30080);
    ck_assert_uint_eq(h.short_id, 0xC0FFEE);
    ck_assert_uint_eq(h.name_len, 9);
}
END_TEST

START_TEST(bad_tlv_lengths)
{
    struct tbf_header h;
    ck_assert_int_eq(with_tlv(1, (const uint32_t[]){ 1, 2 }, 2, &h), TBF_BAD_HEADER);        /* Main 8 */
    ck_assert_int_eq(with_tlv(9, (const uint32_t[]){ 1, 2, 3, 4 }, 4, &h), TBF_BAD_HEADER);  /* Program 16 */
    ck_assert_int_eq(with_tlv(5, (const uint32_t[]){ 1 }, 1, &h), TBF_BAD_HEADER);           /* Fixed 4 */
    ck_assert_int_eq(with_tlv(8, (const uint32_t[]){ 1, 2 }, 2, &h), TBF_BAD_HEADER);        /* KVersion 8 */
    ck_assert_int_eq(with_tlv(10, (const uint32_t[]){ 1, 2 }, 2, &h), TBF_BAD_HEADER);       /* ShortId 8 */
    /* a TLV whose length runs past header_size */
    struct img t;
    blink(&t);
    put16(t.b + 58, 40);    /* PackageName length */
    finish(&t);
    ck_assert_int_eq(status_of(&t), TBF_BAD_HEADER);
    /* two stray bytes after the last TLV: not even a TL */
    blink(&t);
    finish_size(&t, t.len + 2);
    ck_assert_int_eq(status_of(&t), TBF_BAD_HEADER);
}
END_TEST

START_TEST(bad_program_offsets)
{
    struct tbf_header h;
    struct img t;
    base(&t, 1);
    tlv_words(&t, 9, 5, (const uint32_t[]){ 0x41, TOTAL, 5000, 0x3000, 7 });   /* trailer too big */
    kversion(&t, 2, 2);
    finish(&t);
    ck_assert_int_eq(parse(&t, &h), TBF_BAD_HEADER);
    base(&t, 1);
    tlv_words(&t, 9, 5, (const uint32_t[]){ TOTAL, 0, 5000, 0x3000, 7 });      /* entry outside */
    kversion(&t, 2, 2);
    finish(&t);
    ck_assert_int_eq(parse(&t, &h), TBF_BAD_HEADER);
    base(&t, 1);
    tlv_words(&t, 9, 5, (const uint32_t[]){ 0x41, 0, 5000, TOTAL + 4, 7 });    /* binary end outside */
    kversion(&t, 2, 2);
    finish(&t);
    ck_assert_int_eq(parse(&t, &h), TBF_BAD_HEADER);
}
END_TEST

/* Parses `n` bytes from an exactly-sized heap copy; checks the result's invariants. */
static void parse_exact(const uint8_t *src, uint32_t n)
{
    uint8_t *buf = malloc(n ? n : 1);
    memcpy(buf, src, n);
    struct tbf_header h;
    const char *why = NULL;
    enum tbf_status st = tbf_parse(buf, n, KMAJ, KMIN, &h, &why);
    ck_assert_ptr_nonnull(why);
    if (st == TBF_OK || st == TBF_DISABLED || st == TBF_BAD_KERNEL_VERSION || st == TBF_PADDING) {
        ck_assert(h.header_size >= 16 && h.header_size <= h.total_size && h.total_size <= n);
        ck_assert(h.n_wfr >= 0 && h.n_wfr <= TBF_MAX_WFR);
        if (h.name)
            ck_assert((const uint8_t *)h.name + h.name_len <= buf + h.header_size);
    }
    if (st == TBF_OK)
        ck_assert(h.header_size + h.init_fn_offset < h.total_size && h.binary_end_offset <= h.total_size);
    free(buf);
}

START_TEST(fuzz_never_crashes)
{
    srand(12345);
    struct img t;
    for (int iter = 0; iter < 100000; iter++) {
        int mode = iter % 4;
        if (mode == 3) {                /* random bytes with a v2 tag and a valid checksum */
            base(&t, 1);
            uint32_t hs = 16 + (uint32_t)rand() % 200;
            for (uint32_t i = 16; i < hs + 8; i++)
                t.b[i] = (uint8_t)rand();
            put32(t.b + 4, hs + (uint32_t)rand() % 600);
            finish_size(&t, rand() % 8 ? hs : (uint32_t)rand() % 300);
        } else {                        /* a valid header with a few bytes changed */
            blink(&t);
            int flips = 1 + rand() % 4;
            for (int f = 0; f < flips; f++)
                t.b[rand() % 80] = (uint8_t)rand();
            uint32_t hs = t.b[2] | t.b[3] << 8;
            if (mode != 0 && hs <= 300)
                finish_size(&t, hs);
            if (rand() % 4 == 0)
                put32(t.b + 4, (uint32_t)rand() % 1024);
        }
        uint32_t total = get32(t.b + 4);
        uint32_t n = rand() % 2 && total <= TOTAL ? total : (uint32_t)rand() % 1024;
        parse_exact(t.b, n > TOTAL ? TOTAL : n);
    }
}
END_TEST

Suite *tbf_suite(void)
{
    Suite *s = suite_create("tbf");
    TCase *tc = tcase_create("parse");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, valid_libtock_c_header);
    tcase_add_test(tc, program_preferred_over_main_in_any_order);
    tcase_add_test(tc, main_only);
    tcase_add_test(tc, not_tbf_ends_the_list);
    tcase_add_test(tc, bad_sizes);
    tcase_add_test(tc, truncated);
    tcase_add_test(tc, bad_checksum);
    tcase_add_test(tc, partial_last_word_checksum);
    tcase_add_test(tc, padding_objects);
    tcase_add_test(tc, disabled);
    tcase_add_test(tc, kernel_version);
    tcase_add_test(tc, writeable_flash_regions);
    tcase_add_test(tc, fixed_addresses_short_id_and_skipped_tlvs);
    tcase_add_test(tc, bad_tlv_lengths);
    tcase_add_test(tc, bad_program_offsets);
    tcase_add_test(tc, fuzz_never_crashes);
    suite_add_tcase(s, tc);
    return s;
}
