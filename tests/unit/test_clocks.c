/*
 * test_clocks.c — unit tests of the SAM4L clock/power blocks: the PM
 * (sim/sam4l_pm.c: reset masks, UNLOCK protection, SR.CKRDY, the
 * sam4l_clocks.h gates and their warnings), SCIF, BSCIF, BPM and FLASHCALW
 * (the ready bits Tock polls, after their virtual-time delays), unknown
 * registers, and a board without a PM (every clock on).
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "board.h"
#include "exc.h"
#include "periph.h"
#include "sam4l_clocks.h"
#include "test_support.h"

extern const struct periph_model pm_model, scif_model, bscif_model, bpm_model, flashcalw_model;

#define PM_BASE 0x400E0000u
#define PM_MCCTRL 0x00u
#define PM_HSBMASK 0x24u
#define PM_PBAMASK 0x28u
#define PM_PBBMASK 0x2Cu
#define PM_PBCMASK 0x30u
#define PM_PBDMASK 0x34u
#define PM_UNLOCK 0x58u
#define PM_IER 0xC0u
#define PM_ISR 0xCCu
#define PM_ICR 0xD0u
#define PM_SR 0xD4u
#define PM_PPCR 0x160u
#define PM_RCAUSE 0x180u
#define AE (1u << 31)
#define CKRDY (1u << 5)

static struct machine *m;

static void setup(void)
{
    m = ut_machine_new();
    m->err = tmpfile();
}

static void teardown(void)
{
    if (m->err)
        fclose(m->err);
    m->err = NULL;
    ut_machine_free(m);
}

static const char *err_text(void)
{
    static char buf[8192];
    fflush(m->err);
    rewind(m->err);
    size_t n = fread(buf, 1, sizeof buf - 1, m->err);
    buf[n] = '\0';
    return buf;
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

static uint32_t rd(const struct periph_model *mod, const char *name, uint32_t off)
{
    return mod->read(periph_find_dev(m, name), off, 4);
}

static void wr(const struct periph_model *mod, const char *name, uint32_t off, uint32_t v)
{
    mod->write(periph_find_dev(m, name), off, 4, v);
}

static uint32_t pm_rd(uint32_t off) { return rd(&pm_model, "pm", off); }
static void pm_wr(uint32_t off, uint32_t v) { wr(&pm_model, "pm", off, v); }

/* Tock's pm.rs mask_clock: unlock the mask register, then write it. */
static void pm_unlocked_wr(uint32_t off, uint32_t v)
{
    pm_wr(PM_UNLOCK, 0xAA000000u | off);
    pm_wr(off, v);
}

/* ---- PM ------------------------------------------------------------------------ */

START_TEST(pm_reset_values)
{
    ck_assert_uint_eq(pm_rd(PM_MCCTRL), 0);
    ck_assert_uint_eq(pm_rd(0x20), 1);
    ck_assert_uint_eq(pm_rd(PM_HSBMASK), 0x1E2);
    ck_assert_uint_eq(pm_rd(PM_PBAMASK), 0);
    ck_assert_uint_eq(pm_rd(PM_PBBMASK), 1);
    ck_assert_uint_eq(pm_rd(PM_PBCMASK), 0x1F);
    ck_assert_uint_eq(pm_rd(PM_PBDMASK), 0x3F);
    ck_assert_uint_eq(pm_rd(PM_PPCR), 0x1FE);
    ck_assert_uint_eq(pm_rd(PM_SR) & CKRDY, CKRDY);
    ck_assert_uint_eq(pm_rd(PM_RCAUSE), 1);                     /* POR */
    ck_assert_uint_eq(pm_rd(0x3FC), 0x441);
    ck_assert(!sam4l_clock_enabled(m, SAM4L_PBA, 8));           /* USART0 */
    ck_assert(!sam4l_clock_enabled(m, SAM4L_PBA, 17));          /* TRNG */
    ck_assert(sam4l_clock_enabled(m, SAM4L_PBD, 2));            /* AST */
    ck_assert(sam4l_clock_enabled(m, SAM4L_PBC, 4));            /* GPIO */
    ck_assert(!sam4l_clock_enabled(m, SAM4L_HSB, 0));           /* PDCA */
    ck_assert(sam4l_clock_enabled(m, SAM4L_HSB, 1));
}
END_TEST

START_TEST(pm_unlock_protection)
{
    pm_wr(PM_PBAMASK, 1u << 8);                                 /* no unlock: ignored */
    ck_assert_uint_eq(pm_rd(PM_PBAMASK), 0);
    ck_assert_uint_eq(pm_rd(PM_SR) & AE, AE);
    ck_assert_uint_eq(pm_rd(PM_ISR) & AE, AE);
    ck_assert_ptr_nonnull(strstr(err_text(), "protected register written without UNLOCK"));
    pm_wr(PM_ICR, AE);
    ck_assert_uint_eq(pm_rd(PM_SR) & AE, 0);
    pm_unlocked_wr(PM_PBAMASK, 1u << 8);
    ck_assert_uint_eq(pm_rd(PM_PBAMASK), 1u << 8);
    ck_assert(sam4l_clock_enabled(m, SAM4L_PBA, 8));
    pm_wr(PM_PBAMASK, 0);                                       /* the unlock was used up */
    ck_assert_uint_eq(pm_rd(PM_PBAMASK), 1u << 8);
    pm_wr(PM_UNLOCK, 0xAA000000u | PM_PBBMASK);                 /* unlocked for another register */
    pm_wr(PM_PBAMASK, 0);
    ck_assert_uint_eq(pm_rd(PM_PBAMASK), 1u << 8);
    pm_wr(PM_UNLOCK, 0x55000000u | PM_PBAMASK);                 /* wrong key */
    pm_wr(PM_PBAMASK, 0);
    ck_assert_uint_eq(pm_rd(PM_PBAMASK), 1u << 8);
    ck_assert_ptr_nonnull(strstr(err_text(), "key 0x55"));
    /* a read between UNLOCK and the write does not use the unlock up */
    pm_wr(PM_UNLOCK, 0xAA000000u | PM_PBAMASK);
    pm_wr(PM_PBAMASK, pm_rd(PM_PBAMASK) | (1u << 17));
    ck_assert_uint_eq(pm_rd(PM_PBAMASK), (1u << 8) | (1u << 17));
    /* unprotected registers need no unlock; warnings were once per register */
    pm_wr(0x188, 0x5);
    ck_assert_uint_eq(pm_rd(0x188), 0x5);
    ck_assert_int_eq(count(err_text(), "without UNLOCK"), 1);
}
END_TEST

START_TEST(pm_main_clock_and_ckrdy_irq)
{
    pm_wr(PM_IER, CKRDY);
    pm_unlocked_wr(PM_MCCTRL, 2);                               /* PLL, as Hail does */
    ck_assert_uint_eq(pm_rd(PM_MCCTRL), 2);
    ck_assert_uint_eq(pm_rd(PM_ISR) & CKRDY, CKRDY);
    ck_assert(m->exc.slot[16 + 22].line);
    pm_wr(PM_ICR, CKRDY);
    ck_assert(!m->exc.slot[16 + 22].line);
    ck_assert_uint_eq(pm_rd(PM_SR) & CKRDY, CKRDY);             /* SR.CKRDY stays 1 */
}
END_TEST

START_TEST(clock_gate_warns_once)
{
    ck_assert_uint_eq(ut_rd32(m, 0x40068000u + 0x1C), 0);      /* TRNG, PBA 17 off at reset */
    ut_rd32(m, 0x40068000u + 0x1C);
    const char *t = err_text();
    ck_assert_ptr_nonnull(strstr(t, "hailsim: warning: trng accessed with its clock off (PBA bit 17); "
                                    "enable it in PM.PBAMASK"));
    ck_assert_int_eq(count(t, "clock off"), 1);
    /* AST: gate turned off in PBDMASK */
    pm_unlocked_wr(PM_PBDMASK, 0x3F & ~(1u << 2));
    ut_rd32(m, 0x400F0808u);
    ck_assert_ptr_nonnull(strstr(err_text(), "ast accessed with its clock off (PBD bit 2); enable it in PM.PBDMASK"));
    /* the APB bridge: HSB bit 8 gates every PBD peripheral */
    pm_unlocked_wr(PM_PBDMASK, 0x3F);
    pm_unlocked_wr(PM_HSBMASK, 0x1E2 & ~(1u << 8));
    ck_assert(!sam4l_clock_enabled(m, SAM4L_PBD, 1));
    sam4l_clock_check(m, SAM4L_PBD, 1, "bscif");
    ck_assert_ptr_nonnull(strstr(err_text(), "bscif accessed with its clock off (PBD bit 1: the APB bridge, HSB bit 8"));
    /* --strict-mmio stops the run */
    m->strict_mmio = true;
    sam4l_clock_check(m, SAM4L_PBA, 9, "usart1");
    ck_assert_int_eq(m->stop, STOP_CPU_ERROR);
    ck_assert_ptr_nonnull(strstr(m->stop_msg, "usart1"));
}
END_TEST

START_TEST(no_pm_means_all_clocks_on)
{
    static const char yaml[] =
        "name: no pm\n"
        "cpu: {model: cortex-m4, clock_hz: 48000000, vtor: 0x10000, num_irqs: 80, priority_bits: 4, mpu_regions: 8}\n"
        "memories:\n"
        "  - {name: flash, kind: flash, base: 0x0, size: 512KiB}\n"
        "  - {name: sram, kind: ram, base: 0x20000000, size: 64KiB}\n"
        "layout:\n"
        "  kernel_flash: {base: 0x10000, size: 0x20000}\n"
        "  app_flash: {base: 0x30000, size: 0x40000}\n"
        "  kernel_ram: {base: 0x20000000, size: 0x8000}\n"
        "  app_ram: {base: 0x20008000, size: 0x8000}\n"
        "peripherals:\n"
        "  - {name: trng, type: trng, base: 0x40068000, size: 0x100, irqs: {irq: 73}}\n";
    static struct board b;
    static struct machine m2;
    char err[512];
    ck_assert_msg(board_load_string("nopm.yaml", yaml, sizeof yaml - 1, &b, err, sizeof err) == 0, "%s", err);
    ck_assert_msg(machine_create(&m2, &b, NULL, err, sizeof err) == 0, "%s", err);
    m2.err = tmpfile();
    ck_assert(sam4l_clock_enabled(&m2, SAM4L_PBA, 17));
    ck_assert(sam4l_clock_enabled(&m2, SAM4L_HSB, 0));
    sam4l_clock_check(&m2, SAM4L_PBA, 17, "trng");
    ck_assert_int_eq(ftell(m2.err), 0);
    fclose(m2.err);
    m2.err = NULL;
    machine_destroy(&m2);
}
END_TEST

START_TEST(unknown_registers)
{
    ck_assert_uint_eq(pm_rd(0x08), 0);                          /* reserved */
    pm_rd(0x08);
    pm_wr(0x1F0, 1);
    const char *t = err_text();
    ck_assert_int_eq(count(t, "0x400e0008"), 1);
    ck_assert_int_eq(count(t, "0x400e01f0"), 1);
    m->strict_mmio = true;
    rd(&scif_model, "scif", 0x3E0);
    ck_assert_int_eq(m->stop, STOP_CPU_ERROR);
}
END_TEST

/* ---- SCIF ------------------------------------------------------------------------ */

#define SCIF_PCLKSR 0x14u
#define SCIF_UNLOCK 0x18u
#define OSC0RDY 1u
#define LOCKF (1u << 2)
#define DFLL0RDY (1u << 3)
#define PLL0LOCK (1u << 6)
#define US100 4800u                                             /* 100 us at 48 MHz */

static uint32_t scif_rd(uint32_t off) { return rd(&scif_model, "scif", off); }

static void scif_unlocked_wr(uint32_t off, uint32_t v)
{
    wr(&scif_model, "scif", SCIF_UNLOCK, 0xAA000000u | off);
    wr(&scif_model, "scif", off, v);
}

START_TEST(scif_osc0_and_pll_like_hail)
{
    ut_set_cycle(m, 1000);
    ck_assert_uint_eq(scif_rd(SCIF_PCLKSR) & (OSC0RDY | PLL0LOCK), 0);
    wr(&scif_model, "scif", 0x20, (1u << 16) | 1);              /* no unlock: ignored */
    ck_assert_uint_eq(scif_rd(0x20), 0);
    /* setup_osc_16mhz_fast_startup */
    scif_unlocked_wr(0x20, (1u << 16) | (1u << 8) | (4u << 1) | 1);
    ck_assert_uint_eq(scif_rd(0x20) & (1u << 16), 1u << 16);
    ut_set_cycle(m, 1000 + US100 - 1);
    ck_assert_uint_eq(scif_rd(SCIF_PCLKSR) & OSC0RDY, 0);
    ut_set_cycle(m, 1000 + US100);
    ck_assert_uint_eq(scif_rd(SCIF_PCLKSR) & OSC0RDY, OSC0RDY);
    /* setup_pll_osc_48mhz */
    uint64_t t = m->cycles;
    scif_unlocked_wr(0x24, (0x3Fu << 24) | (5u << 16) | (1u << 8) | (2u << 3) | 1);
    ck_assert_uint_eq(scif_rd(SCIF_PCLKSR) & PLL0LOCK, 0);
    ut_set_cycle(m, t + US100);
    ck_assert_uint_eq(scif_rd(SCIF_PCLKSR) & PLL0LOCK, PLL0LOCK);
    /* disable_pll: PLLEN reads back 0 at once, the lock goes away */
    scif_unlocked_wr(0x24, scif_rd(0x24) & ~1u);
    ck_assert_uint_eq(scif_rd(0x24) & 1, 0);
    ck_assert_uint_eq(scif_rd(SCIF_PCLKSR) & PLL0LOCK, 0);
}
END_TEST

/* Tock's setup_dfll_rc32k_48mhz: every step waits for DFLL0RDY. */
static void wait_dfll0rdy(void)
{
    int n = 0;
    while (!(scif_rd(SCIF_PCLKSR) & DFLL0RDY)) {
        ut_set_cycle(m, m->cycles + 5);
        ck_assert_int_lt(++n, 100000);
    }
}

START_TEST(scif_dfll_tock_sequence)
{
    ck_assert_uint_eq(scif_rd(SCIF_PCLKSR) & DFLL0RDY, DFLL0RDY);
    wr(&scif_model, "scif", 0x40, 1);                           /* DFLL0SYNC, no unlock needed */
    ck_assert_uint_eq(scif_rd(SCIF_PCLKSR) & DFLL0RDY, 0);
    wait_dfll0rdy();
    uint32_t conf = scif_rd(0x28);
    wr(&scif_model, "scif", 0x74, (13u << 8) | 1);              /* GCCTRL0: RC32K, no unlock */
    ck_assert_uint_eq(scif_rd(0x74), (13u << 8) | 1);
    scif_unlocked_wr(0x28, 1);                                  /* EN, open loop */
    wait_dfll0rdy();
    scif_unlocked_wr(0x34, (4u << 16) | 4);
    wait_dfll0rdy();
    scif_unlocked_wr(0x30, 1464);
    wait_dfll0rdy();
    scif_unlocked_wr(0x38, 0);
    wait_dfll0rdy();
    ck_assert_uint_eq(scif_rd(SCIF_PCLKSR) & LOCKF, 0);
    uint64_t t = m->cycles;
    scif_unlocked_wr(0x28, conf | 1 | 2 | (2u << 16));          /* EN, closed loop, range 2 */
    int n = 0;
    while (!(scif_rd(SCIF_PCLKSR) & LOCKF)) {
        ut_set_cycle(m, m->cycles + 7);
        ck_assert_int_lt(++n, 100000);
    }
    ck_assert_uint_ge(m->cycles - t, US100);
    ck_assert_uint_lt(m->cycles - t, US100 + 7);
    ck_assert_uint_eq(scif_rd(0x30), 1464);
}
END_TEST

START_TEST(scif_rc80m_and_rcfast_enable_bits)
{
    scif_unlocked_wr(0x50, 1);
    ck_assert_uint_eq(scif_rd(0x50) & 1, 1);
    scif_unlocked_wr(0x48, scif_rd(0x48) | (1u << 8) | 1);
    ck_assert_uint_eq(scif_rd(0x48) & 1, 1);
}
END_TEST

/* ---- BSCIF / BPM / FLASHCALW ---------------------------------------------------------- */

START_TEST(bscif_rc32k_like_tock)
{
    ut_set_cycle(m, 100);
    uint32_t cr = rd(&bscif_model, "bscif", 0x24);
    wr(&bscif_model, "bscif", 0x18, 0xAA000024u);
    wr(&bscif_model, "bscif", 0x24, cr | (1u << 2) | (1u << 1) | 1);
    ck_assert_uint_eq(rd(&bscif_model, "bscif", 0x24) & 1, 1);  /* EN reads back */
    ck_assert_uint_eq(rd(&bscif_model, "bscif", 0x14) & 2, 0);
    ut_set_cycle(m, 100 + US100);
    ck_assert_uint_eq(rd(&bscif_model, "bscif", 0x14) & 2, 2);  /* RC32KRDY */
    wr(&bscif_model, "bscif", 0x18, 0xAA000028u);
    wr(&bscif_model, "bscif", 0x28, (0x1Du << 16) | 0x15);
    ck_assert_uint_eq(rd(&bscif_model, "bscif", 0x28), (0x1Du << 16) | 0x15);
    /* OSC32 */
    wr(&bscif_model, "bscif", 0x18, 0xAA000020u);
    wr(&bscif_model, "bscif", 0x20, 1);
    ck_assert_uint_eq(rd(&bscif_model, "bscif", 0x14) & 1, 0);
    ut_set_cycle(m, 100 + 2 * US100);
    ck_assert_uint_eq(rd(&bscif_model, "bscif", 0x14) & 1, 1);  /* OSC32RDY */
    /* RC1M (setup_rc_1mhz) */
    wr(&bscif_model, "bscif", 0x18, 0xAA000058u);
    wr(&bscif_model, "bscif", 0x58, 1);
    ck_assert_uint_eq(rd(&bscif_model, "bscif", 0x58) & 1, 1);
    ck_assert_uint_eq(rd(&bscif_model, "bscif", 0x14) & (1u << 11), 1u << 11);
    /* protected without unlock: ignored */
    wr(&bscif_model, "bscif", 0x24, 0);
    ck_assert_uint_eq(rd(&bscif_model, "bscif", 0x24) & 1, 1);
}
END_TEST

START_TEST(bpm_power_scaling_like_tock)
{
    ck_assert_uint_eq(rd(&bpm_model, "bpm", 0x14) & 1, 1);      /* PSOK */
    uint32_t pmcon = rd(&bpm_model, "bpm", 0x1C);
    pmcon = (pmcon & ~3u) | 2 | 0x8 | 0x4;                      /* PS2, PSCM, PSCREQ */
    wr(&bpm_model, "bpm", 0x18, 0xAA00001Cu);
    wr(&bpm_model, "bpm", 0x1C, pmcon);
    ck_assert_uint_eq(rd(&bpm_model, "bpm", 0x1C), 0x2 | 0x8);  /* request done */
    ck_assert_uint_eq(rd(&bpm_model, "bpm", 0x14) & 1, 1);
    /* set_ck32source(RC32K) */
    uint32_t c = rd(&bpm_model, "bpm", 0x1C);
    wr(&bpm_model, "bpm", 0x18, 0xAA00001Cu);
    wr(&bpm_model, "bpm", 0x1C, c | (1u << 16));
    ck_assert_uint_eq(rd(&bpm_model, "bpm", 0x1C) & (1u << 16), 1u << 16);
    wr(&bpm_model, "bpm", 0x1C, 0);                             /* no unlock: ignored */
    ck_assert_uint_eq(rd(&bpm_model, "bpm", 0x1C) & (1u << 16), 1u << 16);
}
END_TEST

START_TEST(flashcalw_like_tock)
{
    /* enable_cache: HSB FLASHCALWP and PBB HRAMC1 first */
    pm_unlocked_wr(PM_HSBMASK, pm_rd(PM_HSBMASK) | (1u << 2));
    pm_unlocked_wr(PM_PBBMASK, pm_rd(PM_PBBMASK) | (1u << 1));
    wr(&flashcalw_model, "flashcalw", 0x408, 1);
    ck_assert_uint_eq(rd(&flashcalw_model, "flashcalw", 0x40C) & 1, 1);
    /* enable_high_speed_flash */
    uint32_t fcr = rd(&flashcalw_model, "flashcalw", 0x00);
    wr(&flashcalw_model, "flashcalw", 0x00, fcr | (1u << 6));
    ck_assert_uint_eq(rd(&flashcalw_model, "flashcalw", 0x00), 1u << 6);
    uint32_t fcmd = rd(&flashcalw_model, "flashcalw", 0x04);
    wr(&flashcalw_model, "flashcalw", 0x04, (fcmd & ~0x3Fu) | (0xA5u << 24) | 0x10);
    uint32_t fsr = rd(&flashcalw_model, "flashcalw", 0x08);
    ck_assert_uint_eq(fsr & 1, 1);                              /* FRDY */
    ck_assert_uint_eq(fsr & (1u << 6), 1u << 6);                /* HSMODE */
    wr(&flashcalw_model, "flashcalw", 0x04, 0x11);              /* HSDIS without key: ignored */
    ck_assert_uint_eq(rd(&flashcalw_model, "flashcalw", 0x08) & (1u << 6), 1u << 6);
    ck_assert_ptr_nonnull(strstr(err_text(), "without the key 0xA5"));
    ck_assert_ptr_null(strstr(err_text(), "clock off"));
    /* FRDY interrupt: level while enabled */
    wr(&flashcalw_model, "flashcalw", 0x00, (1u << 6) | 1);
    ck_assert(m->exc.slot[16 + 0].line);
    wr(&flashcalw_model, "flashcalw", 0x00, 1u << 6);
    ck_assert(!m->exc.slot[16 + 0].line);
}
END_TEST

START_TEST(picocache_gate_is_pbb1)
{
    wr(&flashcalw_model, "flashcalw", 0x408, 1);                /* PBB bit 1 off at reset */
    ck_assert_ptr_nonnull(strstr(err_text(), "(PBB bit 1)"));
    ck_assert_ptr_null(strstr(err_text(), "(PBB bit 0)"));
}
END_TEST

Suite *clocks_suite(void); /* called by tests/unit/runner.c */
Suite *clocks_suite(void)
{
    Suite *s = suite_create("clocks");
    TCase *tc = tcase_create("clocks");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, pm_reset_values);
    tcase_add_test(tc, pm_unlock_protection);
    tcase_add_test(tc, pm_main_clock_and_ckrdy_irq);
    tcase_add_test(tc, clock_gate_warns_once);
    tcase_add_test(tc, no_pm_means_all_clocks_on);
    tcase_add_test(tc, unknown_registers);
    tcase_add_test(tc, scif_osc0_and_pll_like_hail);
    tcase_add_test(tc, scif_dfll_tock_sequence);
    tcase_add_test(tc, scif_rc80m_and_rcfast_enable_bits);
    tcase_add_test(tc, bscif_rc32k_like_tock);
    tcase_add_test(tc, bpm_power_scaling_like_tock);
    tcase_add_test(tc, flashcalw_like_tock);
    tcase_add_test(tc, picocache_gate_is_pbb1);
    suite_add_tcase(s, tc);
    return s;
}
