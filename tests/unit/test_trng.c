/*
 * test_trng.c — unit tests of the TRNG model (sim/trng.c) on a machine made
 * from boards/hail.yaml: the stream is fixed by --seed (same seed, same
 * words; different seeds, different words), DATRDY comes every 84 cycles
 * after the enable and is taken by reading ODATA, the NVIC line (IRQ 73)
 * follows ISR & IMR from the event queue, CR needs its key, and a disable
 * keeps the stream going instead of repeating it.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "exc.h"
#include "periph.h"
#include "test_support.h"

extern const struct periph_model trng_model;

#define CR 0x00u
#define IER 0x10u
#define IDR 0x14u
#define IMR 0x18u
#define ISR 0x1Cu
#define ODATA 0x50u
#define KEY (0x524E47u << 8)
#define DATRDY 1u
#define IRQ 73
#define PERIOD 84u

static struct machine *m;
static void *trng;

static void setup(void)
{
    m = ut_machine_new();
    m->err = tmpfile();
    trng = periph_find_dev(m, "trng");
    ck_assert_ptr_nonnull(trng);
}

static void teardown(void)
{
    if (m->err)
        fclose(m->err);
    m->err = NULL;
    ut_machine_free(m);
}

static uint32_t rd(void *dev, uint32_t off) { return trng_model.read(dev, off, 4); }
static void wr(void *dev, uint32_t off, uint32_t v) { trng_model.write(dev, off, 4, v); }

/* Resets the TRNG with `seed`, enables it 1000 cycles from now and reads n
 * words, one every 100 cycles. */
static void stream(struct machine *mm, uint64_t seed, uint32_t *out, int n)
{
    void *dev = periph_find_dev(mm, "trng");
    uint64_t t0 = mm->cycles + 1000;
    mm->seed = seed;
    trng_model.reset(dev);
    ut_set_cycle(mm, t0);
    wr(dev, CR, KEY | 1);
    for (int i = 0; i < n; i++) {
        ut_advance(mm, t0 + 100 * (uint64_t)(i + 1));
        ck_assert_uint_eq(rd(dev, ISR), DATRDY);
        out[i] = rd(dev, ODATA);
    }
}

START_TEST(same_seed_same_stream)
{
    struct machine *m2 = ut_machine_new();
    m2->err = tmpfile();
    uint32_t a[16], b[16], c[16];
    stream(m, 7, a, 16);
    stream(m2, 7, b, 16);
    ck_assert_mem_eq(a, b, sizeof a);
    stream(m2, 8, c, 16);
    int same = 0;
    for (int i = 0; i < 16; i++)
        same += a[i] == c[i];
    ck_assert_int_eq(same, 0);
    /* the words themselves vary */
    int distinct = 0;
    for (int i = 1; i < 16; i++)
        distinct += a[i] != a[i - 1];
    ck_assert_int_eq(distinct, 15);
    /* the default seed 0 works and differs from 7 */
    stream(m2, 0, c, 16);
    ck_assert_uint_ne(c[0], a[0]);
    fclose(m2->err);
    m2->err = NULL;
    ut_machine_free(m2);
}
END_TEST

START_TEST(datrdy_every_84_cycles)
{
    ut_set_cycle(m, 500);
    ck_assert_uint_eq(rd(trng, ISR), 0);
    wr(trng, CR, KEY | 1);
    ut_advance(m, 500 + PERIOD - 1);
    ck_assert_uint_eq(rd(trng, ISR), 0);
    ut_advance(m, 500 + PERIOD);
    ck_assert_uint_eq(rd(trng, ISR), DATRDY);
    ck_assert_uint_eq(rd(trng, ISR), DATRDY);     /* reading ISR does not take it */
    uint32_t w1 = rd(trng, ODATA);
    ck_assert_uint_eq(rd(trng, ISR), 0);
    ut_advance(m, 500 + 2 * PERIOD - 1);
    ck_assert_uint_eq(rd(trng, ISR), 0);
    ut_advance(m, 500 + 2 * PERIOD);
    ck_assert_uint_eq(rd(trng, ISR), DATRDY);
    ck_assert_uint_ne(rd(trng, ODATA), w1);
}
END_TEST

START_TEST(irq_line_follows_isr_and_imr)
{
    ut_set_cycle(m, 0);
    wr(trng, CR, KEY | 1);
    wr(trng, IER, DATRDY);
    ck_assert_uint_eq(rd(trng, IMR), DATRDY);
    ut_advance(m, PERIOD - 1);
    ck_assert(!m->exc.slot[16 + IRQ].line);
    ut_advance(m, PERIOD);                        /* the timer raises it */
    ck_assert(m->exc.slot[16 + IRQ].line);
    ck_assert(m->exc.slot[16 + IRQ].pending);
    exc_set_pending(m, 16 + IRQ, false);
    rd(trng, ODATA);
    ck_assert(!m->exc.slot[16 + IRQ].line);
    ut_advance(m, 2 * PERIOD);
    ck_assert(m->exc.slot[16 + IRQ].line);
    wr(trng, IDR, DATRDY);                        /* Tock's handler masks it first */
    ck_assert(!m->exc.slot[16 + IRQ].line);
    ck_assert_uint_eq(rd(trng, IMR), 0);
}
END_TEST

START_TEST(cr_needs_the_key)
{
    ut_set_cycle(m, 0);
    wr(trng, CR, 1);
    ut_advance(m, 10 * PERIOD);
    ck_assert_uint_eq(rd(trng, ISR), 0);
    fflush(m->err);
    rewind(m->err);
    char buf[512] = "";
    buf[fread(buf, 1, sizeof buf - 1, m->err)] = '\0';
    ck_assert_ptr_nonnull(strstr(buf, "without the key"));
    wr(trng, CR, KEY | 1);
    ut_advance(m, 11 * PERIOD);
    ck_assert_uint_eq(rd(trng, ISR), DATRDY);
    wr(trng, CR, 0x12345600u);                    /* disable with a wrong key: still on */
    rd(trng, ODATA);
    ut_advance(m, 12 * PERIOD);
    ck_assert_uint_eq(rd(trng, ISR), DATRDY);
}
END_TEST

START_TEST(disable_keeps_the_stream)
{
    uint32_t ref[4];
    stream(m, 3, ref, 4);                         /* reads words 0, 1, 2, 3 */
    trng_model.reset(trng);
    uint64_t t0 = m->cycles + 1000;
    ut_set_cycle(m, t0);
    wr(trng, CR, KEY | 1);
    ut_advance(m, t0 + PERIOD);
    uint32_t w0 = rd(trng, ODATA);                /* word 0 */
    wr(trng, CR, KEY);                            /* disable */
    ut_advance(m, t0 + 100000);
    ck_assert_uint_eq(rd(trng, ISR), 0);
    wr(trng, CR, KEY | 1);
    ut_advance(m, t0 + 100000 + PERIOD);
    uint32_t w1 = rd(trng, ODATA);                /* word 1, not word 0 again */
    ck_assert_uint_ne(w0, w1);
    ck_assert_uint_eq(w0, ref[0]);
    ck_assert_uint_eq(w1, ref[1]);
}
END_TEST

Suite *trng_suite(void); /* called by tests/unit/runner.c */
Suite *trng_suite(void)
{
    Suite *s = suite_create("trng");
    TCase *tc = tcase_create("trng");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, same_seed_same_stream);
    tcase_add_test(tc, datrdy_every_84_cycles);
    tcase_add_test(tc, irq_line_follows_isr_and_imr);
    tcase_add_test(tc, cr_needs_the_key);
    tcase_add_test(tc, disable_keeps_the_stream);
    suite_add_tcase(s, tc);
    return s;
}
