/*
 * test_ast.c — unit tests of the AST model (sim/ast.c) on a machine made
 * from boards/hail.yaml: the counter computed from virtual time, alarms at
 * the exact cycle for two prescalers (expected cycles computed here from
 * the datasheet formula, not by the model), BUSY/CLKBUSY timing and the
 * writes refused while busy, SCR and the NVIC lines, a stopped counter,
 * overflow, CA0, the periodic event, and Tock's own init + arm sequence
 * (tock-abi.md §12.2) with its polling loops.  Time is advanced with
 * ut_advance() (m->cycles + evq_run_due).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exc.h"
#include "periph.h"
#include "test_support.h"

extern const struct periph_model ast_model;

#define AST_BASE 0x400F0800u
#define CR 0x00u
#define CV 0x04u
#define SR 0x08u
#define SCR 0x0Cu
#define IER 0x10u
#define IDR 0x14u
#define IMR 0x18u
#define WER 0x1Cu
#define AR0 0x20u
#define PIR0 0x30u
#define CLOCK 0x40u

#define EN 1u
#define PCLR 2u
#define CA0 (1u << 8)
#define OVF 1u
#define ALARM0 (1u << 8)
#define PER0 (1u << 16)
#define BUSY (1u << 24)
#define READY (1u << 25)
#define CLKBUSY (1u << 28)
#define CLKRDY (1u << 29)
#define CEN 1u
#define CSSEL(x) ((uint32_t)(x) << 8)
#define PSEL(x) ((uint32_t)(x) << 16)

#define IRQ_ALARM 39
#define IRQ_PER 40
#define IRQ_OVF 41
#define CORE_HZ 48000000ull
#define OSC32 32768ull

static struct machine *m;
static void *ast;

static void setup(void)
{
    m = ut_machine_new();
    m->err = tmpfile();
    ast = periph_find_dev(m, "ast");
    ck_assert_ptr_nonnull(ast);
}

static void teardown(void)
{
    if (m->err)
        fclose(m->err);
    m->err = NULL;
    ut_machine_free(m);
}

static uint32_t rd(uint32_t off) { return ast_model.read(ast, off, 4); }
static void wr(uint32_t off, uint32_t v) { ast_model.write(ast, off, 4, v); }
static void at(uint64_t c) { ut_advance(m, c); }

/* Tick k of a 32768 Hz source divided by 2^(psel+1), in core cycles after
 * the enable: ceil(k * 48e6 * 2^(psel+1) / 32768). */
static uint64_t osc32_tick(uint64_t k, unsigned psel)
{
    uint64_t num = k * CORE_HZ * (2ull << psel);
    return num / OSC32 + (num % OSC32 != 0);
}

/* Tock-style poll: a loop of a few instructions, each pass costs 4 cycles. */
static void poll_while(uint32_t bits)
{
    int passes = 0;
    while (rd(SR) & bits) {
        at(m->cycles + 4);
        ck_assert_int_lt(++passes, 100000);
    }
}

static char *err_text(void)
{
    static char buf[4096];
    fflush(m->err);
    rewind(m->err);
    size_t n = fread(buf, 1, sizeof buf - 1, m->err);
    buf[n] = '\0';
    return buf;
}

static bool line(int irq) { return m->exc.slot[16 + irq].line; }
static bool pending(int irq) { return m->exc.slot[16 + irq].pending; }

/* OSC32 selected and enabled, counter stopped at 0, prescaler `psel`. */
static void configure(unsigned psel)
{
    wr(CLOCK, CSSEL(1));
    poll_while(CLKBUSY);
    wr(CLOCK, CSSEL(1) | CEN);
    poll_while(CLKBUSY);
    wr(CR, PSEL(psel));
    poll_while(BUSY);
}

/* Enables the counter; returns the cycle of the write. */
static uint64_t enable(unsigned psel, uint32_t extra)
{
    uint64_t t = m->cycles;
    wr(CR, PSEL(psel) | EN | extra);
    return t;
}

START_TEST(alarm_exact_cycle_psel0)
{
    configure(0);
    wr(AR0, 100);
    poll_while(BUSY);
    wr(IER, ALARM0);
    uint64_t t0 = enable(0, 0);
    uint64_t due = t0 + osc32_tick(100, 0);
    ck_assert_uint_eq(due - t0, 292969);          /* 100 ticks of 16384 Hz: 292968.75 cycles */
    at(due - 1);
    ck_assert_uint_eq(rd(CV), 99);
    ck_assert_uint_eq(rd(SR) & ALARM0, 0);
    ck_assert(!line(IRQ_ALARM));
    at(due);
    ck_assert_uint_eq(rd(CV), 100);
    ck_assert_uint_eq(rd(SR) & ALARM0, ALARM0);
    ck_assert(line(IRQ_ALARM));
    ck_assert(pending(IRQ_ALARM));
}
END_TEST

START_TEST(alarm_exact_cycle_psel3)
{
    configure(3);
    wr(AR0, 50);
    poll_while(BUSY);
    wr(IER, ALARM0);
    uint64_t t0 = enable(3, 0);
    uint64_t due = t0 + osc32_tick(50, 3);
    ck_assert_uint_eq(due - t0, 1171875);         /* 50 ticks of 2048 Hz */
    at(due - 1);
    ck_assert_uint_eq(rd(SR) & ALARM0, 0);
    ck_assert(!line(IRQ_ALARM));
    /* the timer, not a register read, raises the line */
    ut_advance(m, due);
    ck_assert(line(IRQ_ALARM));
    ck_assert_uint_eq(rd(CV), 50);
}
END_TEST

START_TEST(counter_follows_virtual_time)
{
    configure(0);
    uint64_t t0 = enable(0, 0);
    static const uint64_t ks[] = { 1, 2, 3, 7, 1000, 16384, 123457, 5000000 };
    for (size_t i = 0; i < sizeof ks / sizeof ks[0]; i++) {
        at(t0 + osc32_tick(ks[i], 0) - 1);
        ck_assert_uint_eq(rd(CV), ks[i] - 1);
        at(t0 + osc32_tick(ks[i], 0));
        ck_assert_uint_eq(rd(CV), ks[i]);
    }
}
END_TEST

START_TEST(apb_source_counts_core_cycles)
{
    wr(CLOCK, CSSEL(2) | CEN);
    poll_while(CLKBUSY);
    uint64_t t0 = enable(0, 0);
    at(t0 + 1001);
    ck_assert_uint_eq(rd(CV), 500);               /* 24 MHz: one tick per 2 core cycles */
}
END_TEST

START_TEST(busy_after_writes)
{
    configure(0);
    wr(SCR, READY | CLKRDY);
    uint64_t t = m->cycles;
    wr(AR0, 5);
    ck_assert_uint_eq(rd(SR) & BUSY, BUSY);
    uint64_t len = (3 * CORE_HZ + OSC32 - 1) / OSC32;       /* 3 source periods: 4395 cycles */
    at(t + len - 1);
    ck_assert_uint_eq(rd(SR) & (BUSY | READY), BUSY);
    wr(AR0, 6);                                   /* refused while busy, as on the chip */
    ck_assert_uint_eq(rd(AR0), 5);
    ck_assert_ptr_nonnull(strstr(err_text(), "AR0 written while SR.BUSY"));
    at(t + len);
    ck_assert_uint_eq(rd(SR) & (BUSY | READY), READY);
    wr(AR0, 6);
    ck_assert_uint_eq(rd(AR0), 6);
    /* SCR, IER, IDR are not synchronised */
    wr(IER, ALARM0);
    ck_assert_uint_eq(rd(SR) & BUSY, BUSY);
    wr(IDR, ALARM0);
    ck_assert_uint_eq(rd(IMR), 0);
    /* CLOCK: CLKBUSY, then CLKRDY */
    poll_while(BUSY);
    t = m->cycles;
    wr(CLOCK, CSSEL(1));
    ck_assert_uint_eq(rd(SR) & CLKBUSY, CLKBUSY);
    at(t + len);
    ck_assert_uint_eq(rd(SR) & (CLKBUSY | CLKRDY), CLKRDY);
}
END_TEST

START_TEST(scr_clears_alarm_and_line)
{
    configure(0);
    wr(AR0, 10);
    poll_while(BUSY);
    wr(IER, ALARM0);
    uint64_t t0 = enable(0, 0);
    at(t0 + osc32_tick(10, 0));
    ck_assert(line(IRQ_ALARM));
    ck_assert(pending(IRQ_ALARM));
    exc_set_pending(m, 16 + IRQ_ALARM, false);    /* as if the handler had been entered */
    at(m->cycles + 100000);
    ck_assert(line(IRQ_ALARM));                   /* level: still asserted */
    wr(SCR, ALARM0);
    ck_assert_uint_eq(rd(SR) & ALARM0, 0);
    ck_assert(!line(IRQ_ALARM));
    ck_assert(!pending(IRQ_ALARM));
    at(m->cycles + 1000000);
    ck_assert(!line(IRQ_ALARM));
    /* IMR masks the line too */
    wr(AR0, rd(CV) + 20);
    poll_while(BUSY);
    wr(IDR, ALARM0);
    at(m->cycles + osc32_tick(25, 0));
    ck_assert_uint_eq(rd(SR) & ALARM0, ALARM0);
    ck_assert(!line(IRQ_ALARM));
    wr(IER, ALARM0);
    ck_assert(line(IRQ_ALARM));
}
END_TEST

START_TEST(stopped_counter_does_not_move)
{
    configure(0);                                 /* clock on, CR.EN = 0 */
    wr(CV, 1234);
    poll_while(BUSY);
    wr(AR0, 1235);
    poll_while(BUSY);
    wr(IER, ALARM0);
    at(m->cycles + 10000000);
    ck_assert_uint_eq(rd(CV), 1234);
    ck_assert_uint_eq(rd(SR) & ALARM0, 0);
    /* EN set but CLOCK.CEN clear: still stopped */
    wr(CLOCK, CSSEL(1));
    poll_while(CLKBUSY);
    enable(0, 0);
    at(m->cycles + 10000000);
    ck_assert_uint_eq(rd(CV), 1234);
    /* clock back on: counts from 1234, alarm one tick later */
    uint64_t t = m->cycles;
    wr(CLOCK, CSSEL(1) | CEN);
    at(t + osc32_tick(1, 0));
    ck_assert_uint_eq(rd(CV), 1235);
    ck_assert(line(IRQ_ALARM));
    /* disabling freezes the value */
    poll_while(BUSY);
    wr(CR, 0);
    uint32_t v = rd(CV);
    at(m->cycles + 5000000);
    ck_assert_uint_eq(rd(CV), v);
}
END_TEST

START_TEST(overflow)
{
    configure(0);
    wr(CV, 0xFFFFFFF0u);
    poll_while(BUSY);
    wr(IER, OVF);
    uint64_t t0 = enable(0, 0);
    at(t0 + osc32_tick(16, 0) - 1);
    ck_assert_uint_eq(rd(CV), 0xFFFFFFFFu);
    ck_assert_uint_eq(rd(SR) & OVF, 0);
    at(t0 + osc32_tick(16, 0));
    ck_assert_uint_eq(rd(CV), 0);
    ck_assert_uint_eq(rd(SR) & OVF, OVF);
    ck_assert(line(IRQ_OVF));
    wr(SCR, OVF);
    ck_assert(!line(IRQ_OVF));
}
END_TEST

START_TEST(clear_on_alarm)
{
    configure(0);
    wr(AR0, 10);
    poll_while(BUSY);
    uint64_t t0 = enable(0, CA0);
    at(t0 + osc32_tick(10, 0));
    ck_assert_uint_eq(rd(SR) & ALARM0, ALARM0);
    ck_assert_uint_eq(rd(CV), 10);
    at(t0 + osc32_tick(11, 0) - 1);
    ck_assert_uint_eq(rd(CV), 10);
    at(t0 + osc32_tick(11, 0));
    ck_assert_uint_eq(rd(CV), 0);
    ck_assert_uint_eq(rd(SR) & OVF, 0);
    wr(SCR, ALARM0);
    at(t0 + osc32_tick(21, 0));                   /* period AR0 + 1 = 11 ticks */
    ck_assert_uint_eq(rd(CV), 10);
    ck_assert_uint_eq(rd(SR) & ALARM0, ALARM0);
    at(t0 + osc32_tick(22, 0));
    ck_assert_uint_eq(rd(CV), 0);
}
END_TEST

START_TEST(periodic_event)
{
    configure(0);
    wr(PIR0, 4);                                  /* every 2^5 = 32 source cycles */
    poll_while(BUSY);
    wr(IER, PER0);
    uint64_t t0 = enable(0, 0);
    uint64_t due = t0 + 32 * CORE_HZ / OSC32;     /* 46875 cycles exactly */
    at(due - 1);
    ck_assert(!line(IRQ_PER));
    at(due);
    ck_assert(line(IRQ_PER));
    ck_assert_uint_eq(rd(SR) & PER0, PER0);
    wr(SCR, PER0);
    ck_assert(!line(IRQ_PER));
    at(due + 32 * CORE_HZ / OSC32);
    ck_assert(line(IRQ_PER));
}
END_TEST

START_TEST(rearming_keeps_the_phase)
{
    configure(0);
    uint64_t t0 = enable(0, 0);
    for (uint64_t k = 1; k < 45; k++) {           /* writes between ticks, at odd cycles */
        at(t0 + osc32_tick(2 * k, 0) + 1 + 37 * k % 1000);
        poll_while(BUSY);
        wr(SCR, ALARM0);
        wr(AR0, rd(CV) + 8);
        wr(IER, ALARM0);
    }
    at(t0 + osc32_tick(100, 0) - 1);
    ck_assert_uint_eq(rd(CV), 99);
    at(t0 + osc32_tick(100, 0));
    ck_assert_uint_eq(rd(CV), 100);
}
END_TEST

START_TEST(prescaler_clear_restarts_phase)
{
    configure(0);
    uint64_t t0 = enable(0, 0);
    at(t0 + osc32_tick(5, 0) + 1000);
    poll_while(BUSY);
    uint64_t t1 = m->cycles;
    wr(CR, PSEL(0) | EN | PCLR);
    ck_assert_uint_eq(rd(CR) & PCLR, 0);
    at(t1 + osc32_tick(1, 0) - 1);
    ck_assert_uint_eq(rd(CV), 5);
    at(t1 + osc32_tick(1, 0));
    ck_assert_uint_eq(rd(CV), 6);
}
END_TEST

/* tock-abi.md §12.2: configure, then set_alarm; every write framed by polls. */
static void tock_clear_alarm(void)
{
    poll_while(BUSY);
    wr(SCR, ALARM0);
    poll_while(BUSY);
}

static void tock_configure(void)
{
    poll_while(CLKBUSY);                          /* select_clock(OSC32) */
    wr(CLOCK, rd(CLOCK) & ~CEN);
    poll_while(CLKBUSY);
    wr(CLOCK, CSSEL(1));
    poll_while(CLKBUSY);
    wr(CLOCK, rd(CLOCK) | CEN);
    poll_while(CLKBUSY);
    poll_while(BUSY);                             /* disable() */
    wr(CR, rd(CR) & ~EN);
    poll_while(BUSY);
    wr(IDR, ALARM0);                              /* disable_alarm_irq() */
    poll_while(BUSY);                             /* set_prescalar(0) */
    wr(CR, (rd(CR) & ~PSEL(0x1F)) | PSEL(0));
    poll_while(BUSY);
    poll_while(BUSY);                             /* enable_alarm_wake() */
    wr(WER, rd(WER) | ALARM0);
    poll_while(BUSY);
    tock_clear_alarm();
}

/* Returns the cycle at which CR.EN was written. */
static uint64_t tock_set_alarm(uint32_t tics)
{
    poll_while(BUSY);
    uint32_t now = rd(CV);
    if (tics - now <= 8)
        tics = now + 8;
    tock_clear_alarm();
    poll_while(BUSY);
    wr(AR0, tics);
    poll_while(BUSY);
    wr(IER, ALARM0);
    poll_while(BUSY);
    uint64_t t = m->cycles;
    wr(CR, rd(CR) | EN);
    poll_while(BUSY);
    return t;
}

START_TEST(tock_sequence)
{
    tock_configure();
    ck_assert_uint_eq(rd(CLOCK), CSSEL(1) | CEN);
    ck_assert_uint_eq(rd(CR) & EN, 0);
    ck_assert_uint_eq(rd(WER), ALARM0);
    uint64_t t0 = tock_set_alarm(1600);           /* 100 ms at Tock's "16 kHz" */
    ck_assert_uint_eq(rd(SR) & ALARM0, 0);
    /* nothing more happens until the alarm */
    uint64_t due = t0 + osc32_tick(1600, 0);
    at(due - 1);
    ck_assert(!line(IRQ_ALARM));
    at(due);
    ck_assert(line(IRQ_ALARM));
    /* the ISR: clear_alarm, then the next alarm 8 ticks (minimum) ahead */
    exc_set_pending(m, 16 + IRQ_ALARM, false);
    tock_clear_alarm();
    ck_assert(!line(IRQ_ALARM));
    uint32_t now = rd(CV);
    tock_set_alarm(now + 3);                      /* padded to now + 8 */
    ck_assert_uint_eq(rd(AR0), now + 8);
    at(t0 + osc32_tick(now + 8, 0));
    ck_assert(line(IRQ_ALARM));
    /* disarm: IDR + SCR */
    wr(IDR, ALARM0);
    tock_clear_alarm();
    ck_assert(!line(IRQ_ALARM));
    ck_assert_uint_eq(rd(SR) & ALARM0, 0);
}
END_TEST

START_TEST(mmio_path_and_unknown_register)
{
    wr(CLOCK, CSSEL(1) | CEN);
    ck_assert_uint_eq(ut_rd32(m, AST_BASE + CLOCK), CSSEL(1) | CEN);
    ck_assert_uint_eq(ut_rd32(m, AST_BASE + SR) & CLKBUSY, CLKBUSY);
    ck_assert_uint_eq(ut_rd32(m, AST_BASE + 0x28), 0);          /* reserved */
    ck_assert_ptr_nonnull(strstr(err_text(), "0x400f0828"));
    m->strict_mmio = true;
    ut_rd32(m, AST_BASE + 0x2C);
    ck_assert_int_eq(m->stop, STOP_CPU_ERROR);
}
END_TEST

Suite *ast_suite(void); /* called by tests/unit/runner.c */
Suite *ast_suite(void)
{
    Suite *s = suite_create("ast");
    TCase *tc = tcase_create("ast");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, alarm_exact_cycle_psel0);
    tcase_add_test(tc, alarm_exact_cycle_psel3);
    tcase_add_test(tc, counter_follows_virtual_time);
    tcase_add_test(tc, apb_source_counts_core_cycles);
    tcase_add_test(tc, busy_after_writes);
    tcase_add_test(tc, scr_clears_alarm_and_line);
    tcase_add_test(tc, stopped_counter_does_not_move);
    tcase_add_test(tc, overflow);
    tcase_add_test(tc, clear_on_alarm);
    tcase_add_test(tc, periodic_event);
    tcase_add_test(tc, rearming_keeps_the_phase);
    tcase_add_test(tc, prescaler_clear_restarts_phase);
    tcase_add_test(tc, tock_sequence);
    tcase_add_test(tc, mmio_path_and_unknown_register);
    suite_add_tcase(s, tc);
    return s;
}
