/*
 * test_pdca.c — unit tests of the SAM4L PDCA model (sim/pdca.c) with the
 * USART model behind it: reset values and the derived ISR, a 13-byte TX
 * transfer paced by the USART's TXRDY (two bytes at once, then one per
 * character time) with TRC and the channel IRQ at the right cycle, reload
 * (and RCZ), RING, RX into memory, halfword units, transfer errors with
 * ECLR, TDIS/TEN pausing, a USART enabled after the channel, and an
 * unmodelled peripheral.  Time advances with ut_advance() (evq_run_due).
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "board_io.h"
#include "periph.h"
#include "test_support.h"

extern const struct periph_model usart_model;
extern const struct periph_model pdca_model;

/* PDCA channel registers */
#define MAR 0x00
#define PSR 0x04
#define TCR 0x08
#define MARR 0x0C
#define TCRR 0x10
#define PCR 0x14
#define PMR 0x18
#define SR 0x1C
#define PIER 0x20
#define PIDR 0x24
#define PIMR 0x28
#define ISR 0x2C
#define TEN 1u
#define TDIS 2u
#define ECLR (1u << 8)
#define RCZ 1u
#define TRC 2u
#define TERR 4u

/* USART registers */
#define UCR 0x00
#define UMR 0x04
#define UCSR 0x14
#define UBRGR 0x20
#define TXEN (1u << 6)
#define RXEN (1u << 4)
#define TXRDY (1u << 1)
#define RXRDY (1u << 0)
#define OVRE (1u << 5)
#define TXEMPTY (1u << 9)

#define CHAR 4170u
#define BUF 0x20001000u
#define RXBUF 0x20002000u
#define CH_RX 0                 /* Tock: channel 0 USART0 RX, 1 USART0 TX */
#define CH_TX 1

static struct machine *m;
static void *pdca, *u0;

static void setup(void)
{
    m = ut_machine_new();
    m->console = tmpfile();
    m->err = tmpfile();
    pdca = periph_find_dev(m, "pdca");
    u0 = periph_find_dev(m, "usart0");
    ck_assert_ptr_nonnull(pdca);
    ck_assert_ptr_nonnull(u0);
}

static void teardown(void)
{
    fclose(m->console);
    fclose(m->err);
    m->console = m->err = NULL;
    ut_machine_free(m);
    m = NULL;
}

static void pw(int ch, uint32_t off, uint32_t v) { pdca_model.write(pdca, 0x40u * (uint32_t)ch + off, 4, v); }
static uint32_t pr(int ch, uint32_t off) { return pdca_model.read(pdca, 0x40u * (uint32_t)ch + off, 4); }
static void uw(uint32_t off, uint32_t v) { usart_model.write(u0, off, 4, v); }
static uint32_t ur(uint32_t off) { return usart_model.read(u0, off, 4); }

static void usart_config(uint32_t enable)
{
    uw(UMR, (1u << 19) | (3u << 6) | (4u << 9));
    uw(UBRGR, 0x00010034u);
    if (enable)
        uw(UCR, enable);
}

static void put(uint32_t addr, const char *s)
{
    uint8_t *p = machine_host_ptr(m, addr, (uint32_t)strlen(s));
    ck_assert_ptr_nonnull(p);
    memcpy(p, s, strlen(s));
}

static const char *console(void)
{
    static char buf[256];
    fflush(m->console);
    long n = ftell(m->console);
    rewind(m->console);
    size_t got = fread(buf, 1, (size_t)n < sizeof buf - 1 ? (size_t)n : sizeof buf - 1, m->console);
    buf[got] = '\0';
    fseek(m->console, 0, SEEK_END);
    return buf;
}

static bool ch_line(int ch) { return m->exc.slot[EXC_IRQ0 + 1 + ch].line; }

static void start(int ch, uint32_t psr, uint32_t mar, uint32_t tcr)
{
    pw(ch, PSR, psr);
    pw(ch, MAR, mar);
    pw(ch, TCR, tcr);
    pw(ch, PCR, TEN);
}

START_TEST(reset_values)
{
    for (int ch = 0; ch < 16; ch++) {
        ck_assert_uint_eq(pr(ch, ISR), RCZ | TRC);
        ck_assert_uint_eq(pr(ch, SR), 0);
        ck_assert_uint_eq(pr(ch, PIMR), 0);
        ck_assert_uint_eq(pr(ch, TCR), 0);
        ck_assert(!ch_line(ch));
    }
    ck_assert_uint_eq(pdca_model.read(pdca, 0x834, 4), 0x124);
    ck_assert_uint_eq(pdca_model.read(pdca, 0x800, 4), 0);
    pw(3, PSR, 0x1FF);
    ck_assert_uint_eq(pr(3, PSR), 0xFF);
    pw(3, PIER, TRC);                    /* TRC is a status: the line rises at once */
    ck_assert(ch_line(3));
    pw(3, PIDR, TRC);
    ck_assert(!ch_line(3));
}
END_TEST

START_TEST(tx_13_bytes)
{
    const char *msg = "Hello, Tock!\n";
    ck_assert_uint_eq(strlen(msg), 13);
    usart_config(TXEN);
    put(BUF, msg);
    pw(CH_TX, PIER, TRC);
    ut_set_cycle(m, 1000);
    start(CH_TX, 18, BUF, 13);
    /* one byte to the shifter, one to THR */
    ck_assert_uint_eq(pr(CH_TX, TCR), 11);
    ck_assert_uint_eq(pr(CH_TX, MAR), BUF + 2);
    ck_assert_uint_eq(pr(CH_TX, SR), 1);
    ck_assert_uint_eq(pr(CH_TX, ISR), RCZ);
    ck_assert(!ch_line(CH_TX));
    for (unsigned k = 1; k <= 11; k++) {
        ut_advance(m, 1000 + k * CHAR - 1);
        ck_assert_uint_eq(pr(CH_TX, TCR), 12 - k);
        ck_assert_uint_eq(strlen(console()), k - 1);
        ut_advance(m, 1000 + k * CHAR);
        ck_assert_uint_eq(pr(CH_TX, TCR), 11 - k);
        ck_assert_uint_eq(strlen(console()), k);
    }
    /* the last byte entered THR at 11 character times: transfer complete */
    ck_assert_uint_eq(pr(CH_TX, ISR), RCZ | TRC);
    ck_assert(ch_line(CH_TX));
    ck_assert(m->exc.slot[EXC_IRQ0 + 2].pending);
    ck_assert_uint_eq(ur(UCSR) & TXEMPTY, 0);
    ut_advance(m, 1000 + 13 * CHAR - 1);
    ck_assert_uint_eq(strlen(console()), 12);
    ut_advance(m, 1000 + 13 * CHAR);
    ck_assert_str_eq(console(), msg);
    ck_assert_uint_eq(ur(UCSR) & TXEMPTY, TXEMPTY);
    ck_assert_uint_eq(pr(CH_TX, SR), 1); /* TEN stays set */
    pw(CH_TX, PIDR, TRC);
    ck_assert(!ch_line(CH_TX));
}
END_TEST

START_TEST(tx_reload)
{
    usart_config(TXEN);
    put(BUF, "abc");
    put(BUF + 0x100, "XY");
    pw(CH_TX, PSR, 18);
    pw(CH_TX, MAR, BUF);
    pw(CH_TX, TCR, 3);
    pw(CH_TX, MARR, BUF + 0x100);
    pw(CH_TX, TCRR, 2);
    ck_assert_uint_eq(pr(CH_TX, ISR), 0); /* reload pending: neither RCZ nor TRC */
    pw(CH_TX, PIER, RCZ);
    ck_assert(!ch_line(CH_TX));
    pw(CH_TX, PCR, TEN);
    ut_advance(m, CHAR);                  /* 'c' taken, TCR 0: reloaded */
    ck_assert_uint_eq(pr(CH_TX, TCR), 2);
    ck_assert_uint_eq(pr(CH_TX, MAR), BUF + 0x100);
    ck_assert_uint_eq(pr(CH_TX, TCRR), 0);
    ck_assert_uint_eq(pr(CH_TX, MARR), 0);
    ck_assert_uint_eq(pr(CH_TX, ISR), RCZ);
    ck_assert(ch_line(CH_TX));
    ut_advance(m, 5 * CHAR);
    ck_assert_str_eq(console(), "abcXY");
    ck_assert_uint_eq(pr(CH_TX, ISR), RCZ | TRC);
}
END_TEST

START_TEST(reload_when_tcr_is_zero)
{
    pw(4, MARR, BUF);
    pw(4, TCRR, 7);                      /* TCR is 0: reloaded at once */
    ck_assert_uint_eq(pr(4, TCR), 7);
    ck_assert_uint_eq(pr(4, MAR), BUF);
    ck_assert_uint_eq(pr(4, TCRR), 0);
    ck_assert_uint_eq(pr(4, ISR), RCZ);
}
END_TEST

START_TEST(tx_ring)
{
    usart_config(TXEN);
    put(BUF, "ab");
    pw(CH_TX, PMR, 8);                   /* RING */
    pw(CH_TX, MARR, BUF);
    pw(CH_TX, TCRR, 2);
    start(CH_TX, 18, BUF, 2);
    ut_advance(m, 6 * CHAR);
    ck_assert_str_eq(console(), "ababab");
    ck_assert_uint_eq(pr(CH_TX, TCRR), 2);
    pw(CH_TX, PCR, TDIS);
    ut_advance(m, 20 * CHAR);
    ck_assert_uint_eq(strlen(console()), 8); /* shifter + THR were already loaded */
}
END_TEST

START_TEST(tx_waits_for_usart)
{
    usart_config(0);                      /* transmitter disabled: TXRDY = 0 */
    put(BUF, "late");
    start(CH_TX, 18, BUF, 4);
    ut_advance(m, 10 * CHAR);
    ck_assert_uint_eq(pr(CH_TX, TCR), 4);
    uw(UCR, TXEN);                        /* TXRDY rises: the DMA starts */
    ck_assert_uint_eq(pr(CH_TX, TCR), 2);
    ut_advance(m, 14 * CHAR);
    ck_assert_str_eq(console(), "late");
}
END_TEST

START_TEST(tx_pause)
{
    usart_config(TXEN);
    put(BUF, "12345");
    start(CH_TX, 18, BUF, 5);
    pw(CH_TX, PCR, TDIS);
    ck_assert_uint_eq(pr(CH_TX, SR), 0);
    ut_advance(m, 10 * CHAR);
    ck_assert_str_eq(console(), "12");
    ck_assert_uint_eq(pr(CH_TX, TCR), 3);
    pw(CH_TX, PCR, TEN);
    ut_advance(m, 13 * CHAR);
    ck_assert_str_eq(console(), "12345");
}
END_TEST

START_TEST(rx_to_memory)
{
    usart_config(RXEN);
    memset(machine_host_ptr(m, RXBUF, 8), 0xEE, 8);
    pw(CH_RX, PIER, TRC);
    start(CH_RX, 0, RXBUF, 4);
    ck_assert(!ch_line(CH_RX));
    for (const char *s = "ping"; *s; s++)
        ck_assert_int_eq(board_io_uart_rx(m, "usart0", (uint8_t)*s), 1);
    ut_advance(m, 3 * CHAR);
    ck_assert_mem_eq(machine_host_ptr(m, RXBUF, 4), "pin\xEE", 4);
    ck_assert_uint_eq(pr(CH_RX, TCR), 1);
    ck_assert_uint_eq(ur(UCSR) & (RXRDY | OVRE), 0);
    ck_assert(!ch_line(CH_RX));
    ut_advance(m, 4 * CHAR);
    ck_assert_mem_eq(machine_host_ptr(m, RXBUF, 5), "ping\xEE", 5);
    ck_assert_uint_eq(pr(CH_RX, ISR), RCZ | TRC);
    ck_assert(ch_line(CH_RX));
    /* a fifth byte stays in RHR: the channel is done */
    board_io_uart_rx(m, "usart0", '!');
    ut_advance(m, 5 * CHAR);
    ck_assert_uint_eq(ur(UCSR) & RXRDY, RXRDY);
}
END_TEST

START_TEST(rx_halfwords)
{
    usart_config(RXEN);
    memset(machine_host_ptr(m, RXBUF, 4), 0xEE, 4);
    pw(CH_RX, PMR, 1);                   /* SIZE = halfword */
    start(CH_RX, 0, RXBUF, 2);
    board_io_uart_rx(m, "usart0", 'h');
    board_io_uart_rx(m, "usart0", 'w');
    ut_advance(m, 2 * CHAR);
    ck_assert_mem_eq(machine_host_ptr(m, RXBUF, 4), "h\0w\0", 4);
    ck_assert_uint_eq(pr(CH_RX, MAR), RXBUF + 4);
}
END_TEST

START_TEST(rx_byte_waiting_before_enable)
{
    usart_config(RXEN);
    board_io_uart_rx(m, "usart0", 'q');
    ut_advance(m, CHAR);
    ck_assert_uint_eq(ur(UCSR) & RXRDY, RXRDY);
    start(CH_RX, 0, RXBUF, 1);            /* RXRDY already 1: taken at once */
    ck_assert_uint_eq(*machine_host_ptr(m, RXBUF, 1), 'q');
    ck_assert_uint_eq(pr(CH_RX, TCR), 0);
}
END_TEST

START_TEST(transfer_errors)
{
    usart_config(TXEN | RXEN);
    pw(CH_TX, PIER, TERR);
    start(CH_TX, 18, 0x60000000u, 3);     /* nothing mapped there */
    ck_assert_uint_eq(pr(CH_TX, ISR) & TERR, TERR);
    ck_assert_uint_eq(pr(CH_TX, SR), 0);
    ck_assert_uint_eq(pr(CH_TX, TCR), 3);
    ck_assert_uint_eq(pr(CH_TX, MAR), 0x60000000u);
    ck_assert(ch_line(CH_TX));
    pw(CH_TX, PCR, TEN);                  /* ignored until ECLR */
    ck_assert_uint_eq(pr(CH_TX, SR), 0);
    put(BUF, "ok!");
    pw(CH_TX, MAR, BUF);
    pw(CH_TX, PCR, ECLR | TEN);
    ck_assert_uint_eq(pr(CH_TX, ISR) & TERR, 0);
    ck_assert(!ch_line(CH_TX));
    ut_advance(m, 3 * CHAR);
    ck_assert_str_eq(console(), "ok!");
    /* RX into flash is an error too */
    start(CH_RX, 0, 0x00010000u, 1);
    board_io_uart_rx(m, "usart0", 'f');
    ut_advance(m, 4 * CHAR);
    ck_assert_uint_eq(pr(CH_RX, ISR) & TERR, TERR);
    ck_assert_uint_eq(pr(CH_RX, TCR), 1);
}
END_TEST

START_TEST(unmodelled_peripheral)
{
    put(BUF, "x");
    start(2, 4, BUF, 1);                 /* SPI RX */
    ut_advance(m, 10 * CHAR);
    ck_assert_uint_eq(pr(2, TCR), 1);
    char text[512] = "";
    fflush(m->err);
    rewind(m->err);
    size_t n = fread(text, 1, sizeof text - 1, m->err);
    text[n] = '\0';
    ck_assert_ptr_nonnull(strstr(text, "not modelled"));
}
END_TEST

START_TEST(second_usart)
{
    void *u2 = periph_find_dev(m, "usart2");
    ck_assert_ptr_nonnull(u2);
    usart_model.write(u2, UMR, 4, (1u << 19) | (3u << 6) | (4u << 9));
    usart_model.write(u2, UBRGR, 4, 0x00010034u);
    usart_model.write(u2, UCR, 4, TXEN);
    put(BUF, "u2");
    start(5, 20, BUF, 2);                /* USART2_TX */
    ck_assert_uint_eq(pr(5, TCR), 0);
    ut_advance(m, 2 * CHAR);
    ck_assert_str_eq(console(), "");     /* not the console UART */
    ck_assert_uint_eq(usart_model.read(u2, UCSR, 4) & TXEMPTY, TXEMPTY);
}
END_TEST

START_TEST(through_mmio)
{
    const uint32_t base = 0x400A2000u + 0x40u * CH_TX;
    usart_config(TXEN);
    put(BUF, "mm");
    ut_wr32(m, base + PSR, 18);
    ut_wr32(m, base + MAR, BUF);
    ut_wr32(m, base + TCR, 2);
    ut_wr32(m, base + PCR, TEN);
    ck_assert_uint_eq(ut_rd32(m, base + TCR), 0);
    ck_assert_uint_eq(ut_rd32(m, base + ISR), RCZ | TRC);
    ck_assert_uint_eq(ut_rd8(m, 0x400A2834u), 0x24);
    ut_advance(m, 2 * CHAR);
    ck_assert_str_eq(console(), "mm");
}
END_TEST

START_TEST(reset_clears_channels)
{
    usart_config(TXEN);
    put(BUF, "abcdef");
    pw(CH_TX, PIER, TRC);
    start(CH_TX, 18, BUF, 6);
    pdca_model.reset(pdca);
    ck_assert_uint_eq(pr(CH_TX, SR), 0);
    ck_assert_uint_eq(pr(CH_TX, TCR), 0);
    ck_assert_uint_eq(pr(CH_TX, PIMR), 0);
    ck_assert(!ch_line(CH_TX));
    ut_advance(m, 10 * CHAR);
    ck_assert_str_eq(console(), "ab");
}
END_TEST

Suite *pdca_suite(void); /* called by tests/unit/runner.c */
Suite *pdca_suite(void)
{
    Suite *s = suite_create("pdca");
    TCase *tc = tcase_create("pdca");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, reset_values);
    tcase_add_test(tc, tx_13_bytes);
    tcase_add_test(tc, tx_reload);
    tcase_add_test(tc, reload_when_tcr_is_zero);
    tcase_add_test(tc, tx_ring);
    tcase_add_test(tc, tx_waits_for_usart);
    tcase_add_test(tc, tx_pause);
    tcase_add_test(tc, rx_to_memory);
    tcase_add_test(tc, rx_halfwords);
    tcase_add_test(tc, rx_byte_waiting_before_enable);
    tcase_add_test(tc, transfer_errors);
    tcase_add_test(tc, unmodelled_peripheral);
    tcase_add_test(tc, second_usart);
    tcase_add_test(tc, through_mmio);
    tcase_add_test(tc, reset_clears_channels);
    suite_add_tcase(s, tc);
    return s;
}
