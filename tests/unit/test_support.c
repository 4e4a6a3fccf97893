/*
 * test_support.c — shared helpers of the unit tests (see test_support.h),
 * plus the `support` suite that checks the helpers themselves.
 */
#define _XOPEN_SOURCE 700
#include <check.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "board.h"
#include "evq.h"
#include "test_support.h"

/* ---- machines --------------------------------------------------------------- */

struct machine *ut_machine_new(void)
{
    char err[512];
    struct board *b = calloc(1, sizeof *b);
    struct machine *m = calloc(1, sizeof *m);
    ck_assert_ptr_nonnull(b);
    ck_assert_ptr_nonnull(m);
    if (board_load(UT_BOARD, b, err, sizeof err) != 0)
        ck_abort_msg("board_load(%s): %s", UT_BOARD, err);
    if (machine_create(m, b, NULL, err, sizeof err) != 0)
        ck_abort_msg("machine_create: %s", err);
    /* a vector table at 0 (the ELF loader would have found it there) */
    ck_assert_int_eq(machine_write32(m, 0x0, 0x20010000u), 0);
    ck_assert_int_eq(machine_write32(m, 0x4, 0x00000201u), 0);
    m->elf_vtor = 0;
    if (machine_reset(m, err, sizeof err) != 0)
        ck_abort_msg("machine_reset: %s", err);
    ut_set_cycle(m, 0);
    return m;
}

void ut_machine_free(struct machine *m)
{
    if (!m)
        return;
    struct board *b = (struct board *)m->board;
    machine_destroy(m);
    free(m);
    free(b);
}

void ut_set_cycle(struct machine *m, uint64_t cycle)
{
    m->cycles = cycle;
    m->block_start = cycle;
    m->block_len = 0;
    m->mmio_skew = 0;
}

int ut_advance(struct machine *m, uint64_t cycle)
{
    ut_set_cycle(m, cycle);
    return evq_run_due(&m->evq, cycle);
}

/* ---- guest-sized accesses through the MMIO callbacks ------------------------ */

static void rd(struct machine *m, uint32_t addr, void *p, size_t n)
{
    uc_err e = uc_mem_read(m->uc, addr, p, n);
    ck_assert_msg(e == UC_ERR_OK, "uc_mem_read(0x%08x, %zu): %s", addr, n, uc_strerror(e));
}

static void wr(struct machine *m, uint32_t addr, const void *p, size_t n)
{
    uc_err e = uc_mem_write(m->uc, addr, p, n);
    ck_assert_msg(e == UC_ERR_OK, "uc_mem_write(0x%08x, %zu): %s", addr, n, uc_strerror(e));
}

uint32_t ut_rd32(struct machine *m, uint32_t addr) { uint32_t v = 0; rd(m, addr, &v, 4); return v; }
uint16_t ut_rd16(struct machine *m, uint32_t addr) { uint16_t v = 0; rd(m, addr, &v, 2); return v; }
uint8_t ut_rd8(struct machine *m, uint32_t addr) { uint8_t v = 0; rd(m, addr, &v, 1); return v; }
void ut_wr32(struct machine *m, uint32_t addr, uint32_t val) { wr(m, addr, &val, 4); }
void ut_wr16(struct machine *m, uint32_t addr, uint16_t val) { wr(m, addr, &val, 2); }
void ut_wr8(struct machine *m, uint32_t addr, uint8_t val) { wr(m, addr, &val, 1); }

/* ---- files --------------------------------------------------------------------- */

#define UT_MAX_DIRS 64
#define UT_MAX_PATHS 256
static char *dirs[UT_MAX_DIRS];
static int ndirs;
static char *paths[UT_MAX_PATHS];
static int npaths;
static pid_t owner;

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    return remove(path);
}

static void cleanup(void)
{
    if (getpid() == owner)
        for (int i = 0; i < ndirs; i++)
            nftw(dirs[i], rm_one, 16, FTW_DEPTH | FTW_PHYS);
    /* a forked child (CK_FORK=yes) owns the dirs it made itself */
    for (int i = 0; i < ndirs; i++)
        free(dirs[i]);
    for (int i = 0; i < npaths; i++)
        free(paths[i]);
    ndirs = npaths = 0;
}

const char *ut_tmpdir(void)
{
    static bool registered;
    if (!registered || owner != getpid()) {
        /* in a forked test process: forget the parent's list, clean our own */
        if (!registered)
            atexit(cleanup);
        registered = true;
        owner = getpid();
        ndirs = npaths = 0;
    }
    ck_assert_int_lt(ndirs, UT_MAX_DIRS);
    const char *base = getenv("TMPDIR");
    char tmpl[512];
    snprintf(tmpl, sizeof tmpl, "%s/hailsim-unit-XXXXXX", base && *base ? base : "/tmp");
    char *d = mkdtemp(tmpl);
    ck_assert_msg(d != NULL, "mkdtemp(%s) failed", tmpl);
    dirs[ndirs] = strdup(d);
    return dirs[ndirs++];
}

const char *ut_path(const char *dir, const char *name)
{
    ck_assert_int_lt(npaths, UT_MAX_PATHS);
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    ck_assert_ptr_nonnull(p);
    snprintf(p, n, "%s/%s", dir, name);
    paths[npaths++] = p;
    return p;
}

const char *ut_write_file(const char *dir, const char *name, const void *data, size_t len)
{
    const char *p = ut_path(dir, name);
    FILE *f = fopen(p, "wb");
    ck_assert_msg(f != NULL, "cannot create %s", p);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
    return p;
}

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

const char *ut_write_elf(const char *dir, const char *name, const struct ut_seg *segs, int nsegs)
{
    size_t data_off = 52 + 32 * (size_t)nsegs, len = data_off;
    for (int i = 0; i < nsegs; i++)
        len += segs[i].filesz;
    uint8_t *b = calloc(1, len);
    ck_assert_ptr_nonnull(b);
    memcpy(b, "\x7f" "ELF", 4);
    b[4] = 1;                                   /* ELFCLASS32 */
    b[5] = 1;                                   /* little-endian */
    b[6] = 1;                                   /* EV_CURRENT */
    put16(b, 16, 2);                            /* ET_EXEC */
    put16(b, 18, 40);                           /* EM_ARM */
    put32(b, 20, 1);
    put32(b, 24, nsegs ? segs[0].paddr | 1u : 0);   /* e_entry */
    put32(b, 28, 52);                           /* e_phoff */
    put32(b, 32, 0);                            /* e_shoff */
    put32(b, 36, 0x05000200u);                  /* EABI5, soft float */
    put16(b, 40, 52);
    put16(b, 42, 32);
    put16(b, 44, (uint16_t)nsegs);
    put16(b, 46, 40);
    size_t off = data_off;
    for (int i = 0; i < nsegs; i++) {
        size_t ph = 52 + 32 * (size_t)i;
        put32(b, ph + 0, 1);                    /* PT_LOAD */
        put32(b, ph + 4, (uint32_t)off);
        put32(b, ph + 8, segs[i].paddr);        /* p_vaddr */
        put32(b, ph + 12, segs[i].paddr);
        put32(b, ph + 16, segs[i].filesz);
        put32(b, ph + 20, segs[i].memsz);
        put32(b, ph + 24, 5);                   /* R X */
        put32(b, ph + 28, 4);
        memset(b + off, segs[i].fill, segs[i].filesz);
        off += segs[i].filesz;
    }
    const char *p = ut_write_file(dir, name, b, len);
    free(b);
    return p;
}

const char *ut_write_tbf(const char *dir, const char *name, uint32_t size, uint8_t fill)
{
    ck_assert_uint_ge(size, 16);
    uint8_t *b = malloc(size);
    ck_assert_ptr_nonnull(b);
    memset(b, fill, size);
    put16(b, 0, 2);                             /* version */
    put16(b, 2, 16);                            /* header_size */
    put32(b, 4, size);                          /* total_size */
    put32(b, 8, 1);                             /* flags: enabled */
    put32(b, 12, 2 ^ 16 ^ size ^ 1);            /* checksum (xor of the header words) */
    const char *p = ut_write_file(dir, name, b, size);
    free(b);
    return p;
}

/* ---- the helpers' own tests ----------------------------------------------------- */

START_TEST(machine_new_is_the_hail)
{
    struct machine *m = ut_machine_new();
    ck_assert_int_eq(m->exc.num_exc, 16 + 80);
    ck_assert_uint_eq(m->clock_hz, 48000000u);
    ck_assert_int_eq(m->nmem, 2);
    ck_assert_uint_eq(m->exc.prio_mask, 0xF0);
    ck_assert_uint_eq(m->scb.vtor, 0);
    ck_assert(m->privileged);
    ck_assert_uint_eq(m->ipsr, 0);
    /* the MMIO path reaches the SCS: CPUID */
    ck_assert_uint_eq(ut_rd32(m, 0xE000ED00u), 0x410FC241u);
    ut_machine_free(m);
}
END_TEST

START_TEST(tmpdir_and_files)
{
    const char *d = ut_tmpdir();
    const char *p = ut_write_tbf(d, "a.tbf", 64, 0x5A);
    FILE *f = fopen(p, "rb");
    ck_assert_ptr_nonnull(f);
    uint8_t b[80];
    ck_assert_uint_eq(fread(b, 1, sizeof b, f), 64);
    fclose(f);
    ck_assert_uint_eq(b[0] | b[1] << 8, 2);
    ck_assert_uint_eq(b[4] | b[5] << 8, 64);
    ck_assert_uint_eq(b[63], 0x5A);
}
END_TEST

Suite *support_suite(void); /* called by tests/unit/runner.c */
Suite *support_suite(void)
{
    Suite *s = suite_create("support");
    TCase *tc = tcase_create("helpers");
    tcase_add_test(tc, machine_new_is_the_hail);
    tcase_add_test(tc, tmpdir_and_files);
    suite_add_tcase(s, tc);
    return s;
}
