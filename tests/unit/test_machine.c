/*
 * test_machine.c — machine.c on the Hail board: loading ELF images (and the
 * error for a segment outside the board's memories), placing TBF app images
 * one after another in the app-flash area (and the errors for images that
 * are not TBF or do not fit), the reset errors, and the conversion between
 * core cycles and virtual nanoseconds at 48 MHz, the M-profile mode switch
 * (cpu_set_mode between every pair of modes, read back from the core) and
 * the unprivileged-thread cache of MSP and the masks, the live CPU state
 * (uc_env.c) against the Unicorn API, and the engine's 512-byte pages.  Input files are written
 * into a mkdtemp directory by the helpers in test_support.c.
 */
#define _GNU_SOURCE                 /* process_vm_readv */
#include <check.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "cpu_state.h"
#include "test_support.h"

static struct machine *m;
static char err[512];
static const char *dir;

static void setup(void)
{
    m = ut_machine_new();
    dir = ut_tmpdir();
    err[0] = '\0';
}

static void teardown(void) { ut_machine_free(m); m = NULL; }

#define ASSERT_HAS(text) ck_assert_msg(strstr(err, (text)) != NULL, "'%s' not in: %s", (text), err)

/* ---- ELF -------------------------------------------------------------------------------- */

START_TEST(elf_loads_segments)
{
    memset(machine_host_ptr(m, 0x20000000u, 64), 0xEE, 64);
    struct ut_seg segs[] = {
        { 0x00010000u, 0x100, 0x100, 0x11 },
        { 0x20000000u, 16, 64, 0x22 },                   /* .data + .bss: the rest is zeroed */
    };
    const char *p = ut_write_elf(dir, "k.elf", segs, 2);
    ck_assert_msg(machine_load_elf(m, p, err, sizeof err) == 0, "%s", err);
    const uint8_t *f = machine_host_ptr(m, 0x10000u, 0x101);
    ck_assert_uint_eq(f[0], 0x11);
    ck_assert_uint_eq(f[0xFF], 0x11);
    ck_assert_uint_eq(f[0x100], 0xFF);                   /* erased flash after it */
    const uint8_t *r = machine_host_ptr(m, 0x20000000u, 65);
    ck_assert_uint_eq(r[15], 0x22);
    ck_assert_uint_eq(r[16], 0x00);
    ck_assert_uint_eq(r[63], 0x00);
    ck_assert_uint_eq(r[64], 0x00);
    /* the board's VTOR (0x10000) holds a table: it is used */
    ck_assert_uint_eq(m->elf_vtor, 0x10000u);
}
END_TEST

START_TEST(elf_vector_table_at_zero)
{
    struct ut_seg segs[] = { { 0x0u, 0x200, 0x200, 0x33 } };
    const char *p = ut_write_elf(dir, "bm.elf", segs, 1);
    ck_assert_msg(machine_load_elf(m, p, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(m->elf_vtor, 0);
}
END_TEST

START_TEST(elf_segment_outside_memory)
{
    struct ut_seg segs[] = { { 0x60000000u, 0x100, 0x100, 0x44 } };
    const char *p = ut_write_elf(dir, "far.elf", segs, 1);
    ck_assert_int_eq(machine_load_elf(m, p, err, sizeof err), -1);
    ASSERT_HAS(p);
    ASSERT_HAS("segment 0");
    ASSERT_HAS("0x60000000-0x60000100");
    ASSERT_HAS("outside the board's memory");
    ASSERT_HAS("flash 0x00000000-0x00080000");
    ASSERT_HAS("sram 0x20000000-0x20010000");
}
END_TEST

START_TEST(elf_segment_past_end_of_flash)
{
    /* its bytes start inside flash and end past it */
    struct ut_seg segs[] = { { 0x0007FF00u, 0x200, 0x200, 0x55 } };
    const char *p = ut_write_elf(dir, "long.elf", segs, 1);
    ck_assert_int_eq(machine_load_elf(m, p, err, sizeof err), -1);
    ASSERT_HAS("long.elf");
    ASSERT_HAS("0x0007ff00-0x00080100");
    ck_assert_uint_eq(*machine_host_ptr(m, 0x7FF00u, 1), 0xFF);   /* nothing half-written */
}
END_TEST

START_TEST(elf_not_arm)
{
    const char *p = ut_write_file(dir, "text.elf", "hello", 5);
    ck_assert_int_eq(machine_load_elf(m, p, err, sizeof err), -1);
    ASSERT_HAS("text.elf");
    ck_assert_int_eq(machine_load_elf(m, ut_path(dir, "missing.elf"), err, sizeof err), -1);
    ASSERT_HAS("missing.elf");
}
END_TEST

/* ---- apps ---------------------------------------------------------------------------------- */

START_TEST(app_not_tbf_version)
{
    const char *p = ut_write_tbf(dir, "v1.tbf", 64, 0);
    uint8_t b[64];
    FILE *f = fopen(p, "r+b");
    ck_assert_uint_eq(fread(b, 1, 64, f), 64);
    b[0] = 1;
    rewind(f);
    fwrite(b, 1, 64, f);
    fclose(f);
    uint32_t cursor = m->board->app_flash.base;
    ck_assert_int_eq(machine_load_app(m, p, &cursor, err, sizeof err), -1);
    ASSERT_HAS("v1.tbf");
    ASSERT_HAS("not a TBF image");
    ASSERT_HAS("version 1 (expected 2)");
    ck_assert_uint_eq(cursor, 0x30000u);
    ck_assert_uint_eq(*machine_host_ptr(m, 0x30000u, 1), 0xFF);     /* nothing written */
}
END_TEST

START_TEST(app_not_tbf_total_size)
{
    uint8_t b[100];
    memset(b, 0, sizeof b);
    b[0] = 2;
    b[2] = 16;
    b[4] = 64;                                          /* total_size 64, file 100 bytes */
    const char *p = ut_write_file(dir, "size.tbf", b, sizeof b);
    uint32_t cursor = 0x30000u;
    ck_assert_int_eq(machine_load_app(m, p, &cursor, err, sizeof err), -1);
    ASSERT_HAS("size.tbf");
    ASSERT_HAS("total_size 64 (expected the file size 100)");
    /* too short for a header */
    p = ut_write_file(dir, "short.tbf", b, 10);
    ck_assert_int_eq(machine_load_app(m, p, &cursor, err, sizeof err), -1);
    ASSERT_HAS("short.tbf");
    ASSERT_HAS("10 bytes");
    /* missing */
    ck_assert_int_eq(machine_load_app(m, ut_path(dir, "nope.tbf"), &cursor, err, sizeof err), -1);
    ASSERT_HAS("nope.tbf");
    ck_assert_uint_eq(cursor, 0x30000u);
}
END_TEST

START_TEST(app_does_not_fit)
{
    const char *p = ut_write_tbf(dir, "big.tbf", 64, 0x66);
    uint32_t end = m->board->app_flash.base + m->board->app_flash.size;
    ck_assert_uint_eq(end, 0x70000u);
    uint32_t cursor = end - 32;
    ck_assert_int_eq(machine_load_app(m, p, &cursor, err, sizeof err), -1);
    ASSERT_HAS("big.tbf");
    ASSERT_HAS("64 bytes do not fit");
    ASSERT_HAS("0x20 bytes left at 0x0006ffe0");
    ASSERT_HAS("area 0x00030000-0x00070000");
    ck_assert_uint_eq(cursor, end - 32);
    ck_assert_uint_eq(*machine_host_ptr(m, end - 32, 1), 0xFF);
    /* exactly fitting is fine */
    cursor = end - 64;
    ck_assert_msg(machine_load_app(m, p, &cursor, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(cursor, end);
    ck_assert_uint_eq(*machine_host_ptr(m, end - 1, 1), 0x66);
    /* and then nothing more fits */
    ck_assert_int_eq(machine_load_app(m, p, &cursor, err, sizeof err), -1);
    ASSERT_HAS("0x0 bytes left");
}
END_TEST

START_TEST(apps_placed_one_after_another)
{
    /* 64 and 1024 are powers of two: such an image is placed at a multiple of
     * its size (the MPU needs it) with a padding object in the gap, like
     * tockloader; 200 is not, and follows right after */
    static const uint32_t sizes[] = { 64, 200, 1024 };
    static const uint8_t fills[] = { 0xA1, 0xB2, 0xC3 };
    static const uint32_t want_at[] = { 0x30000u, 0x30040u, 0x30400u };
    uint32_t cursor = m->board->app_flash.base, at[3];
    for (int i = 0; i < 3; i++) {
        char name[16];
        snprintf(name, sizeof name, "app%d.tbf", i);
        const char *p = ut_write_tbf(dir, name, sizes[i], fills[i]);
        ck_assert_msg(machine_load_app(m, p, &cursor, err, sizeof err) == 0, "%s", err);
        at[i] = cursor - sizes[i];
        ck_assert_uint_eq(at[i], want_at[i]);
    }
    ck_assert_uint_eq(cursor, 0x30800u);
    for (int i = 0; i < 3; i++) {
        const uint8_t *h = machine_host_ptr(m, at[i], sizes[i]);
        ck_assert_ptr_nonnull(h);
        ck_assert_uint_eq(h[0] | h[1] << 8, 2);                       /* version */
        ck_assert_uint_eq(h[4] | h[5] << 8 | h[6] << 16 | (uint32_t)h[7] << 24, sizes[i]);
        ck_assert_uint_eq(h[16], fills[i]);
        ck_assert_uint_eq(h[sizes[i] - 1], fills[i]);
    }
    /* the gap 0x30108-0x30400 holds a padding TBF: header only, disabled, valid checksum */
    const uint8_t *pad = machine_host_ptr(m, 0x30108u, 16);
    uint32_t w[4];
    for (int i = 0; i < 4; i++)
        w[i] = (uint32_t)pad[4 * i] | (uint32_t)pad[4 * i + 1] << 8 | (uint32_t)pad[4 * i + 2] << 16 |
               (uint32_t)pad[4 * i + 3] << 24;
    ck_assert_uint_eq(w[0], 2u | 16u << 16);
    ck_assert_uint_eq(w[1], 0x400u - 0x108u);
    ck_assert_uint_eq(w[2], 0);
    ck_assert_uint_eq(w[3], w[0] ^ w[1] ^ w[2]);
}
END_TEST

/* ---- reset ----------------------------------------------------------------------------------- */

START_TEST(reset_vector_bit0_clear)
{
    machine_write32(m, 0x10000u, 0x20010000u);
    machine_write32(m, 0x10004u, 0x00010100u);
    m->elf_vtor = 0x10000u;
    ck_assert_int_eq(machine_reset(m, err, sizeof err), -1);
    ASSERT_HAS("reset vector at 0x00010004 is 0x00010100");
    ASSERT_HAS("bit 0 clear");
}
END_TEST

START_TEST(reset_no_vector_table)
{
    m->elf_vtor = 0x60000000u;
    ck_assert_int_eq(machine_reset(m, err, sizeof err), -1);
    ASSERT_HAS("no vector table at VTOR 0x60000000");
}
END_TEST

START_TEST(reset_state)
{
    machine_write32(m, 0x10000u, 0x20008004u);
    machine_write32(m, 0x10004u, 0x00010101u);
    m->elf_vtor = 0x10000u;
    m->exc.slot[EXC_PENDSV].pending = true;
    ck_assert_msg(machine_reset(m, err, sizeof err) == 0, "%s", err);
    uint32_t msp, psp;
    cpu_get_sps(m, &msp, &psp);
    ck_assert_uint_eq(msp, 0x20008004u);
    ck_assert_uint_eq(cpu_pc(m) & ~1u, 0x00010100u);
    ck_assert_uint_eq(m->scb.vtor, 0x10000u);
    ck_assert(!m->exc.slot[EXC_PENDSV].pending);
    ck_assert(m->privileged);
    ck_assert_uint_eq(m->ipsr, 0);
    ck_assert_uint_eq(cpu_reg(m, UC_ARM_REG_LR), 0xFFFFFFFFu);
}
END_TEST

/* ---- mode switch (cpu_state.c) --------------------------------------------------------- */

/* xPSR, CONTROL: handler; privileged thread on MSP or PSP; unprivileged thread on PSP or MSP */
static const uint32_t modes[5][2] = {
    { XPSR_T | 11u, 0 }, { XPSR_T, 0 }, { XPSR_T, CONTROL_SPSEL },
    { XPSR_T, CONTROL_SPSEL | CONTROL_NPRIV }, { XPSR_T, CONTROL_NPRIV },
};

static void assert_mode(uint32_t xpsr, uint32_t control, uint32_t msp, uint32_t psp, const char *what)
{
    struct cpu_special sp;
    cpu_get_special(m, &sp, true);
    ck_assert_msg((sp.xpsr & 0x1FFu) == (xpsr & 0x1FFu) && (sp.control & 3u) == control && sp.msp == msp &&
                  sp.psp == psp, "%s: xpsr %x control %x msp %08x psp %08x", what, sp.xpsr, sp.control, sp.msp, sp.psp);
    bool thread_psp = (xpsr & 0x1FFu) == 0 && (control & CONTROL_SPSEL);
    ck_assert_uint_eq(cpu_reg(m, UC_ARM_REG_SP), thread_psp ? psp : msp);   /* the active stack */
    ck_assert_uint_eq(m->ipsr, xpsr & 0x1FFu);
    ck_assert(m->privileged == ((xpsr & 0x1FFu) != 0 || !(control & CONTROL_NPRIV)));
    ck_assert(cpu_privileged_live(m) == m->privileged);
}

/* _i = 0: through the live CPU state (uc_env.c); 1: through the Unicorn API (its fallback) */
START_TEST(mode_switch_every_pair)
{
    if (_i == 1)
        m->env.base = NULL;
    for (int a = 0; a < 5; a++)
        for (int b = 0; b < 5; b++) {
            char what[64];
            uint32_t msp_a = 0x20001000u + 16u * (uint32_t)a, psp_a = 0x20002000u + 16u * (uint32_t)a;
            cpu_set_mode(m, modes[a][0] | 0x80000000u, modes[a][1], msp_a, psp_a);
            snprintf(what, sizeof what, "start %d", a);
            assert_mode(modes[a][0], modes[a][1], msp_a, psp_a, what);
            uint32_t ge = (uint32_t)(a + b) % 16u << 16;
            cpu_set_mode(m, modes[b][0] | ge, modes[b][1], 0x20003000u + (uint32_t)b * 8u, psp_a);
            snprintf(what, sizeof what, "%d -> %d", a, b);
            assert_mode(modes[b][0], modes[b][1], 0x20003000u + (uint32_t)b * 8u, psp_a, what);
            uint32_t x = 0;
            uc_reg_read(m->uc, UC_ARM_REG_XPSR, &x);                            /* the flags asked for */
            ck_assert_msg((x & 0xF80F0000u) == ge, "%s: xpsr %08x", what, x);
        }
}
END_TEST

START_TEST(unprivileged_cache_follows_the_core)
{
    cpu_set_mode(m, XPSR_T | 11u, 0, 0x20001000u, 0x20002000u);     /* handler: set the masks */
    cpu_set_reg(m, UC_ARM_REG_BASEPRI, 0x40);
    cpu_set_reg(m, UC_ARM_REG_PRIMASK, 1);
    struct cpu_special live;
    cpu_get_special(m, &live, true);
    struct reg_batch b = { 0 };
    cpu_mode_batch(m, &b, &live, XPSR_T, CONTROL_SPSEL | CONTROL_NPRIV, 0x20001000u, 0x20002100u);
    cpu_batch_write(m, &b);
    cpu_enter_unprivileged(m, 0x20001000u, &live);
    ck_assert(m->unpriv.valid);
    uint32_t primask, basepri, faultmask;
    cpu_get_masks(m, &primask, &basepri, &faultmask);
    ck_assert_uint_eq(primask, 1);
    ck_assert_uint_eq(basepri, 0x40);
    ck_assert_uint_eq(faultmask, 0);
    assert_mode(XPSR_T, CONTROL_SPSEL | CONTROL_NPRIV, 0x20001000u, 0x20002100u, "unprivileged, cached");
    cpu_set_reg(m, UC_ARM_REG_SP, 0x20002200u);                       /* PSP moves: read live */
    uint32_t msp, psp;
    cpu_get_sps(m, &msp, &psp);
    ck_assert_uint_eq(psp, 0x20002200u);
    ck_assert(!m->unpriv.valid);                                      /* a special write drops the cache */
    cpu_set_mode(m, XPSR_T | 11u, 0, msp, psp);
    ck_assert(!m->unpriv.valid);
}
END_TEST

START_TEST(stall_cycles_are_not_instructions)
{
    m->cycles = 1000;
    m->stall_cycles = 0;
    machine_stall(m, 12);
    ck_assert_uint_eq(m->cycles, 1012);
    ck_assert_uint_eq(machine_insns(m), 1000);
}
END_TEST

/* The live CPU state is found on the linked Unicorn (else every register
 * access would silently take the slower API path), and agrees with the API. */
/* uc_env.c reads with process_vm_readv; a sandbox may refuse it (the API then serves). */
static bool can_read_own_memory(void)
{
    uint32_t from = 0x1234u, to = 0;
    struct iovec here = { &to, sizeof to }, there = { &from, sizeof from };
    return process_vm_readv(getpid(), &here, 1, &there, 1, 0) == (ssize_t)sizeof to && to == from;
}

START_TEST(live_cpu_state_found)
{
    if (can_read_own_memory())
        ck_assert_ptr_nonnull(m->env.base);
    else
        fprintf(stderr, "note: process_vm_readv refused here: registers through the Unicorn API\n");
    cpu_set_mode(m, XPSR_T, CONTROL_SPSEL | CONTROL_NPRIV, 0x20001000u, 0x20002000u);
    cpu_set_reg(m, UC_ARM_REG_R7, 0x77u);
    cpu_set_reg(m, UC_ARM_REG_LR, 0xFFFFFFFDu);
    uint32_t v = 0;
    uc_reg_read(m->uc, UC_ARM_REG_R7, &v);
    ck_assert_uint_eq(v, 0x77u);
    uc_reg_read(m->uc, UC_ARM_REG_SP, &v);                  /* unprivileged thread on PSP */
    ck_assert_uint_eq(v, 0x20002000u);
    uc_reg_read(m->uc, UC_ARM_REG_CONTROL, &v);
    ck_assert_uint_eq(v & 3u, CONTROL_SPSEL | CONTROL_NPRIV);
    ck_assert(!cpu_privileged_live(m));
    uint32_t msp, psp;
    cpu_get_sps(m, &msp, &psp);
    ck_assert_uint_eq(msp, 0x20001000u);
    ck_assert_uint_eq(psp, 0x20002000u);
}
END_TEST

/* 512-byte pages (cpu.c): the linked Unicorn's off-by-one in the page size
 * request is compensated, and the engine reports what it uses. */
START_TEST(engine_uses_512_byte_pages)
{
    ck_assert_uint_eq(m->page_size, 512);
    size_t page = 0;
    ck_assert_int_eq(uc_query(m->uc, UC_QUERY_PAGE_SIZE, &page), UC_ERR_OK);
    ck_assert_uint_eq(page, 512);
}
END_TEST

/* ---- time ---------------------------------------------------------------------------------- */

START_TEST(time_conversions_48mhz)
{
    ck_assert_uint_eq(m->clock_hz, 48000000u);
    ck_assert_uint_eq(machine_ns_to_cycles(m, 1000000000u), 48000000u);
    ck_assert_uint_eq(machine_ns_to_cycles(m, 250000000u), 12000000u);
    ck_assert_uint_eq(machine_ns_to_cycles(m, 0), 0);
    ck_assert_uint_eq(machine_ns_to_cycles(m, 1), 1);                 /* rounds up */
    ck_assert_uint_eq(machine_ns_to_cycles(m, 125), 6);
    ck_assert_uint_eq(machine_ns_to_cycles(m, 126), 7);
    m->cycles = 48000000u;
    ck_assert_uint_eq(machine_time_ns(m), 1000000000u);
    m->cycles = 1;
    ck_assert_uint_eq(machine_time_ns(m), 20);                        /* 20.83 ns, truncated */
    m->cycles = 6;
    ck_assert_uint_eq(machine_time_ns(m), 125);
    /* cycles -> ns -> cycles is exact; ns -> cycles -> ns never goes back in time */
    for (uint64_t c = 0; c < 5000; c++) {
        m->cycles = c;
        ck_assert_uint_eq(machine_ns_to_cycles(m, machine_time_ns(m)), c);
    }
    for (uint64_t ns = 0; ns < 5000; ns += 7) {
        m->cycles = machine_ns_to_cycles(m, ns);
        ck_assert_uint_ge(machine_time_ns(m), ns);
        ck_assert_uint_lt(machine_time_ns(m) - ns, 21);
    }
    /* a year of virtual time does not overflow */
    uint64_t year_ns = 365ull * 24 * 3600 * 1000000000ull;
    m->cycles = machine_ns_to_cycles(m, year_ns);
    ck_assert_uint_eq(m->cycles, 365ull * 24 * 3600 * 48000000ull);
    ck_assert_uint_eq(machine_time_ns(m), year_ns);
}
END_TEST

Suite *machine_suite(void); /* called by tests/unit/runner.c */
Suite *machine_suite(void)
{
    Suite *s = suite_create("machine");
    TCase *tc = tcase_create("load");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, elf_loads_segments);
    tcase_add_test(tc, elf_vector_table_at_zero);
    tcase_add_test(tc, elf_segment_outside_memory);
    tcase_add_test(tc, elf_segment_past_end_of_flash);
    tcase_add_test(tc, elf_not_arm);
    tcase_add_test(tc, app_not_tbf_version);
    tcase_add_test(tc, app_not_tbf_total_size);
    tcase_add_test(tc, app_does_not_fit);
    tcase_add_test(tc, apps_placed_one_after_another);
    suite_add_tcase(s, tc);
    tc = tcase_create("reset_and_time");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, reset_vector_bit0_clear);
    tcase_add_test(tc, reset_no_vector_table);
    tcase_add_test(tc, reset_state);
    tcase_add_test(tc, time_conversions_48mhz);
    tcase_add_loop_test(tc, mode_switch_every_pair, 0, 2);
    tcase_add_test(tc, live_cpu_state_found);
    tcase_add_test(tc, unprivileged_cache_follows_the_core);
    tcase_add_test(tc, stall_cycles_are_not_instructions);
    tcase_add_test(tc, engine_uses_512_byte_pages);
    suite_add_tcase(s, tc);
    return s;
}
