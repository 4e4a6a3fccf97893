/*
 * test_elf2tbf.c — unit tests of the ELF → TBF converter (tools/tbf_write.c).
 *
 * Hermetic: each ELF is assembled in memory by mk_elf() (ELF header,
 * program headers, segment bytes, section headers with .shstrtab, optional
 * .symtab), shaped like what libtock/layout.ld produces: a flash segment at
 * 0x80000000 (crt0 header + .text), a RAM segment (.got + .data, vaddr 0x800)
 * loaded from flash right after it, .bss, a NOLOAD .stack, and .rel.data.
 */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_load.h"
#include "../../tools/tbf_write.h"

#define CAP 32768
#define MAXSEG 6
#define MAXSEC 12

struct xseg {
    uint32_t vaddr, paddr, filesz, memsz, flags;
};
struct xsec {
    const char *name;
    uint32_t type, flags, addr, size;
    int seg;                    /* >= 0: data inside that segment at addr - vaddr; -1: own bytes */
    const uint8_t *bytes;       /* for seg == -1 (NULL: none / NOBITS) */
};
struct xsym {
    const char *name;
    uint32_t value;
};
struct xspec {
    uint32_t entry;
    int nseg, nsec, nsym;
    struct xseg seg[MAXSEG];
    struct xsec sec[MAXSEC];
    struct xsym sym[4];
};

static uint8_t ebuf[CAP];
static uint32_t seg_off[MAXSEG];

static void p16(uint8_t *b, size_t o, uint32_t v) { b[o] = (uint8_t)v; b[o + 1] = (uint8_t)(v >> 8); }
static void p32(uint8_t *b, size_t o, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        b[o + (size_t)i] = (uint8_t)(v >> (8 * i));
}
static uint32_t g16(const uint8_t *b, size_t o) { return (uint32_t)(b[o] | (b[o + 1] << 8)); }
static uint32_t g32(const uint8_t *b, size_t o)
{
    return (uint32_t)b[o] | ((uint32_t)b[o + 1] << 8) | ((uint32_t)b[o + 2] << 16) |
           ((uint32_t)b[o + 3] << 24);
}
static uint8_t pat(int seg, uint32_t k) { return (uint8_t)(seg * 53 + k * 3 + 7); }

static size_t mk_elf(const struct xspec *s)
{
    memset(ebuf, 0, sizeof ebuf);
    size_t pos = 52 + (size_t)s->nseg * 32;
    for (int i = 0; i < s->nseg; i++) {
        const struct xseg *g = &s->seg[i];
        pos = (pos + 3) & ~(size_t)3;
        seg_off[i] = (uint32_t)pos;
        ck_assert(pos + g->filesz < CAP);
        for (uint32_t k = 0; k < g->filesz; k++)
            ebuf[pos + k] = pat(i, k);
        size_t ph = 52 + (size_t)i * 32;
        p32(ebuf, ph + 0, 1);   /* PT_LOAD */
        p32(ebuf, ph + 4, (uint32_t)pos);
        p32(ebuf, ph + 8, g->vaddr);
        p32(ebuf, ph + 12, g->paddr);
        p32(ebuf, ph + 16, g->filesz);
        p32(ebuf, ph + 20, g->memsz);
        p32(ebuf, ph + 24, g->flags);
        p32(ebuf, ph + 28, 4);
        pos += g->filesz;
    }
    /* own-bytes sections */
    uint32_t sec_off[MAXSEC];
    for (int i = 0; i < s->nsec; i++) {
        const struct xsec *x = &s->sec[i];
        if (x->seg >= 0) {
            sec_off[i] = seg_off[x->seg] + (x->addr - s->seg[x->seg].vaddr);
        } else {
            pos = (pos + 3) & ~(size_t)3;
            sec_off[i] = (uint32_t)pos;
            if (x->bytes != NULL) {
                memcpy(ebuf + pos, x->bytes, x->size);
                pos += x->size;
            }
        }
    }
    /* symbols: .strtab + .symtab */
    uint32_t strtab_off = 0, strtab_size = 0, symtab_off = 0;
    if (s->nsym > 0) {
        strtab_off = (uint32_t)pos;
        ebuf[pos++] = 0;
        uint32_t noff[4];
        for (int i = 0; i < s->nsym; i++) {
            noff[i] = (uint32_t)(pos - strtab_off);
            size_t n = strlen(s->sym[i].name) + 1;
            memcpy(ebuf + pos, s->sym[i].name, n);
            pos += n;
        }
        strtab_size = (uint32_t)(pos - strtab_off);
        pos = (pos + 3) & ~(size_t)3;
        symtab_off = (uint32_t)pos;
        pos += 16;
        for (int i = 0; i < s->nsym; i++) {
            p32(ebuf, pos, noff[i]);
            p32(ebuf, pos + 4, s->sym[i].value);
            ebuf[pos + 12] = 0x10;      /* GLOBAL NOTYPE */
            p16(ebuf, pos + 14, 0xfff1);        /* ABS */
            pos += 16;
        }
    }
    /* .shstrtab */
    size_t shstr = pos;
    ebuf[pos++] = 0;
    uint32_t name_off[MAXSEC + 3];
    for (int i = 0; i < s->nsec; i++) {
        name_off[i] = (uint32_t)(pos - shstr);
        size_t n = strlen(s->sec[i].name) + 1;
        memcpy(ebuf + pos, s->sec[i].name, n);
        pos += n;
    }
    const char *extra[3] = {".shstrtab", ".symtab", ".strtab"};
    for (int i = 0; i < 3; i++) {
        name_off[s->nsec + i] = (uint32_t)(pos - shstr);
        size_t n = strlen(extra[i]) + 1;
        memcpy(ebuf + pos, extra[i], n);
        pos += n;
    }
    uint32_t shstr_size = (uint32_t)(pos - shstr);
    pos = (pos + 3) & ~(size_t)3;
    size_t shoff = pos;
    uint32_t shnum = 1 + (uint32_t)s->nsec + 1 + (s->nsym > 0 ? 2 : 0);
    for (int i = 0; i < s->nsec; i++) {
        size_t h = shoff + (size_t)(i + 1) * 40;
        const struct xsec *x = &s->sec[i];
        p32(ebuf, h + 0, name_off[i]);
        p32(ebuf, h + 4, x->type);
        p32(ebuf, h + 8, x->flags);
        p32(ebuf, h + 12, x->addr);
        p32(ebuf, h + 16, sec_off[i]);
        p32(ebuf, h + 20, x->size);
        p32(ebuf, h + 32, 4);
        p32(ebuf, h + 36, x->type == 9 ? 8 : 0);
    }
    uint32_t shstrndx = 1 + (uint32_t)s->nsec;
    size_t h = shoff + (size_t)shstrndx * 40;
    p32(ebuf, h + 0, name_off[s->nsec]);
    p32(ebuf, h + 4, 3);
    p32(ebuf, h + 16, (uint32_t)shstr);
    p32(ebuf, h + 20, shstr_size);
    if (s->nsym > 0) {
        h += 40;
        p32(ebuf, h + 0, name_off[s->nsec + 1]);
        p32(ebuf, h + 4, 2);
        p32(ebuf, h + 16, symtab_off);
        p32(ebuf, h + 20, (uint32_t)(s->nsym + 1) * 16);
        p32(ebuf, h + 24, shstrndx + 2);
        p32(ebuf, h + 36, 16);
        h += 40;
        p32(ebuf, h + 0, name_off[s->nsec + 2]);
        p32(ebuf, h + 4, 3);
        p32(ebuf, h + 16, strtab_off);
        p32(ebuf, h + 20, strtab_size);
    }
    pos = shoff + shnum * 40;
    ck_assert(pos < CAP);
    memcpy(ebuf, "\x7f" "ELF", 4);
    ebuf[4] = 1;
    ebuf[5] = 1;
    ebuf[6] = 1;
    p16(ebuf, 16, 2);
    p16(ebuf, 18, 40);
    p32(ebuf, 20, 1);
    p32(ebuf, 24, s->entry);
    p32(ebuf, 28, 52);
    p32(ebuf, 32, (uint32_t)shoff);
    p32(ebuf, 36, 0x05000200);
    p16(ebuf, 40, 52);
    p16(ebuf, 42, 32);
    p16(ebuf, 44, (uint32_t)s->nseg);
    p16(ebuf, 46, 40);
    p16(ebuf, 48, shnum);
    p16(ebuf, 50, shstrndx);
    return pos;
}

/* rel entries: {offset, info} pairs */
static const uint8_t rel_data_bytes[24] = {0x00, 0x08, 0, 0, 0x02, 0x03, 0, 0,
                                           0x04, 0x08, 0, 0, 0x02, 0x05, 0, 0,
                                           0x10, 0x08, 0, 0, 0x02, 0x07, 0, 0};
static const uint8_t rel_text_bytes[8] = {0x40, 0, 0, 0x80, 0x0a, 0x01, 0, 0};

#define TEXT 0x300u             /* crt0 header + .text */
#define GOT 0x20u
#define DATA 0x10u
#define BSS 0x40u

/* what libtock/layout.ld + crt0 produce (sizes above) */
static struct xspec app_spec(void)
{
    struct xspec s;
    memset(&s, 0, sizeof s);
    s.entry = 0x80000029;
    s.nseg = 3;
    s.seg[0] = (struct xseg){0x0, 0x0, 0, 0x800, 6};                      /* .stack */
    s.seg[1] = (struct xseg){0x80000000, 0x80000000, TEXT, TEXT, 5};      /* flash RX */
    s.seg[2] = (struct xseg){0x800, 0x80000000 + TEXT, GOT + DATA, GOT + DATA + BSS, 6};
    s.nsec = 7;
    s.sec[0] = (struct xsec){".crt0_header", 1, 3, 0x80000000, 0x28, 1, NULL};
    s.sec[1] = (struct xsec){".text", 1, 6, 0x80000028, TEXT - 0x28, 1, NULL};
    s.sec[2] = (struct xsec){".stack", 8, 3, 0x0, 0x800, 0, NULL};
    s.sec[3] = (struct xsec){".got", 1, 3, 0x800, GOT, 2, NULL};
    s.sec[4] = (struct xsec){".data", 1, 3, 0x800 + GOT, DATA, 2, NULL};
    s.sec[5] = (struct xsec){".rel.data", 9, 0x40, 0, sizeof rel_data_bytes, -1, rel_data_bytes};
    s.sec[6] = (struct xsec){".rel.text", 9, 0x40, 0, sizeof rel_text_bytes, -1, rel_text_bytes};
    return s;
}

static struct elf_image img;
static char err[512];
static uint8_t *tbf;
static size_t tbf_len;
static struct tbf_result res;

static void teardown(void)
{
    elf_free(&img);
    free(tbf);
    tbf = NULL;
}

static int convert(const struct xspec *s, const struct tbf_options *o)
{
    size_t len = mk_elf(s);
    elf_free(&img);
    free(tbf);
    tbf = NULL;
    ck_assert_msg(elf_load_buffer("app.elf", ebuf, len, &img, err, sizeof err) == 0, "%s", err);
    err[0] = '\0';
    return tbf_from_elf(&img, o, &tbf, &tbf_len, &res, err, sizeof err);
}

static void opts(struct tbf_options *o, const char *name)
{
    tbf_options_default(o);
    o->package_name = name;
}

static uint32_t xor_header(const uint8_t *t, uint32_t hs)
{
    uint32_t x = 0;
    for (uint32_t o = 0; o < hs; o += 4)
        if (o != 12)
            x ^= g32(t, o);
    return x;
}

#define EXPECT_FAIL(spec, o, want)                                                            \
    do {                                                                                      \
        int rc_ = convert(&(spec), (o));                                                      \
        ck_assert_msg(rc_ == -1, "conversion succeeded; expected \"%s\"", want);              \
        ck_assert_msg(strncmp(err, "app.elf: ", 9) == 0, "no file name in: %s", err);          \
        ck_assert_msg(strstr(err, want) != NULL, "error \"%s\" lacks \"%s\"", err, want);     \
        ck_assert_ptr_null(tbf);                                                              \
    } while (0)

/* ---- the header --------------------------------------------------------------- */

START_TEST(test_header_fields)
{
    struct xspec s = app_spec();
    struct tbf_options o;
    opts(&o, "blink");
    ck_assert_msg(convert(&s, &o) == 0, "%s", err);
    /* 16 base + 16 Main + 24 Program + 12 PackageName("blink") + 8 KernelVersion */
    ck_assert_uint_eq(g16(tbf, 0), 2);
    ck_assert_uint_eq(g16(tbf, 2), 76);
    ck_assert_uint_eq(res.header_size, 76);
    ck_assert_uint_eq(g32(tbf, 4), tbf_len);
    ck_assert_uint_eq(g32(tbf, 8), 1);              /* enabled */
    ck_assert_uint_eq(g32(tbf, 12), xor_header(tbf, 76));
    /* TLV order: Main, Program, PackageName, KernelVersion */
    ck_assert_uint_eq(g16(tbf, 16), 1);
    ck_assert_uint_eq(g16(tbf, 18), 12);
    ck_assert_uint_eq(g16(tbf, 32), 9);
    ck_assert_uint_eq(g16(tbf, 34), 20);
    ck_assert_uint_eq(g16(tbf, 56), 3);
    ck_assert_uint_eq(g16(tbf, 58), 5);
    ck_assert_mem_eq(tbf + 60, "blink\0\0\0", 8);
    ck_assert_uint_eq(g16(tbf, 68), 8);
    ck_assert_uint_eq(g16(tbf, 70), 4);
    ck_assert_uint_eq(g16(tbf, 72), 2);
    ck_assert_uint_eq(g16(tbf, 74), 2);
    /* Main and Program agree */
    uint32_t ram = (GOT + DATA + BSS) + 2048 + 1024 + 1024;
    ck_assert_uint_eq(g32(tbf, 20), 0x29);          /* entry - flash start, odd (Thumb) */
    ck_assert_uint_eq(g32(tbf, 24), 0);             /* protected trailer */
    ck_assert_uint_eq(g32(tbf, 28), ram);
    ck_assert_uint_eq(g32(tbf, 36), 0x29);
    ck_assert_uint_eq(g32(tbf, 40), 0);
    ck_assert_uint_eq(g32(tbf, 44), ram);
    uint32_t bend = 76 + TEXT + GOT + DATA + 4 + sizeof rel_data_bytes;
    ck_assert_uint_eq(g32(tbf, 48), bend);
    ck_assert_uint_eq(g32(tbf, 52), 0);             /* app version */
    ck_assert_uint_eq(res.binary_end_offset, bend);
    ck_assert_uint_eq(res.minimum_ram_size, ram);
    ck_assert_int_eq(res.pic, 1);
}
END_TEST

START_TEST(test_no_package_name)
{
    struct xspec s = app_spec();
    ck_assert_msg(convert(&s, NULL) == 0, "%s", err);
    ck_assert_uint_eq(g16(tbf, 2), 64);             /* no PackageName TLV */
    ck_assert_uint_eq(g16(tbf, 56), 8);
    ck_assert_uint_eq(g32(tbf, 12), xor_header(tbf, 64));
}
END_TEST

START_TEST(test_name_padding_and_checksum)
{
    struct xspec s = app_spec();
    struct tbf_options o;
    static const char *names[] = {"a", "ab", "abc", "abcd", "ipc_service"};
    for (int i = 0; i < 5; i++) {
        opts(&o, names[i]);
        ck_assert_msg(convert(&s, &o) == 0, "%s", err);
        size_t n = strlen(names[i]);
        uint32_t hs = g16(tbf, 2);
        ck_assert_uint_eq(hs, 64 + 4 + ((n + 3) & ~3u));
        ck_assert_uint_eq(hs % 4, 0);
        ck_assert_uint_eq(g16(tbf, 58), n);
        for (size_t k = n; k < ((n + 3) & ~3u); k++)
            ck_assert_uint_eq(tbf[60 + k], 0);
        ck_assert_uint_eq(g32(tbf, 12), xor_header(tbf, hs));
        ck_assert_uint_eq(tbf_checksum(tbf, hs), g32(tbf, 12));
        struct tbf_info info;
        ck_assert_msg(tbf_parse("t", tbf, tbf_len, &info, err, sizeof err) == 0, "%s", err);
        ck_assert_str_eq(info.package_name, names[i]);
    }
}
END_TEST

START_TEST(test_options)
{
    struct xspec s = app_spec();
    struct tbf_options o;
    opts(&o, "x");
    o.stack_set = 1;
    o.stack = 1001;             /* align8 → 1008 */
    o.app_heap = 1001;          /* align4 → 1004 */
    o.kernel_heap = 5;          /* align4 → 8 */
    o.kernel_major = 3;
    o.kernel_minor = 7;
    o.disabled = 1;
    o.app_version = 42;
    ck_assert_msg(convert(&s, &o) == 0, "%s", err);
    ck_assert_uint_eq(g32(tbf, 8), 0);              /* not enabled */
    ck_assert_uint_eq(g32(tbf, 28), GOT + DATA + BSS + 1008 + 1004 + 8);
    ck_assert_uint_eq(g32(tbf, 52), 42);
    uint32_t hs = g16(tbf, 2);
    ck_assert_uint_eq(g16(tbf, hs - 4), 3);
    ck_assert_uint_eq(g16(tbf, hs - 2), 7);
}
END_TEST

START_TEST(test_stack_from_section_or_default)
{
    struct xspec s = app_spec();
    s.sec[2].size = 0x400;      /* .stack says 1 KiB */
    s.seg[0].memsz = 0x400;
    ck_assert_msg(convert(&s, NULL) == 0, "%s", err);
    ck_assert_uint_eq(res.stack, 0x400);
    ck_assert_uint_eq(g32(tbf, 28), GOT + DATA + BSS + 0x400 + 2048);
    s.sec[2].name = ".notstack";
    ck_assert_msg(convert(&s, NULL) == 0, "%s", err);
    ck_assert_uint_eq(res.stack, 2048);
}
END_TEST

/* ---- the binary ------------------------------------------------------------ */

START_TEST(test_binary_and_relocations)
{
    struct xspec s = app_spec();
    struct tbf_options o;
    opts(&o, "blink");
    ck_assert_msg(convert(&s, &o) == 0, "%s", err);
    uint32_t b = 76;
    for (uint32_t k = 0; k < TEXT; k++)
        ck_assert_uint_eq(tbf[b + k], pat(1, k));
    for (uint32_t k = 0; k < GOT + DATA; k++)
        ck_assert_uint_eq(tbf[b + TEXT + k], pat(2, k));
    /* the relocation block: .rel.data only (.rel.text is not for a writable section) */
    uint32_t r = b + TEXT + GOT + DATA;
    ck_assert_uint_eq(res.reloc_offset, r);
    ck_assert_uint_eq(g32(tbf, r), sizeof rel_data_bytes);
    ck_assert_mem_eq(tbf + r + 4, rel_data_bytes, sizeof rel_data_bytes);
    /* padding to a power of two, as a Reserved credentials footer */
    uint32_t end = r + 4 + sizeof rel_data_bytes;
    ck_assert_uint_eq(tbf_len, 1024);
    ck_assert_uint_eq(g16(tbf, end), 128);
    ck_assert_uint_eq(g16(tbf, end + 2), 1024 - end - 4);
    ck_assert_uint_eq(g32(tbf, end + 4), 0);
    for (uint32_t k = end + 8; k < tbf_len; k++)
        ck_assert_uint_eq(tbf[k], 0);
}
END_TEST

START_TEST(test_no_relocations)
{
    struct xspec s = app_spec();
    s.nsec = 5;                 /* drop .rel.data and .rel.text */
    ck_assert_msg(convert(&s, NULL) == 0, "%s", err);
    ck_assert_uint_eq(res.reloc_size, 0);
    ck_assert_uint_eq(g32(tbf, res.reloc_offset), 0);
    ck_assert_uint_eq(res.binary_end_offset, res.reloc_offset + 4);
}
END_TEST

START_TEST(test_padding_power_of_two)
{
    struct xspec s = app_spec();
    s.nsec = 5;
    s.seg[2].filesz = s.seg[2].memsz = 0;   /* text only: tiny app */
    s.nseg = 2;
    s.sec[3].size = s.sec[4].size = 0;
    s.seg[1].filesz = s.seg[1].memsz = 0x40;
    s.sec[1].size = 0x18;
    ck_assert_msg(convert(&s, NULL) == 0, "%s", err);
    ck_assert_uint_eq(tbf_len, 512);        /* minimum */
    /* binary end exactly 2048: no extra padding */
    s.seg[1].filesz = s.seg[1].memsz = 2048 - 64 - 4;
    s.sec[1].size = s.seg[1].filesz - 0x28;
    ck_assert_msg(convert(&s, NULL) == 0, "%s", err);
    ck_assert_uint_eq(res.binary_end_offset, 2048);
    ck_assert_uint_eq(tbf_len, 2048);
    /* one more byte: 4096 */
    s.seg[1].filesz = s.seg[1].memsz = 2048 - 64 - 4 + 1;
    s.sec[1].size++;
    ck_assert_msg(convert(&s, NULL) == 0, "%s", err);
    ck_assert_uint_eq(tbf_len, 4096);
    ck_assert_uint_eq(g32(tbf, 4), 4096);
    /* a pad of 1..7 bytes cannot hold a footer TLV: plain zeros */
    s.seg[1].filesz = s.seg[1].memsz = 2048 - 64 - 4 - 4;
    s.sec[1].size = s.seg[1].filesz - 0x28;
    ck_assert_msg(convert(&s, NULL) == 0, "%s", err);
    ck_assert_uint_eq(tbf_len, 2048);
    ck_assert_uint_eq(g32(tbf, 2044), 0);
}
END_TEST

START_TEST(test_gap_zero_filled)
{
    struct xspec s = app_spec();
    s.seg[2].paddr += 0x40;     /* hole between flash text and the RAM image */
    ck_assert_msg(convert(&s, NULL) == 0, "%s", err);
    uint32_t b = 64;
    for (uint32_t k = 0; k < 0x40; k++)
        ck_assert_uint_eq(tbf[b + TEXT + k], 0);
    ck_assert_uint_eq(tbf[b + TEXT + 0x40], pat(2, 0));
    ck_assert_uint_eq(res.reloc_offset, b + TEXT + 0x40 + GOT + DATA);
}
END_TEST

START_TEST(test_segments_in_paddr_order)
{
    struct xspec s = app_spec();
    /* list the RAM image first in the program headers: output order is by paddr */
    struct xseg t = s.seg[1];
    s.seg[1] = s.seg[2];
    s.seg[2] = t;
    for (int i = 0; i < s.nsec; i++)
        if (s.sec[i].seg >= 1)
            s.sec[i].seg = 3 - s.sec[i].seg;
    ck_assert_msg(convert(&s, NULL) == 0, "%s", err);
    ck_assert_uint_eq(tbf[64], pat(2, 0));          /* text (now program header 2) first */
    ck_assert_uint_eq(tbf[64 + TEXT], pat(1, 0));
    ck_assert_uint_eq(g32(tbf, res.reloc_offset), sizeof rel_data_bytes);
}
END_TEST

START_TEST(test_protected_region)
{
    struct xspec s = app_spec();
    struct tbf_options o;
    opts(&o, NULL);
    o.protected_set = 1;
    o.protected_size = 128;
    ck_assert_msg(convert(&s, &o) == 0, "%s", err);
    ck_assert_uint_eq(g32(tbf, 24), 128 - 64);      /* trailer */
    ck_assert_uint_eq(g32(tbf, 20), 0x29 + 64);     /* entry measured from the header end */
    ck_assert_uint_eq(tbf[128], pat(1, 0));
    for (uint32_t k = 64; k < 128; k++)
        ck_assert_uint_eq(tbf[k], 0);
    /* the symbol wins over the option */
    s.nsym = 1;
    s.sym[0] = (struct xsym){"tbf_protected_region_size", 256};
    ck_assert_msg(convert(&s, &o) == 0, "%s", err);
    ck_assert_uint_eq(g32(tbf, 24), 256 - 64);
    /* too small for the header */
    s.nsym = 0;
    o.protected_size = 32;
    EXPECT_FAIL(s, &o, "too small for the TBF header");
}
END_TEST

START_TEST(test_non_pic_fixed_addresses)
{
    struct xspec s = app_spec();
    s.seg[1].vaddr = s.seg[1].paddr = 0x00030080;
    s.seg[2].paddr = 0x00030080 + TEXT;
    s.sec[0].addr = 0x00030080;
    s.sec[1].addr = 0x000300a8;
    s.entry = 0x000300a9;
    s.nsym = 1;
    s.sym[0] = (struct xsym){"_sram_origin", 0x20004000};
    ck_assert_msg(convert(&s, NULL) == 0, "%s", err);
    ck_assert_int_eq(res.pic, 0);
    uint32_t hs = g16(tbf, 2);
    ck_assert_uint_eq(hs, 64 + 12);
    ck_assert_uint_eq(g16(tbf, 56), 5);             /* Fixed Addresses before KernelVersion */
    ck_assert_uint_eq(g32(tbf, 60), 0x20004000);
    ck_assert_uint_eq(g32(tbf, 64), 0x00030080);
    ck_assert_uint_eq(g16(tbf, 68), 8);
    /* TBF starts 256-aligned: protected region = 0x80 */
    ck_assert_uint_eq(g32(tbf, 24), 0x80 - hs);
    ck_assert_uint_eq(tbf[0x80], pat(1, 0));
    struct tbf_info info;
    ck_assert_msg(tbf_parse("t", tbf, tbf_len, &info, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(info.has_fixed, 1);
}
END_TEST

/* ---- errors ------------------------------------------------------------------ */

START_TEST(test_errors)
{
    struct xspec s = app_spec();
    s.entry = 0x90000000;
    EXPECT_FAIL(s, NULL, "entry point 0x90000000");
    s = app_spec();
    s.seg[1].flags = 4;         /* no executable segment */
    EXPECT_FAIL(s, NULL, "no executable PT_LOAD segment");
    s = app_spec();
    s.sec[5].size = 20;         /* not whole Elf32_Rel entries */
    EXPECT_FAIL(s, NULL, ".rel.data");
    s = app_spec();
    s.sec[5].type = 4;          /* RELA */
    EXPECT_FAIL(s, NULL, "expected 9 (SHT_REL");
    s = app_spec();
    s.seg[2].paddr = 0x80000000 + TEXT + 0x200000;
    EXPECT_FAIL(s, NULL, "gap of 0x200000 bytes");
    s = app_spec();
    char longname[300];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    struct tbf_options o;
    opts(&o, longname);
    EXPECT_FAIL(s, &o, "package name is 299 bytes");
}
END_TEST

START_TEST(test_parse_rejects_corruption)
{
    struct xspec s = app_spec();
    struct tbf_options o;
    opts(&o, "blink");
    ck_assert_msg(convert(&s, &o) == 0, "%s", err);
    struct tbf_info info;
    ck_assert_msg(tbf_parse("t.tbf", tbf, tbf_len, &info, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(info.init_fn_offset, 0x29);
    ck_assert_int_eq(info.has_main && info.has_program && info.has_kernel_version, 1);
    ck_assert_int_eq(info.ntlvs, 4);
    tbf[60] ^= 1;               /* one bit of the name */
    ck_assert_int_eq(tbf_parse("t.tbf", tbf, tbf_len, &info, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "checksum"));
    tbf[60] ^= 1;
    ck_assert_int_eq(tbf_parse("t.tbf", tbf, 100, &info, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "total_size"));
    tbf[0] = 1;
    ck_assert_int_eq(tbf_parse("t.tbf", tbf, tbf_len, &info, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "version 1; expected 2"));
}
END_TEST

START_TEST(test_inspect_output)
{
    struct xspec s = app_spec();
    struct tbf_options o;
    opts(&o, "hello");
    ck_assert_msg(convert(&s, &o) == 0, "%s", err);
    char *text = NULL;
    size_t tlen = 0;
    FILE *f = open_memstream(&text, &tlen);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(tbf_inspect("hello.tbf", tbf, tbf_len, f, err, sizeof err), 0);
    fclose(f);
    static const char *want[] = {"version", "header_size", "total_size", "(valid)", "Main (1)",
                                 "Program (9)", "package_name             hello", "^2.2",
                                 "minimum_ram_size", "binary_end_offset", "Reserved", "OK"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        ck_assert_msg(strstr(text, want[i]) != NULL, "inspect output lacks \"%s\":\n%s", want[i],
                      text);
    free(text);
}
END_TEST

Suite *elf2tbf_suite(void);

Suite *elf2tbf_suite(void)
{
    Suite *s = suite_create("elf2tbf");
    TCase *tc = tcase_create("convert");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_header_fields);
    tcase_add_test(tc, test_no_package_name);
    tcase_add_test(tc, test_name_padding_and_checksum);
    tcase_add_test(tc, test_options);
    tcase_add_test(tc, test_stack_from_section_or_default);
    tcase_add_test(tc, test_binary_and_relocations);
    tcase_add_test(tc, test_no_relocations);
    tcase_add_test(tc, test_padding_power_of_two);
    tcase_add_test(tc, test_gap_zero_filled);
    tcase_add_test(tc, test_segments_in_paddr_order);
    tcase_add_test(tc, test_protected_region);
    tcase_add_test(tc, test_non_pic_fixed_addresses);
    tcase_add_test(tc, test_errors);
    tcase_add_test(tc, test_parse_rejects_corruption);
    tcase_add_test(tc, test_inspect_output);
    suite_add_tcase(s, tc);
    return s;
}
