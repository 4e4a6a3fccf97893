/*
 * test_elf.c — unit tests of the ELF loader (sim/elf_load.c).
 *
 * Hermetic: every image is assembled in memory by build_elf() below (ELF
 * header, program headers, segment bytes, and optionally .symtab/.strtab/
 * .shstrtab with their section headers), then individual fields are
 * corrupted to reach each error path.  One real arm-none-eabi-gcc image is
 * embedded as bytes (real_elf[] at the end of the file).
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf_load.h"

/* ---- an in-memory ELF32 builder ------------------------------------------ */

#define T_PT_NULL 0u
#define T_PT_LOAD 1u
#define T_PT_NOTE 4u
#define T_PT_ARM_EXIDX 0x70000001u
#define T_PF_X 1u
#define T_PF_W 2u
#define T_PF_R 4u
#define T_STB_LOCAL 0u
#define T_STB_GLOBAL 1u
#define T_STT_OBJECT 1u
#define T_STT_FUNC 2u
#define T_MAX_SEGS 24
#define T_MAX_SYMS 8
#define T_CAP 16384

struct tseg {
    uint32_t type, vaddr, paddr, filesz, memsz, flags;
};

struct tsym {
    const char *name;
    uint32_t value;
    uint8_t info;           /* bind << 4 | type */
    uint16_t shndx;
};

struct tspec {
    uint8_t cls, data;
    uint16_t type, machine;
    uint32_t entry;
    int nsegs;
    struct tseg segs[T_MAX_SEGS];
    bool sections;          /* emit section headers at all */
    int nsyms;              /* > 0: emit .symtab and .strtab */
    struct tsym syms[T_MAX_SYMS];
};

/* where build_elf() put things, so tests can corrupt them */
struct tlayout {
    size_t len;
    uint32_t phoff, shoff, shnum;
    uint32_t seg_off[T_MAX_SEGS];
    uint32_t symtab_idx, strtab_idx;    /* section indices (0: none) */
    uint32_t symtab_off, strtab_off, strtab_size;
};

static uint8_t buf[T_CAP];

static void put8(uint8_t *b, size_t off, uint8_t v) { b[off] = v; }
static void put16(uint8_t *b, size_t off, uint16_t v)
{
    b[off] = (uint8_t)v;
    b[off + 1] = (uint8_t)(v >> 8);
}
static void put32(uint8_t *b, size_t off, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        b[off + (size_t)i] = (uint8_t)(v >> (8 * i));
}

static uint8_t seg_byte(int seg, uint32_t k) { return (uint8_t)(seg * 37 + k * 7 + 1); }

static size_t align4(size_t x) { return (x + 3) & ~(size_t)3; }

/* offset of field `field_off` in program header `i` / section header `i` */
static size_t ph_field(const struct tlayout *lo, int i, size_t field_off)
{
    return lo->phoff + (size_t)i * 32 + field_off;
}
static size_t sh_field(const struct tlayout *lo, uint32_t i, size_t field_off)
{
    return lo->shoff + (size_t)i * 40 + field_off;
}

static void put_shdr(uint8_t *b, size_t off, uint32_t name, uint32_t type, uint32_t offset,
                     uint32_t size, uint32_t link, uint32_t info, uint32_t entsize)
{
    put32(b, off + 0, name);
    put32(b, off + 4, type);
    put32(b, off + 8, 0);
    put32(b, off + 12, 0);
    put32(b, off + 16, offset);
    put32(b, off + 20, size);
    put32(b, off + 24, link);
    put32(b, off + 28, info);
    put32(b, off + 32, 1);
    put32(b, off + 36, entsize);
}

static size_t build_elf(const struct tspec *s, uint8_t *b, struct tlayout *lo)
{
    memset(b, 0, T_CAP);
    memset(lo, 0, sizeof *lo);
    size_t pos = 52;

    lo->phoff = (uint32_t)pos;
    pos += (size_t)s->nsegs * 32;
    for (int i = 0; i < s->nsegs; i++) {
        const struct tseg *g = &s->segs[i];
        pos = align4(pos);
        lo->seg_off[i] = (uint32_t)pos;
        ck_assert(pos + g->filesz < T_CAP);
        for (uint32_t k = 0; k < g->filesz; k++)
            b[pos + k] = seg_byte(i, k);
        size_t ph = lo->phoff + (size_t)i * 32;
        put32(b, ph + 0, g->type);
        put32(b, ph + 4, (uint32_t)pos);
        put32(b, ph + 8, g->vaddr);
        put32(b, ph + 12, g->paddr);
        put32(b, ph + 16, g->filesz);
        put32(b, ph + 20, g->memsz);
        put32(b, ph + 24, g->flags);
        put32(b, ph + 28, 4);
        pos += g->filesz;
    }

    uint32_t shnum = 0;
    size_t shstr_off = 0, shstr_size = 0;
    static const char shstr_syms[] = "\0.symtab\0.strtab\0.shstrtab";  /* 1, 9, 17 */
    static const char shstr_plain[] = "\0.shstrtab";                    /* 1 */
    if (s->sections) {
        if (s->nsyms > 0) {
            /* .strtab */
            lo->strtab_off = (uint32_t)pos;
            b[pos++] = 0;
            uint32_t name_off[T_MAX_SYMS];
            for (int i = 0; i < s->nsyms; i++) {
                size_t n = strlen(s->syms[i].name) + 1;
                name_off[i] = (uint32_t)(pos - lo->strtab_off);
                memcpy(b + pos, s->syms[i].name, n);
                pos += n;
            }
            lo->strtab_size = (uint32_t)(pos - lo->strtab_off);
            /* .symtab: the null symbol, then ours */
            pos = align4(pos);
            lo->symtab_off = (uint32_t)pos;
            pos += 16;
            for (int i = 0; i < s->nsyms; i++) {
                put32(b, pos + 0, name_off[i]);
                put32(b, pos + 4, s->syms[i].value);
                put32(b, pos + 8, 4);
                put8(b, pos + 12, s->syms[i].info);
                put8(b, pos + 13, 0);
                put16(b, pos + 14, s->syms[i].shndx);
                pos += 16;
            }
            shstr_off = pos;
            memcpy(b + pos, shstr_syms, sizeof shstr_syms);
            shstr_size = sizeof shstr_syms;
            pos += shstr_size;
            shnum = 4;
            lo->symtab_idx = 1;
            lo->strtab_idx = 2;
        } else {
            shstr_off = pos;
            memcpy(b + pos, shstr_plain, sizeof shstr_plain);
            shstr_size = sizeof shstr_plain;
            pos += shstr_size;
            shnum = 2;
        }
        pos = align4(pos);
        lo->shoff = (uint32_t)pos;
        lo->shnum = shnum;
        /* section 0 stays all-zero */
        if (s->nsyms > 0) {
            put_shdr(b, pos + 40, 1, 2, lo->symtab_off, (uint32_t)(s->nsyms + 1) * 16, 2, 1, 16);
            put_shdr(b, pos + 80, 9, 3, lo->strtab_off, lo->strtab_size, 0, 0, 0);
            put_shdr(b, pos + 120, 17, 3, (uint32_t)shstr_off, (uint32_t)shstr_size, 0, 0, 0);
        } else {
            put_shdr(b, pos + 40, 1, 3, (uint32_t)shstr_off, (uint32_t)shstr_size, 0, 0, 0);
        }
        pos += shnum * 40;
    }
    ck_assert(pos < T_CAP);

    /* the ELF header */
    b[0] = 0x7f;
    b[1] = 'E';
    b[2] = 'L';
    b[3] = 'F';
    b[4] = s->cls;
    b[5] = s->data;
    b[6] = 1;
    put16(b, 16, s->type);
    put16(b, 18, s->machine);
    put32(b, 20, 1);
    put32(b, 24, s->entry);
    put32(b, 28, s->nsegs > 0 ? lo->phoff : 0);
    put32(b, 32, lo->shoff);
    put32(b, 36, 0x05000200);   /* EF_ARM_EABI_VER5 | EF_ARM_ABI_FLOAT_SOFT */
    put16(b, 40, 52);
    put16(b, 42, 32);
    put16(b, 44, (uint16_t)s->nsegs);
    put16(b, 46, 40);
    put16(b, 48, (uint16_t)shnum);
    put16(b, 50, shnum > 0 ? (uint16_t)(shnum - 1) : 0);
    lo->len = pos;
    return pos;
}

/* a typical firmware: flash text, RAM data+bss loaded from flash, symbols */
static struct tspec good_spec(void)
{
    struct tspec s;
    memset(&s, 0, sizeof s);
    s.cls = 1;
    s.data = 1;
    s.type = 2;
    s.machine = 40;
    s.entry = 0x41;
    s.nsegs = 2;
    s.segs[0] = (struct tseg){T_PT_LOAD, 0x00000000, 0x00000000, 64, 64, T_PF_R | T_PF_X};
    s.segs[1] = (struct tseg){T_PT_LOAD, 0x20000000, 0x00000040, 16, 48, T_PF_R | T_PF_W};
    s.sections = true;
    s.nsyms = 5;
    s.syms[0] = (struct tsym){"main", 0x41, (T_STB_GLOBAL << 4) | T_STT_FUNC, 1};
    s.syms[1] = (struct tsym){"counter", 0x20000000, (T_STB_GLOBAL << 4) | T_STT_OBJECT, 2};
    s.syms[2] = (struct tsym){"helper", 0x21, (T_STB_LOCAL << 4) | T_STT_FUNC, 1};
    s.syms[3] = (struct tsym){"extern_thing", 0, (T_STB_GLOBAL << 4), 0};   /* undefined */
    s.syms[4] = (struct tsym){"_estack", 0x20010000, (T_STB_GLOBAL << 4), 0xfff1};  /* ABS */
    return s;
}

static char err[512];
static struct elf_image img;

static int load(size_t len)
{
    err[0] = '\0';
    return elf_load_buffer("fw.elf", buf, len, &img, err, sizeof err);
}

/* the load must fail and the message must contain `want` */
#define EXPECT_ERR(len, want)                                                                 \
    do {                                                                                      \
        int rc_ = load(len);                                                                  \
        ck_assert_msg(rc_ == -1, "load succeeded; expected an error containing \"%s\"", want); \
        ck_assert_msg(strncmp(err, "fw.elf: ", 8) == 0, "error lacks the file name: %s", err);  \
        ck_assert_msg(strstr(err, want) != NULL, "error \"%s\" lacks \"%s\"", err, want);       \
        ck_assert_ptr_null(img.file);                                                         \
        ck_assert_int_eq(img.nsegs, 0);                                                       \
    } while (0)

static void teardown(void) { elf_free(&img); }

/* ---- good paths ---------------------------------------------------------- */

START_TEST(test_good_image)
{
    struct tspec s = good_spec();
    struct tlayout lo;
    size_t len = build_elf(&s, buf, &lo);
    ck_assert_msg(load(len) == 0, "%s", err);
    ck_assert_str_eq(img.path, "fw.elf");
    ck_assert_uint_eq(img.file_size, len);
    ck_assert_uint_eq(img.entry, 0x41);
    ck_assert_int_eq(img.nsegs, 2);
    ck_assert_uint_eq(img.segs[0].paddr, 0);
    ck_assert_uint_eq(img.segs[0].vaddr, 0);
    ck_assert_uint_eq(img.segs[0].filesz, 64);
    ck_assert_uint_eq(img.segs[0].memsz, 64);
    ck_assert_uint_eq(img.segs[0].flags, T_PF_R | T_PF_X);
    ck_assert_uint_eq(img.segs[1].paddr, 0x40);
    ck_assert_uint_eq(img.segs[1].vaddr, 0x20000000);
    ck_assert_uint_eq(img.segs[1].filesz, 16);
    ck_assert_uint_eq(img.segs[1].memsz, 48);    /* bss: memsz > filesz */
    ck_assert_uint_eq(img.segs[1].flags, T_PF_R | T_PF_W);
    /* the data points into the loader's own copy, at the right bytes */
    ck_assert_ptr_eq(img.segs[0].data, img.file + lo.seg_off[0]);
    ck_assert_ptr_eq(img.segs[1].data, img.file + lo.seg_off[1]);
    ck_assert_ptr_ne(img.segs[0].data, buf + lo.seg_off[0]);
    for (uint32_t k = 0; k < 16; k++)
        ck_assert_uint_eq(img.segs[1].data[k], seg_byte(1, k));
    ck_assert_ptr_nonnull(img.symtab);
    ck_assert_uint_eq(img.symtab_count, 6);
    ck_assert_ptr_nonnull(img.strtab);
    ck_assert_uint_eq(img.strtab_size, lo.strtab_size);
}
END_TEST

START_TEST(test_source_buffer_not_kept)
{
    struct tspec s = good_spec();
    struct tlayout lo;
    size_t len = build_elf(&s, buf, &lo);
    ck_assert_msg(load(len) == 0, "%s", err);
    memset(buf, 0xa5, sizeof buf);  /* the image owns a copy */
    ck_assert_uint_eq(img.segs[0].data[0], seg_byte(0, 0));
    uint32_t v = 0;
    ck_assert_int_eq(elf_find_symbol(&img, "main", &v), 0);
    ck_assert_uint_eq(v, 0x41);
}
END_TEST

START_TEST(test_segments_sorted_by_paddr)
{
    struct tspec s = good_spec();
    s.nsegs = 4;
    s.segs[0] = (struct tseg){T_PT_LOAD, 0x20001000, 0x20001000, 0, 256, T_PF_R | T_PF_W};
    s.segs[1] = (struct tseg){T_PT_LOAD, 0x00000100, 0x00000100, 8, 8, T_PF_R};
    s.segs[2] = (struct tseg){T_PT_LOAD, 0x20000000, 0x20000000, 4, 4, T_PF_R | T_PF_W};
    s.segs[3] = (struct tseg){T_PT_LOAD, 0x00000000, 0x00000000, 16, 16, T_PF_R | T_PF_X};
    struct tlayout lo;
    size_t len = build_elf(&s, buf, &lo);
    ck_assert_msg(load(len) == 0, "%s", err);
    ck_assert_int_eq(img.nsegs, 4);
    ck_assert_uint_eq(img.segs[0].paddr, 0x00000000);
    ck_assert_uint_eq(img.segs[1].paddr, 0x00000100);
    ck_assert_uint_eq(img.segs[2].paddr, 0x20000000);
    ck_assert_uint_eq(img.segs[3].paddr, 0x20001000);
    ck_assert_uint_eq(img.segs[0].filesz, 16);
    ck_assert_ptr_eq(img.segs[0].data, img.file + lo.seg_off[3]);
    ck_assert_ptr_eq(img.segs[1].data, img.file + lo.seg_off[1]);
    /* a pure-bss segment: no file bytes, but a valid pointer */
    ck_assert_uint_eq(img.segs[3].filesz, 0);
    ck_assert_uint_eq(img.segs[3].memsz, 256);
    ck_assert_ptr_nonnull(img.segs[3].data);
}
END_TEST

START_TEST(test_empty_and_other_segments_skipped)
{
    struct tspec s = good_spec();
    s.nsegs = 5;
    s.segs[2] = (struct tseg){T_PT_LOAD, 0x30000000, 0x30000000, 0, 0, T_PF_R};   /* memsz 0 */
    s.segs[3] = (struct tseg){T_PT_ARM_EXIDX, 0x38, 0x38, 8, 8, T_PF_R};  /* inside seg 0 */
    s.segs[4] = (struct tseg){T_PT_NOTE, 0, 0, 12, 12, T_PF_R};
    struct tlayout lo;
    size_t len = build_elf(&s, buf, &lo);
    ck_assert_msg(load(len) == 0, "%s", err);
    ck_assert_int_eq(img.nsegs, 2);
    ck_assert_uint_eq(img.segs[0].paddr, 0);
    ck_assert_uint_eq(img.segs[1].paddr, 0x40);
}
END_TEST

START_TEST(test_adjacent_segments_ok)
{
    struct tspec s = good_spec();
    /* seg 1 starts exactly where seg 0 ends: touching is not overlapping */
    s.segs[1].paddr = 64;
    struct tlayout lo;
    size_t len = build_elf(&s, buf, &lo);
    ck_assert_msg(load(len) == 0, "%s", err);
    /* a segment ending exactly at 4 GiB is fine too */
    elf_free(&img);
    s.segs[1].paddr = 0xffffffd0;
    s.segs[1].memsz = 0x30;
    len = build_elf(&s, buf, &lo);
    ck_assert_msg(load(len) == 0, "%s", err);
    ck_assert_uint_eq(img.segs[1].paddr, 0xffffffd0);
}
END_TEST

START_TEST(test_max_segments_ok)
{
    struct tspec s = good_spec();
    s.nsegs = ELF_MAX_SEGMENTS;
    for (int i = 0; i < s.nsegs; i++)
        s.segs[i] = (struct tseg){T_PT_LOAD, 0x1000u * (uint32_t)i, 0x1000u * (uint32_t)i, 4,
                                  0x100, T_PF_R};
    struct tlayout lo;
    size_t len = build_elf(&s, buf, &lo);
    ck_assert_msg(load(len) == 0, "%s", err);
    ck_assert_int_eq(img.nsegs, ELF_MAX_SEGMENTS);
    ck_assert_uint_eq(img.segs[ELF_MAX_SEGMENTS - 1].paddr, 0x1000u * (ELF_MAX_SEGMENTS - 1));
}
END_TEST

START_TEST(test_symbols)
{
    struct tspec s = good_spec();
    struct tlayout lo;
    size_t len = build_elf(&s, buf, &lo);
    ck_assert_msg(load(len) == 0, "%s", err);
    uint32_t v = 0xdeadbeef;
    ck_assert_int_eq(elf_find_symbol(&img, "main", &v), 0);
    ck_assert_uint_eq(v, 0x41);
    ck_assert_int_eq(elf_find_symbol(&img, "counter", &v), 0);
    ck_assert_uint_eq(v, 0x20000000);
    ck_assert_int_eq(elf_find_symbol(&img, "helper", &v), 0);     /* local symbols count */
    ck_assert_uint_eq(v, 0x21);
    ck_assert_int_eq(elf_find_symbol(&img, "_estack", &v), 0);    /* absolute */
    ck_assert_uint_eq(v, 0x20010000);
    v = 0x1234;
    ck_assert_int_eq(elf_find_symbol(&img, "extern_thing", &v), -1);  /* undefined */
    ck_assert_int_eq(elf_find_symbol(&img, "nosuch", &v), -1);
    ck_assert_int_eq(elf_find_symbol(&img, "mai", &v), -1);       /* no prefix matches */
    ck_assert_int_eq(elf_find_symbol(&img, "mainx", &v), -1);
    ck_assert_int_eq(elf_find_symbol(&img, "", &v), -1);          /* the null symbol */
    ck_assert_uint_eq(v, 0x1234);                                 /* untouched on failure */
    ck_assert_int_eq(elf_find_symbol(&img, "main", NULL), 0);
    ck_assert_int_eq(elf_find_symbol(&img, NULL, &v), -1);
    ck_assert_int_eq(elf_find_symbol(NULL, "main", &v), -1);
}
END_TEST

START_TEST(test_symbol_global_preferred)
{
    struct tspec s = good_spec();
    s.nsyms = 3;
    s.syms[0] = (struct tsym){"dup", 0x100, (T_STB_LOCAL << 4) | T_STT_FUNC, 1};
    s.syms[1] = (struct tsym){"dup", 0x200, (T_STB_GLOBAL << 4) | T_STT_FUNC, 1};
    s.syms[2] = (struct tsym){"dup", 0x300, (T_STB_LOCAL << 4) | T_STT_FUNC, 1};
    struct tlayout lo;
    size_t len = build_elf(&s, buf, &lo);
    ck_assert_msg(load(len) == 0, "%s", err);
    uint32_t v = 0;
    ck_assert_int_eq(elf_find_symbol(&img, "dup", &v), 0);
    ck_assert_uint_eq(v, 0x200);
}
END_TEST

START_TEST(test_symbol_names_bounds_checked)
{
    struct tspec s = good_spec();
    s.nsyms = 2;
    s.syms[0] = (struct tsym){"first", 0x10, (T_STB_GLOBAL << 4), 1};
    s.syms[1] = (struct tsym){"last", 0x20, (T_STB_GLOBAL << 4), 1};
    struct tlayout lo;
    size_t len = build_elf(&s, buf, &lo);
    /* cut the string table just before the final NUL of "last" */
    put32(buf, sh_field(&lo, lo.strtab_idx, 20), lo.strtab_size - 1);
    /* and point the first symbol's name far outside the string table */
    put32(buf, lo.symtab_off + 16 + 0, 0xfffffff0u);
    ck_assert_msg(load(len) == 0, "%s", err);
    uint32_t v = 0;
    ck_assert_int_eq(elf_find_symbol(&img, "last", &v), -1);
    ck_assert_int_eq(elf_find_symbol(&img, "first", &v), -1);
}
END_TEST

START_TEST(test_no_sections_is_fine)
{
    struct tspec s = good_spec();
    s.sections = false;
    s.nsyms = 0;
    struct tlayout lo;
    size_t len = build_elf(&s, buf, &lo);
    ck_assert_msg(load(len) == 0, "%s", err);
    ck_assert_ptr_null(img.symtab);
    ck_assert_uint_eq(img.symtab_count, 0);
    uint32_t v;
    ck_assert_int_eq(elf_find_symbol(&img, "main", &v), -1);
}
END_TEST

START_TEST(test_no_symtab_is_fine)
{
    struct tspec s = good_spec();
    s.nsyms = 0;    /* sections (.shstrtab only), no .symtab: a stripped image */
    struct tlayout lo;
    size_t len = build_elf(&s, buf, &lo);
    ck_assert_msg(load(len) == 0, "%s", err);
    ck_assert_ptr_null(img.symtab);
    uint32_t v;
    ck_assert_int_eq(elf_find_symbol(&img, "main", &v), -1);
}
END_TEST

START_TEST(test_free_twice)
{
    struct tspec s = good_spec();
    struct tlayout lo;
    size_t len = build_elf(&s, buf, &lo);
    ck_assert_msg(load(len) == 0, "%s", err);
    elf_free(&img);
    ck_assert_ptr_null(img.file);
    ck_assert_int_eq(img.nsegs, 0);
    elf_free(&img);
    elf_free(NULL);
    uint32_t v;
    ck_assert_int_eq(elf_find_symbol(&img, "main", &v), -1);
}
END_TEST

/* ---- header errors ------------------------------------------------------- */

START_TEST(test_bad_magic)
{
    struct tspec s = good_spec();
    struct tlayout lo;
    size_t len = build_elf(&s, buf, &lo);
    buf[1] = 'e';
    EXPECT_ERR(len, "not an ELF file (bad magic)");
    EXPECT_ERR(0, "not an ELF file (bad magic)");
    build_elf(&s, buf, &lo);
    EXPECT_ERR(3, "not an ELF file (bad magic)");
    memcpy(buf, "#!/bin/sh\necho hi\n", 18);
    EXPECT_ERR(18, "not an ELF file (bad magic)");
}
END_TEST

START_TEST(test_null_data)
{
    ck_assert_int_eq(elf_load_buffer("x", NULL, 0, &img, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "bad magic"));
    ck_assert_int_eq(elf_load_buffer("x", NULL, 100, &img, err, sizeof err), -1);
    /* a tiny error buffer is truncated, not overrun */
    char small[8];
    memset(small, 'z', sizeof small);
    ck_assert_int_eq(elf_load_buffer("name", buf, 0, &img, small, sizeof small), -1);
    ck_assert_int_eq(small[7], '\0');
    ck_assert_int_eq(elf_load_buffer("name", buf, 0, &img, NULL, 0), -1);
}
END_TEST

START_TEST(test_class_64)
{
    struct tspec s = good_spec();
    s.cls = 2;
    struct tlayout lo;
    size_t len = build_elf(&s, buf, &lo);
    EXPECT_ERR(len, "ELF class 64-bit; expected 32-bit (ELFCLASS32)");
    buf[4] = 7;
    EXPECT_ERR(len, "invalid ELF class 7");
}
END_TEST

START_TEST(test_big_endian)
{
    struct tspec s = good_spec();
    s.data = 2;
    struct tlayout lo;
    size_t len = build_elf(&s, buf, &lo);
    EXPECT_ERR(len, "big-endian; expected little-endian");
    buf[5] = 0;
    EXPECT_ERR(len, "invalid ELF data encoding 0");
}
END_TEST

START_TEST(test_bad_ident_version)
{
    struct tspec s = good_spec();
    struct tlayout lo;
    size_t len = build_elf(&s, buf, &lo);
    buf[6] = 0;
    EXPECT_ERR(len, "ELF identification version 0");
    buf[6] = 1;
    put32(buf, 20, 2);
    EXPECT_ERR(len, "e_version 2");
}
END_TEST

START_TEST(test_wrong_machine)
{
    struct tspec s = good_spec();
    s.machine = 62;
    struct tlayout lo;
    size_t len = build_elf(&s, buf, &lo);
    EXPECT_ERR(len, "machine 62 (x86-64); expected 40 (ARM)");
    put16(buf, 18, 183);
    EXPECT_ERR(len, "machine 183 (AArch64); expected 40 (ARM)");
    put16(buf, 18, 4242);
    EXPECT_ERR(len, "machine 4242 (unknown); expected 40 (ARM)");
}
END_TEST

START_TEST(test_wrong_type)
{
    struct tspec s = good_spec();
    s.type = 1;
    struct tlayout lo;
    size_t len = build_elf(&s, buf, &lo);
    EXPECT_ERR(len, "type ET_REL; expected an executable (ET_EXEC)");
    put16(buf, 16, 3);
    EXPECT_ERR(len, "type ET_DYN; expected an executable (ET_EXEC)");
    put16(buf, 16, 4);
    EXPECT_ERR(len, "type ET_CORE; expected an executable (ET_EXEC)");
    put16(buf, 16, 0xfe00);
    EXPECT_ERR(len, "type 65024; expected an executable (ET_EXEC)");
}
END_TEST

START_TEST(test_truncated_header)
{
    struct tspec s = good_spec();
    struct tlayout lo;
    build_elf(&s, buf, &lo);
    EXPECT_ERR(40, "truncated: ELF header needs 52 bytes, file has 40");
    EXPECT_ERR(10, "truncated: ELF identification is 10 bytes");
}
END_TEST

START_TEST(test_no_program_headers)
{
    struct tspec s = good_spec();
    s.nsegs = 0;
    struct tlayout lo;
    size_t len = build_elf(&s, buf, &lo);
    EXPECT_ERR(len, "no loadable segment");
}
END_TEST

START_TEST(test_bad_phentsize)
{
    struct tspec s = good_spec();
    struct tlayout lo;
    size_t len = build_elf(&s, buf, &lo);
    put16(buf, 42, 56);     /* an ELF64 program header size */
    EXPECT_ERR(len, "e_phentsize 56; expected 32");
    put16(buf, 42, 32);
    put16(buf, 44, 0xffff);
    EXPECT_ERR(len, "e_phnum 0xffff");
}
END_TEST

START_TEST(test_ehsize_too_small)
{
    struct tspec s = good_spec();
    struct tlayout lo;
    size_t len = build_elf(&s, buf, &lo);
    put16(buf, 40, 12);
    EXPECT_ERR(len, "e_ehsize 12; expected at least 52");
}
END_TEST

/* ---- program header and segment errors ----------------------------------- */

START_TEST(test_program_header_truncated)
{
    struct tspec s = good_spec();
    s.nsegs = 3;
    s.segs[2] = (struct tseg){T_PT_LOAD, 0x30000000, 0x30000000, 4, 4, T_PF_R};
    s.sections = false;
    struct tlayout lo;
    size_t len = build_elf(&s, buf, &lo);
    /* move the table so that header 2 straddles the end of the file */
    uint32_t phoff = (uint32_t)len - 2 * 32 - 10;
    memmove(buf + phoff, buf + lo.phoff, 2 * 32 + 10);
    put32(buf, 28, phoff);
    char want[160];
    snprintf(want, sizeof want,
             "truncated: program header 2 at offset 0x%x extends past end of file (size %zu)",
             phoff + 64, len);
    EXPECT_ERR(len, want);
    /* the table offset itself beyond the end, and near 4 GiB (no wrap-around) */
    put32(buf, 28, (uint32_t)len + 100);
    EXPECT_ERR(len, "truncated: program header 0 at offset");
    put32(buf, 28, 0xffffffe8u);
    EXPECT_ERR(len, "truncated: program header 0 at offset 0xffffffe8");
}
END_TEST

START_TEST(test_segment_data_past_eof)
{
    struct tspec s = good_spec();
    struct tlayout lo;
    size_t len = build_elf(&s, buf, &lo);
    put32(buf, ph_field(&lo, 1, 16), (uint32_t)len);   /* p_filesz */
    put32(buf, ph_field(&lo, 1, 20), (uint32_t)len);   /* p_memsz */
    EXPECT_ERR(len, "truncated: segment 1 data at offset");
    ck_assert_ptr_nonnull(strstr(err, "extends past end of file"));
    /* offset + size wrapping around 32 bits must not pass the check */
    build_elf(&s, buf, &lo);
    put32(buf, ph_field(&lo, 0, 4), 0xfffffff0u);      /* p_offset */
    put32(buf, ph_field(&lo, 0, 16), 0x20);
    put32(buf, ph_field(&lo, 0, 20), 0x20);
    EXPECT_ERR(len, "truncated: segment 0 data at offset 0xfffffff0");
    /* a file cut inside the segment data */
    build_elf(&s, buf, &lo);
    EXPECT_ERR(lo.seg_off[1] + 8, "truncated: segment 1 data");
}
END_TEST

START_TEST(test_filesz_gt_memsz)
{
    struct tspec s = good_spec();
    s.segs[0].memsz = 32;
    struct tlayout lo;
    size_t len = build_elf(&s, buf, &lo);
    EXPECT_ERR(len, "segment 0: p_filesz 0x40 is larger than p_memsz 0x20");
}
END_TEST

START_TEST(test_too_many_segments)
{
    struct tspec s = good_spec();
    s.nsegs = ELF_MAX_SEGMENTS + 3;
    for (int i = 0; i < s.nsegs; i++)
        s.segs[i] = (struct tseg){T_PT_LOAD, 0x1000u * (uint32_t)i, 0x1000u * (uint32_t)i, 4,
                                  0x100, T_PF_R};
    struct tlayout lo;
    size_t len = build_elf(&s, buf, &lo);
    char want[100];
    snprintf(want, sizeof want, "too many PT_LOAD segments: %d; at most %d", ELF_MAX_SEGMENTS + 3,
             ELF_MAX_SEGMENTS);
    EXPECT_ERR(len, want);
}
END_TEST

START_TEST(test_overlapping_segments)
{
    struct tspec s = good_spec();
    s.segs[1].paddr = 0x30;     /* inside [0, 0x40) */
    struct tlayout lo;
    size_t len = build_elf(&s, buf, &lo);
    EXPECT_ERR(len, "overlapping PT_LOAD segments: [0x00000000, 0x00000040) and [0x00000030");
    /* overlap through the bss part (memsz), listed in reverse order */
    s = good_spec();
    s.segs[0] = (struct tseg){T_PT_LOAD, 0x20000100, 0x20000100, 4, 4, T_PF_R};
    s.segs[1] = (struct tseg){T_PT_LOAD, 0x20000000, 0x20000000, 4, 0x200, T_PF_R | T_PF_W};
    len = build_elf(&s, buf, &lo);
    EXPECT_ERR(len, "overlapping PT_LOAD segments");
    /* same paddr */
    s.segs[0].paddr = 0x20000000;
    len = build_elf(&s, buf, &lo);
    EXPECT_ERR(len, "overlapping PT_LOAD segments");
}
END_TEST

START_TEST(test_segment_wraps_address_space)
{
    struct tspec s = good_spec();
    s.segs[1].paddr = 0xfffffff0;
    s.segs[1].memsz = 0x20;
    struct tlayout lo;
    size_t len = build_elf(&s, buf, &lo);
    EXPECT_ERR(len, "segment 1: p_paddr 0xfffffff0 + p_memsz 0x20 wraps");
}
END_TEST

START_TEST(test_no_loadable_segment)
{
    struct tspec s = good_spec();
    s.segs[0] = (struct tseg){T_PT_NOTE, 0, 0, 8, 8, T_PF_R};
    s.segs[1] = (struct tseg){T_PT_LOAD, 0, 0, 0, 0, T_PF_R};   /* empty */
    struct tlayout lo;
    size_t len = build_elf(&s, buf, &lo);
    EXPECT_ERR(len, "no loadable segment");
}
END_TEST

/* ---- section header and symbol table errors ------------------------------ */

START_TEST(test_section_headers_out_of_range)
{
    struct tspec s = good_spec();
    struct tlayout lo;
    size_t len = build_elf(&s, buf, &lo);
    put32(buf, 32, (uint32_t)len - 50);     /* e_shoff: header 1 straddles the end */
    char want[160];
    snprintf(want, sizeof want,
             "truncated: section header 1 at offset 0x%zx extends past end of file (size %zu)",
             len - 10, len);
    EXPECT_ERR(len, want);
    put32(buf, 32, 0xfffffff0u);
    EXPECT_ERR(len, "truncated: section header 0 at offset 0xfffffff0");
    /* a file cut in its section header table */
    build_elf(&s, buf, &lo);
    EXPECT_ERR(len - 1, "truncated: section header 3");
}
END_TEST

START_TEST(test_bad_shentsize)
{
    struct tspec s = good_spec();
    struct tlayout lo;
    size_t len = build_elf(&s, buf, &lo);
    put16(buf, 46, 64);
    EXPECT_ERR(len, "e_shentsize 64; expected 40");
}
END_TEST

START_TEST(test_extended_section_count)
{
    struct tspec s = good_spec();
    struct tlayout lo;
    size_t len = build_elf(&s, buf, &lo);
    /* e_shnum 0 with e_shoff set: the count lives in section 0's sh_size */
    put16(buf, 48, 0);
    put32(buf, sh_field(&lo, 0, 20), lo.shnum);
    ck_assert_msg(load(len) == 0, "%s", err);
    uint32_t v;
    ck_assert_int_eq(elf_find_symbol(&img, "main", &v), 0);
    elf_free(&img);
    put32(buf, sh_field(&lo, 0, 20), 1000);
    EXPECT_ERR(len, "truncated: section header");
}
END_TEST

START_TEST(test_symtab_out_of_range)
{
    struct tspec s = good_spec();
    struct tlayout lo;
    size_t len = build_elf(&s, buf, &lo);
    put32(buf, sh_field(&lo, lo.symtab_idx, 16), (uint32_t)len - 16);   /* sh_offset */
    EXPECT_ERR(len, "symbol table (section 1) at offset");
    ck_assert_ptr_nonnull(strstr(err, "extends past end of file"));
    build_elf(&s, buf, &lo);
    put32(buf, sh_field(&lo, lo.symtab_idx, 16), 0xfffffff0u);
    EXPECT_ERR(len, "symbol table (section 1) at offset 0xfffffff0");
    build_elf(&s, buf, &lo);
    put32(buf, sh_field(&lo, lo.symtab_idx, 20), 0x7ffffff0u);         /* sh_size */
    EXPECT_ERR(len, "symbol table (section 1) at offset");
}
END_TEST

START_TEST(test_symtab_bad_entsize)
{
    struct tspec s = good_spec();
    struct tlayout lo;
    size_t len = build_elf(&s, buf, &lo);
    put32(buf, sh_field(&lo, lo.symtab_idx, 36), 24);
    EXPECT_ERR(len, "symbol table (section 1): sh_entsize 24; expected 16");
    put32(buf, sh_field(&lo, lo.symtab_idx, 36), 16);
    put32(buf, sh_field(&lo, lo.symtab_idx, 20), 16 * 3 + 5);
    EXPECT_ERR(len, "not a multiple of the entry size 16");
}
END_TEST

START_TEST(test_symtab_bad_link)
{
    struct tspec s = good_spec();
    struct tlayout lo;
    size_t len = build_elf(&s, buf, &lo);
    put32(buf, sh_field(&lo, lo.symtab_idx, 24), 99);
    EXPECT_ERR(len, "string table index 99 (sh_link) out of range; expected 1..3");
    put32(buf, sh_field(&lo, lo.symtab_idx, 24), 0);
    EXPECT_ERR(len, "string table index 0 (sh_link) out of range");
    put32(buf, sh_field(&lo, lo.symtab_idx, 24), 1);    /* links to itself */
    EXPECT_ERR(len, "linked section 1 has type 2; expected 3 (SHT_STRTAB)");
}
END_TEST

START_TEST(test_strtab_out_of_range)
{
    struct tspec s = good_spec();
    struct tlayout lo;
    size_t len = build_elf(&s, buf, &lo);
    put32(buf, sh_field(&lo, lo.strtab_idx, 20), (uint32_t)len);
    EXPECT_ERR(len, "string table (section 2) at offset");
    build_elf(&s, buf, &lo);
    put32(buf, sh_field(&lo, lo.strtab_idx, 16), 0xffffff00u);
    EXPECT_ERR(len, "string table (section 2) at offset 0xffffff00");
}
END_TEST

/* ---- robustness ---------------------------------------------------------- */

/* exercise whatever loaded: every pointer must stay inside the file */
static void check_loaded_image(void)
{
    for (int i = 0; i < img.nsegs; i++) {
        const struct elf_segment *g = &img.segs[i];
        ck_assert(g->memsz > 0 && g->filesz <= g->memsz);
        ck_assert(g->data >= img.file);
        ck_assert((size_t)(g->data - img.file) + g->filesz <= img.file_size);
        if (i > 0)
            ck_assert(img.segs[i - 1].paddr < g->paddr);
        volatile uint8_t sink = 0;
        for (uint32_t k = 0; k < g->filesz; k++)
            sink ^= g->data[k];
        (void)sink;
    }
    uint32_t v;
    (void)elf_find_symbol(&img, "main", &v);
    (void)elf_find_symbol(&img, "counter", &v);
    (void)elf_find_symbol(&img, "", &v);
}

START_TEST(test_every_truncation)
{
    struct tspec s = good_spec();
    struct tlayout lo;
    size_t len = build_elf(&s, buf, &lo);
    for (size_t n = 0; n <= len; n++) {
        int rc = elf_load_buffer("fw.elf", buf, n, &img, err, sizeof err);
        if (n < len)
            ck_assert_msg(rc == -1, "a file cut to %zu of %zu bytes loaded", n, len);
        else
            ck_assert_msg(rc == 0, "%s", err);
        if (rc == 0)
            check_loaded_image();
        else
            ck_assert_msg(strncmp(err, "fw.elf: ", 8) == 0 && strlen(err) > 8, "%s", err);
        elf_free(&img);
    }
}
END_TEST

START_TEST(test_random_corruption)
{
    struct tspec s = good_spec();
    struct tlayout lo;
    size_t len = build_elf(&s, buf, &lo);
    static uint8_t orig[T_CAP];
    memcpy(orig, buf, len);
    uint32_t x = 0x12345678u;
    int ok = 0;
    for (int iter = 0; iter < 20000; iter++) {
        memcpy(buf, orig, len);
        int nflips = 1 + iter % 4;
        for (int f = 0; f < nflips; f++) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            size_t pos = (iter & 1) ? x % len : x % (52 + 64);  /* favour the headers */
            buf[pos] = (uint8_t)(x >> 24);
        }
        /* exact-size heap copy, so that ASan sees any over-read */
        uint8_t *copy = malloc(len);
        ck_assert_ptr_nonnull(copy);
        memcpy(copy, buf, len);
        int rc = elf_load_buffer("fw.elf", copy, len, &img, err, sizeof err);
        free(copy);
        if (rc == 0) {
            ok++;
            check_loaded_image();
        } else {
            ck_assert(strlen(err) > 8);
        }
        elf_free(&img);
    }
    ck_assert(ok > 0);
}
END_TEST

/* ---- loading from a file ------------------------------------------------- */

START_TEST(test_load_file)
{
    struct tspec s = good_spec();
    struct tlayout lo;
    size_t len = build_elf(&s, buf, &lo);
    char path[] = "/tmp/hailsim-test-elf-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, buf, len), (ssize_t)len);
    close(fd);
    int rc = elf_load_file(path, &img, err, sizeof err);
    ck_assert_msg(rc == 0, "%s", err);
    ck_assert_str_eq(img.path, path);
    ck_assert_int_eq(img.nsegs, 2);
    uint32_t v;
    ck_assert_int_eq(elf_find_symbol(&img, "counter", &v), 0);
    ck_assert_uint_eq(v, 0x20000000);
    elf_free(&img);
    /* errors carry the path */
    fd = open(path, O_WRONLY | O_TRUNC);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, "hello", 5), 5);
    close(fd);
    ck_assert_int_eq(elf_load_file(path, &img, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, path));
    ck_assert_ptr_nonnull(strstr(err, "not an ELF file (bad magic)"));
    unlink(path);
    ck_assert_int_eq(elf_load_file(path, &img, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "cannot open") != NULL, "%s", err);
    ck_assert_ptr_null(img.file);
    ck_assert_int_eq(elf_load_file("/tmp", &img, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "/tmp: not a regular file") != NULL, "%s", err);
    ck_assert_int_eq(elf_load_file(NULL, &img, err, sizeof err), -1);
}
END_TEST

/* ---- a real arm-none-eabi-gcc image -------------------------------------- */

/*
 * 980 bytes: arm-none-eabi-gcc 12.2 -mcpu=cortex-m4 -mthumb -Os -nostdlib
 * -Wl,-z,max-page-size=4, stripped of debug info (symbols kept), from
 *
 *     volatile uint32_t counter = 0x12345678;   uint32_t zeroed[8];
 *     const void *vectors[2] = { &_estack, Reset_Handler };  (.isr_vector @0)
 *     void Reset_Handler(void) { copy .data, zero .bss, main(); for (;;); }
 *     int main(void) { zeroed[1] = counter; return zeroed[1]; }
 *
 * linked with .text in flash @0, .data in RAM @0x20000000 loaded from flash
 * (AT > FLASH), .bss in RAM.  readelf -l:
 *     LOAD 0x000074 0x00000000 0x00000000 0x0005c 0x0005c R E
 *     LOAD 0x0000d0 0x20000000 0x0000005c 0x00004 0x00024 RW
 */
static const uint8_t real_elf[] = {
  0x7f, 0x45, 0x4c, 0x46, 0x01, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x28, 0x00, 0x01, 0x00, 0x00, 0x00,
  0x09, 0x00, 0x00, 0x00, 0x34, 0x00, 0x00, 0x00, 0xbc, 0x02, 0x00, 0x00,
  0x00, 0x02, 0x00, 0x05, 0x34, 0x00, 0x20, 0x00, 0x02, 0x00, 0x28, 0x00,
  0x07, 0x00, 0x06, 0x00, 0x01, 0x00, 0x00, 0x00, 0x74, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x5c, 0x00, 0x00, 0x00,
  0x5c, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00,
  0x01, 0x00, 0x00, 0x00, 0xd0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x20,
  0x5c, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x24, 0x00, 0x00, 0x00,
  0x06, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x20,
  0x09, 0x00, 0x00, 0x00, 0x08, 0xb5, 0x0a, 0x4a, 0x0a, 0x4b, 0x0b, 0x49,
  0x8b, 0x42, 0x07, 0xd3, 0x0a, 0x4b, 0x0b, 0x4a, 0x00, 0x21, 0x93, 0x42,
  0x07, 0xd3, 0x00, 0xf0, 0x13, 0xf8, 0xfe, 0xe7, 0x52, 0xf8, 0x04, 0x0b,
  0x43, 0xf8, 0x04, 0x0b, 0xf0, 0xe7, 0x43, 0xf8, 0x04, 0x1b, 0xf2, 0xe7,
  0x5c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x20, 0x04, 0x00, 0x00, 0x20,
  0x04, 0x00, 0x00, 0x20, 0x24, 0x00, 0x00, 0x20, 0x02, 0x4b, 0x18, 0x68,
  0x02, 0x4b, 0x58, 0x60, 0x70, 0x47, 0x00, 0xbf, 0x00, 0x00, 0x00, 0x20,
  0x04, 0x00, 0x00, 0x20, 0x78, 0x56, 0x34, 0x12, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x01, 0x00, 0x00, 0x00, 0x48, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x01, 0x00, 0x04, 0x00, 0x00, 0x00, 0x54, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00,
  0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00,
  0x04, 0x00, 0x00, 0x00, 0x34, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x01, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x20,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x04, 0x00, 0x00, 0x00,
  0x04, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00,
  0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x02, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00,
  0x03, 0x00, 0x03, 0x00, 0x07, 0x00, 0x00, 0x00, 0x5c, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0xf1, 0xff, 0x0f, 0x00, 0x00, 0x00,
  0x04, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x03, 0x00,
  0x15, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00,
  0x10, 0x00, 0x02, 0x00, 0x1c, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x20,
  0x20, 0x00, 0x00, 0x00, 0x11, 0x00, 0x03, 0x00, 0x23, 0x00, 0x00, 0x00,
  0x24, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x03, 0x00,
  0x29, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00,
  0x12, 0x00, 0x01, 0x00, 0x37, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x20,
  0x04, 0x00, 0x00, 0x00, 0x11, 0x00, 0x02, 0x00, 0x3f, 0x00, 0x00, 0x00,
  0x49, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x12, 0x00, 0x01, 0x00,
  0x44, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x20, 0x00, 0x00, 0x00, 0x00,
  0x10, 0x00, 0x03, 0x00, 0x4c, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x20,
  0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x02, 0x00, 0x53, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x11, 0x00, 0x01, 0x00,
  0x00, 0x24, 0x74, 0x00, 0x24, 0x64, 0x00, 0x5f, 0x73, 0x69, 0x64, 0x61,
  0x74, 0x61, 0x00, 0x5f, 0x73, 0x62, 0x73, 0x73, 0x00, 0x5f, 0x73, 0x64,
  0x61, 0x74, 0x61, 0x00, 0x7a, 0x65, 0x72, 0x6f, 0x65, 0x64, 0x00, 0x5f,
  0x65, 0x62, 0x73, 0x73, 0x00, 0x52, 0x65, 0x73, 0x65, 0x74, 0x5f, 0x48,
  0x61, 0x6e, 0x64, 0x6c, 0x65, 0x72, 0x00, 0x63, 0x6f, 0x75, 0x6e, 0x74,
  0x65, 0x72, 0x00, 0x6d, 0x61, 0x69, 0x6e, 0x00, 0x5f, 0x65, 0x73, 0x74,
  0x61, 0x63, 0x6b, 0x00, 0x5f, 0x65, 0x64, 0x61, 0x74, 0x61, 0x00, 0x76,
  0x65, 0x63, 0x74, 0x6f, 0x72, 0x73, 0x00, 0x00, 0x2e, 0x73, 0x79, 0x6d,
  0x74, 0x61, 0x62, 0x00, 0x2e, 0x73, 0x74, 0x72, 0x74, 0x61, 0x62, 0x00,
  0x2e, 0x73, 0x68, 0x73, 0x74, 0x72, 0x74, 0x61, 0x62, 0x00, 0x2e, 0x74,
  0x65, 0x78, 0x74, 0x00, 0x2e, 0x64, 0x61, 0x74, 0x61, 0x00, 0x2e, 0x62,
  0x73, 0x73, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1b, 0x00, 0x00, 0x00,
  0x01, 0x00, 0x00, 0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x74, 0x00, 0x00, 0x00, 0x5c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x21, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x20, 0xd0, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x27, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00,
  0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x20, 0xd4, 0x00, 0x00, 0x00,
  0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
  0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0xd4, 0x00, 0x00, 0x00, 0x60, 0x01, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00,
  0x0b, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00,
  0x09, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x34, 0x02, 0x00, 0x00, 0x5b, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x11, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x8f, 0x02, 0x00, 0x00,
  0x2c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00
};

START_TEST(test_real_gcc_image)
{
    ck_assert_int_eq(sizeof real_elf, 980);
    memcpy(buf, real_elf, sizeof real_elf);
    ck_assert_msg(load(sizeof real_elf) == 0, "%s", err);
    ck_assert_uint_eq(img.entry, 0x9);              /* Reset_Handler | Thumb bit */
    ck_assert_int_eq(img.nsegs, 2);
    ck_assert_uint_eq(img.segs[0].paddr, 0);
    ck_assert_uint_eq(img.segs[0].vaddr, 0);
    ck_assert_uint_eq(img.segs[0].filesz, 0x5c);
    ck_assert_uint_eq(img.segs[0].memsz, 0x5c);
    ck_assert_uint_eq(img.segs[0].flags, T_PF_R | T_PF_X);
    ck_assert_uint_eq(img.segs[1].paddr, 0x5c);     /* load address in flash */
    ck_assert_uint_eq(img.segs[1].vaddr, 0x20000000);
    ck_assert_uint_eq(img.segs[1].filesz, 4);
    ck_assert_uint_eq(img.segs[1].memsz, 0x24);
    ck_assert_uint_eq(img.segs[1].flags, T_PF_R | T_PF_W);
    /* .data holds counter's initial value; the vector table starts the text */
    static const uint8_t counter_init[4] = {0x78, 0x56, 0x34, 0x12};
    ck_assert_mem_eq(img.segs[1].data, counter_init, 4);
    static const uint8_t vec[8] = {0x00, 0x00, 0x01, 0x20, 0x09, 0x00, 0x00, 0x00};
    ck_assert_mem_eq(img.segs[0].data, vec, 8);
    struct { const char *name; uint32_t value; } want[] = {
        {"main", 0x49}, {"Reset_Handler", 0x9}, {"vectors", 0},
        {"counter", 0x20000000}, {"zeroed", 0x20000004}, {"_estack", 0x20010000},
        {"_sidata", 0x5c}, {"_sbss", 0x20000004}, {"_ebss", 0x20000024},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        uint32_t v = 0xffffffff;
        ck_assert_msg(elf_find_symbol(&img, want[i].name, &v) == 0, "%s not found", want[i].name);
        ck_assert_msg(v == want[i].value, "%s = 0x%x; expected 0x%x", want[i].name, v,
                      want[i].value);
    }
    uint32_t v;
    ck_assert_int_eq(elf_find_symbol(&img, "printf", &v), -1);
}
END_TEST

START_TEST(test_real_gcc_image_truncations)
{
    for (size_t n = 0; n < sizeof real_elf; n++) {
        uint8_t *copy = malloc(n > 0 ? n : 1);
        ck_assert_ptr_nonnull(copy);
        memcpy(copy, real_elf, n);
        int rc = elf_load_buffer("real.elf", copy, n, &img, err, sizeof err);
        free(copy);
        ck_assert_msg(rc == -1, "a copy cut to %zu bytes loaded", n);
        elf_free(&img);
    }
}
END_TEST

Suite *elf_suite(void); /* called by runner.c */
Suite *elf_suite(void)
{
    Suite *s = suite_create("elf");
    TCase *tc = tcase_create("good");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_good_image);
    tcase_add_test(tc, test_source_buffer_not_kept);
    tcase_add_test(tc, test_segments_sorted_by_paddr);
    tcase_add_test(tc, test_empty_and_other_segments_skipped);
    tcase_add_test(tc, test_adjacent_segments_ok);
    tcase_add_test(tc, test_max_segments_ok);
    tcase_add_test(tc, test_symbols);
    tcase_add_test(tc, test_symbol_global_preferred);
    tcase_add_test(tc, test_symbol_names_bounds_checked);
    tcase_add_test(tc, test_no_sections_is_fine);
    tcase_add_test(tc, test_no_symtab_is_fine);
    tcase_add_test(tc, test_free_twice);
    tcase_add_test(tc, test_load_file);
    tcase_add_test(tc, test_real_gcc_image);
    suite_add_tcase(s, tc);

    tc = tcase_create("header_errors");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_bad_magic);
    tcase_add_test(tc, test_null_data);
    tcase_add_test(tc, test_class_64);
    tcase_add_test(tc, test_big_endian);
    tcase_add_test(tc, test_bad_ident_version);
    tcase_add_test(tc, test_wrong_machine);
    tcase_add_test(tc, test_wrong_type);
    tcase_add_test(tc, test_truncated_header);
    tcase_add_test(tc, test_no_program_headers);
    tcase_add_test(tc, test_bad_phentsize);
    tcase_add_test(tc, test_ehsize_too_small);
    suite_add_tcase(s, tc);

    tc = tcase_create("segment_errors");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_program_header_truncated);
    tcase_add_test(tc, test_segment_data_past_eof);
    tcase_add_test(tc, test_filesz_gt_memsz);
    tcase_add_test(tc, test_too_many_segments);
    tcase_add_test(tc, test_overlapping_segments);
    tcase_add_test(tc, test_segment_wraps_address_space);
    tcase_add_test(tc, test_no_loadable_segment);
    suite_add_tcase(s, tc);

    tc = tcase_create("symbol_errors");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_section_headers_out_of_range);
    tcase_add_test(tc, test_bad_shentsize);
    tcase_add_test(tc, test_extended_section_count);
    tcase_add_test(tc, test_symtab_out_of_range);
    tcase_add_test(tc, test_symtab_bad_entsize);
    tcase_add_test(tc, test_symtab_bad_link);
    tcase_add_test(tc, test_strtab_out_of_range);
    suite_add_tcase(s, tc);

    tc = tcase_create("robustness");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_every_truncation);
    tcase_add_test(tc, test_random_corruption);
    tcase_add_test(tc, test_real_gcc_image_truncations);
    suite_add_tcase(s, tc);
    return s;
}
