/*
 * test_usart.c — unit tests of the SAM4L USART model (sim/usart.c): reset
 * values, character timing in virtual time (Tock's 115200 8N1 with OVER = 1
 * is 4170 cycles a character at 48 MHz), TXRDY/TXEMPTY, back-to-back bytes,
 * reception from the host (RXRDY, RHR, OVRE, RSTSTA, FIFO pacing), the
 * receiver time-out, the NVIC line, loopback, write protection, narrow
 * accesses and reset.  The model is driven through usart_model.read/write;
 * time advances with ut_advance() (evq_run_due); the console UART's output
 * goes to a tmpfile.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board_io.h"
#include "periph.h"
#include "test_support.h"
#include "trace.h"

extern const struct periph_model usart_model;

#define CR 0x00
#define MR 0x04
#define IER 0x08
#define IDR 0x0C
#define IMR 0x10
#define CSR 0x14
#define RHR 0x18
#define THR 0x1C
#define BRGR 0x20
#define RTOR 0x24
#define TTGR 0x28
#define FIDI 0x40
#define MAN 0x50
#define WPMR 0xE4
#define WPSR 0xE8
#define VERSION 0xFC

#define RSTRX (1u << 2)
#define RSTTX (1u << 3)
#define RXEN (1u << 4)
#define RXDIS (1u << 5)
#define TXEN (1u << 6)
#define TXDIS (1u << 7)
#define RSTSTA (1u << 8)
#define STTTO (1u << 11)
#define RETTO (1u << 15)

#define RXRDY (1u << 0)
#define TXRDY (1u << 1)
#define OVRE (1u << 5)
#define TIMEOUT (1u << 8)
#define TXEMPTY (1u << 9)

#define TOCK_MR ((1u << 19) | (3u << 6) | (4u << 9))   /* OVER, 8 bits, no parity */
#define TOCK_BRGR 0x00010034u                          /* CD 52, FP 1 */
#define CHAR 4170u                                     /* 10 x 8 x (52 + 1/8) */
#define USART0_IRQ 65

static struct machine *m;
static void *u0;

static void setup(void)
{
    m = ut_machine_new();
    m->console = tmpfile();
    m->err = tmpfile();
    ck_assert_ptr_nonnull(m->console);
    u0 = periph_find_dev(m, "usart0");
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

static void wr(uint32_t off, uint32_t val) { usart_model.write(u0, off, 4, val); }
static uint32_t rd(uint32_t off) { return usart_model.read(u0, off, 4); }

/* Tock's console configuration, transmitter and receiver enabled. */
static void tock_config(void)
{
    wr(CR, RSTRX | RSTTX | RSTSTA);
    wr(MR, TOCK_MR);
    wr(BRGR, TOCK_BRGR);
    wr(CR, TXEN | RXEN);
}

/* What the console received so far (NUL terminated). */
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

static bool irq_line(void) { return m->exc.slot[EXC_IRQ0 + USART0_IRQ].line; }

START_TEST(reset_values)
{
    ck_assert_uint_eq(rd(VERSION), 0x602);
    ck_assert_uint_eq(rd(FIDI), 0x174);
    ck_assert_uint_eq(rd(MAN), 0x30011004u);
    ck_assert_uint_eq(rd(MR), 0);
    ck_assert_uint_eq(rd(CSR), 0);       /* transmitter and receiver disabled */
    ck_assert_uint_eq(rd(IMR), 0);
    ck_assert_uint_eq(rd(BRGR), 0);
    wr(CR, TXEN);
    ck_assert_uint_eq(rd(CR), 0);        /* write-only */
    ck_assert_uint_eq(rd(CSR), TXRDY | TXEMPTY);
    wr(BRGR, 0xFFFFFFFFu);
    ck_assert_uint_eq(rd(BRGR), 0x0007FFFFu);
    for (int i = 1; i < 4; i++) {
        char name[8];
        snprintf(name, sizeof name, "usart%d", i);
        void *d = periph_find_dev(m, name);
        ck_assert_ptr_nonnull(d);
        ck_assert_uint_eq(usart_model.read(d, VERSION, 4), 0x602);
    }
}
END_TEST

START_TEST(tock_character_time)
{
    tock_config();
    ut_set_cycle(m, 100);
    wr(THR, 'A');
    ck_assert_uint_eq(rd(CSR), TXRDY);   /* in the shifter: TXRDY back, not empty */
    ut_advance(m, 100 + CHAR - 1);
    ck_assert_str_eq(console(), "");
    ck_assert_uint_eq(rd(CSR) & TXEMPTY, 0);
    ut_advance(m, 100 + CHAR);
    ck_assert_str_eq(console(), "A");
    ck_assert_uint_eq(rd(CSR), TXRDY | TXEMPTY);
}
END_TEST

START_TEST(back_to_back)
{
    tock_config();
    wr(THR, 'a');
    wr(THR, 'b');
    ck_assert_uint_eq(rd(CSR), 0);       /* THR holds b, shifter a */
    ut_advance(m, CHAR);
    ck_assert_str_eq(console(), "a");
    ck_assert_uint_eq(rd(CSR), TXRDY);   /* b moved to the shifter */
    ut_advance(m, CHAR + 10);
    wr(THR, 'c');
    ut_advance(m, 2 * CHAR - 1);
    ck_assert_str_eq(console(), "a");
    ut_advance(m, 2 * CHAR);
    ck_assert_str_eq(console(), "ab");
    ck_assert_uint_eq(rd(CSR), TXRDY);
    ut_advance(m, 3 * CHAR);             /* c started right after b's stop bit */
    ck_assert_str_eq(console(), "abc");
    ck_assert_uint_eq(rd(CSR), TXRDY | TXEMPTY);
}
END_TEST

START_TEST(transmitter_disabled)
{
    wr(MR, TOCK_MR);
    wr(BRGR, TOCK_BRGR);
    wr(THR, 'x');                        /* ignored: TXEN never written */
    ut_advance(m, 10 * CHAR);
    ck_assert_str_eq(console(), "");
    ck_assert_uint_eq(rd(CSR), 0);
    /* TXDIS lets the characters already accepted finish */
    wr(CR, TXEN);
    wr(THR, '1');
    wr(THR, '2');
    wr(CR, TXDIS);
    ck_assert_uint_eq(rd(CSR), 0);
    ut_advance(m, 10 * CHAR + 2 * CHAR);
    ck_assert_str_eq(console(), "12");
    ck_assert_uint_eq(rd(CSR), 0);
    /* RSTTX aborts */
    wr(CR, TXEN);
    wr(THR, '3');
    wr(CR, RSTTX);
    ut_advance(m, 20 * CHAR);
    ck_assert_str_eq(console(), "12");
}
END_TEST

START_TEST(character_formats)
{
    wr(CR, TXEN);
    /* 7 data bits, even parity, 2 stop bits, 16x, CD 26: 11 bits of 416 cycles */
    wr(MR, (2u << 6) | (0u << 9) | (2u << 12));
    wr(BRGR, 26);
    wr(THR, 'p');
    ut_advance(m, 11 * 416 - 1);
    ck_assert_str_eq(console(), "");
    ut_advance(m, 11 * 416);
    ck_assert_str_eq(console(), "p");
    /* 8N1.5, 8x, CD 52 FP 1: 10.5 bits of 417 = 4378.5, rounded up */
    wr(MR, TOCK_MR | (1u << 12));
    wr(BRGR, TOCK_BRGR);
    uint64_t t0 = 11 * 416;
    wr(THR, 'q');
    ut_advance(m, t0 + 4378);
    ck_assert_str_eq(console(), "p");
    ut_advance(m, t0 + 4379);
    ck_assert_str_eq(console(), "pq");
    /* USCLKS = 1 (clock / 8) */
    t0 += 4379;
    wr(MR, TOCK_MR | (1u << 4));
    wr(THR, 'r');
    ut_advance(m, t0 + 8 * CHAR - 1);
    ck_assert_str_eq(console(), "pq");
    ut_advance(m, t0 + 8 * CHAR);
    ck_assert_str_eq(console(), "pqr");
}
END_TEST

START_TEST(baud_clock_stopped)
{
    wr(MR, TOCK_MR);
    wr(CR, TXEN);
    wr(THR, 's');                        /* CD = 0: nothing moves */
    ut_advance(m, 100000);
    ck_assert_str_eq(console(), "");
    ck_assert_uint_eq(rd(CSR), TXRDY);
    wr(BRGR, TOCK_BRGR);
    ut_advance(m, 100000 + CHAR - 1);
    ck_assert_str_eq(console(), "");
    ut_advance(m, 100000 + CHAR);
    ck_assert_str_eq(console(), "s");
}
END_TEST

START_TEST(timeguard)
{
    tock_config();
    wr(TTGR, 5);
    wr(THR, 'a');
    wr(THR, 'b');
    ut_advance(m, CHAR);
    ck_assert_str_eq(console(), "a");
    ut_advance(m, 2 * CHAR + 5 * 417 - 1);
    ck_assert_str_eq(console(), "a");
    ut_advance(m, 2 * CHAR + 5 * 417);
    ck_assert_str_eq(console(), "ab");
}
END_TEST

START_TEST(receive)
{
    tock_config();
    ck_assert_int_eq(board_io_uart_rx(m, "usart0", 'x'), 1);
    ut_advance(m, CHAR - 1);
    ck_assert_uint_eq(rd(CSR) & RXRDY, 0);
    ut_advance(m, CHAR);
    ck_assert_uint_eq(rd(CSR) & RXRDY, RXRDY);
    ck_assert_uint_eq(rd(RHR), 'x');
    ck_assert_uint_eq(rd(CSR) & RXRDY, 0);
    ck_assert_int_eq(board_io_uart_rx(m, "nope", 'x'), -1);
}
END_TEST

START_TEST(receive_paced)
{
    tock_config();
    ut_set_cycle(m, 1000);
    for (const char *s = "abc"; *s; s++)
        ck_assert_int_eq(board_io_uart_rx(m, "usart0", (uint8_t)*s), 1);
    for (int i = 0; i < 3; i++) {
        ut_advance(m, 1000 + (uint64_t)(i + 1) * CHAR - 1);
        ck_assert_uint_eq(rd(CSR) & RXRDY, 0);
        ut_advance(m, 1000 + (uint64_t)(i + 1) * CHAR);
        ck_assert_uint_eq(rd(CSR) & (RXRDY | OVRE), RXRDY);
        ck_assert_uint_eq(rd(RHR), (uint32_t)"abc"[i]);
    }
}
END_TEST

START_TEST(overrun)
{
    tock_config();
    board_io_uart_rx(m, "usart0", '1');
    board_io_uart_rx(m, "usart0", '2');
    ut_advance(m, 2 * CHAR);
    ck_assert_uint_eq(rd(CSR) & (RXRDY | OVRE), RXRDY | OVRE);
    ck_assert_uint_eq(rd(RHR), '2');     /* the unread '1' was overwritten */
    ck_assert_uint_eq(rd(CSR) & (RXRDY | OVRE), OVRE);
    wr(CR, RSTSTA);
    ck_assert_uint_eq(rd(CSR) & OVRE, 0);
}
END_TEST

START_TEST(receiver_disabled)
{
    wr(MR, TOCK_MR);
    wr(BRGR, TOCK_BRGR);
    ck_assert_int_eq(board_io_uart_rx(m, "usart0", 'x'), 0);
    wr(CR, RXEN);
    ck_assert_int_eq(board_io_uart_rx(m, "usart0", 'y'), 1);
    wr(CR, RXDIS);                       /* disabled before it arrives: dropped */
    ut_advance(m, 2 * CHAR);
    ck_assert_uint_eq(rd(CSR), 0);
    /* the FIFO is bounded */
    wr(CR, RXEN);
    int taken = 0;
    for (int i = 0; i < 2000; i++)
        taken += board_io_uart_rx(m, "usart0", (uint8_t)i);
    ck_assert_int_gt(taken, 100);
    ck_assert_int_lt(taken, 2000);
}
END_TEST

START_TEST(interrupt_line)
{
    tock_config();
    ck_assert(!irq_line());
    wr(IER, RXRDY);
    ck_assert_uint_eq(rd(IMR), RXRDY);
    board_io_uart_rx(m, "usart0", 'i');
    ut_advance(m, CHAR - 1);
    ck_assert(!irq_line());
    ut_advance(m, CHAR);
    ck_assert(irq_line());
    ck_assert(m->exc.slot[EXC_IRQ0 + USART0_IRQ].pending);
    rd(RHR);
    ck_assert(!irq_line());
    wr(IER, TXEMPTY);                    /* idle transmitter: empty at once */
    ck_assert(irq_line());
    wr(THR, 'o');
    ck_assert(!irq_line());
    ut_advance(m, 2 * CHAR);
    ck_assert(irq_line());
    wr(IDR, TXEMPTY | RXRDY);
    ck_assert_uint_eq(rd(IMR), 0);
    ck_assert(!irq_line());
}
END_TEST

START_TEST(receiver_timeout)
{
    tock_config();
    wr(RTOR, 12);
    wr(IER, TIMEOUT);
    wr(CR, STTTO);
    ut_advance(m, 50 * CHAR);            /* no character yet: no time-out */
    ck_assert_uint_eq(rd(CSR) & TIMEOUT, 0);
    uint64_t t0 = 50 * CHAR;
    board_io_uart_rx(m, "usart0", 'a');
    board_io_uart_rx(m, "usart0", 'b');
    uint64_t idle = t0 + 2 * CHAR;       /* end of b */
    ut_advance(m, t0 + CHAR + 12 * 417); /* a's time-out was restarted by b */
    ck_assert_uint_eq(rd(CSR) & TIMEOUT, 0);
    ut_advance(m, idle + 12 * 417 - 1);
    ck_assert_uint_eq(rd(CSR) & TIMEOUT, 0);
    ck_assert(!irq_line());
    ut_advance(m, idle + 12 * 417);
    ck_assert_uint_eq(rd(CSR) & TIMEOUT, TIMEOUT);
    ck_assert(irq_line());
    wr(CR, RSTSTA);                      /* RSTSTA does not clear TIMEOUT */
    ck_assert_uint_eq(rd(CSR) & TIMEOUT, TIMEOUT);
    wr(CR, STTTO);
    ck_assert_uint_eq(rd(CSR) & TIMEOUT, 0);
    ck_assert(!irq_line());
    /* RETTO counts at once */
    uint64_t t1 = idle + 20 * 417;
    ut_set_cycle(m, t1);
    wr(CR, RETTO);
    ut_advance(m, t1 + 12 * 417 - 1);
    ck_assert_uint_eq(rd(CSR) & TIMEOUT, 0);
    ut_advance(m, t1 + 12 * 417);
    ck_assert_uint_eq(rd(CSR) & TIMEOUT, TIMEOUT);
}
END_TEST

START_TEST(local_loopback)
{
    tock_config();
    wr(MR, TOCK_MR | (2u << 14));
    wr(THR, 'z');
    ut_advance(m, CHAR);
    ck_assert_str_eq(console(), "");
    ck_assert_uint_eq(rd(CSR) & RXRDY, RXRDY);
    ck_assert_uint_eq(rd(RHR), 'z');
    /* automatic echo: received and sent back */
    wr(MR, TOCK_MR | (1u << 14));
    board_io_uart_rx(m, "usart0", 'e');
    ut_advance(m, 2 * CHAR);
    ck_assert_str_eq(console(), "e");
    ck_assert_uint_eq(rd(RHR), 'e');
}
END_TEST

START_TEST(write_protection)
{
    wr(MR, TOCK_MR);
    wr(WPMR, (0x123456u << 8) | 1);      /* wrong key: no effect */
    ck_assert_uint_eq(rd(WPMR), 0);
    wr(WPMR, (0x555341u << 8) | 1);
    ck_assert_uint_eq(rd(WPMR), 1);
    wr(MR, 0);
    ck_assert_uint_eq(rd(MR), TOCK_MR);
    ck_assert_uint_eq(rd(WPSR), 1u | (MR << 8));
    ck_assert_uint_eq(rd(WPSR), 0);      /* cleared by reading */
    wr(CR, TXEN);                        /* CR is not protected */
    ck_assert_uint_eq(rd(CSR), TXRDY | TXEMPTY);
    wr(WPMR, 0x555341u << 8);
    wr(MR, 0);
    ck_assert_uint_eq(rd(MR), 0);
}
END_TEST

START_TEST(narrow_access)
{
    tock_config();
    usart_model.write(u0, THR, 1, 'n');
    ut_advance(m, CHAR);
    ck_assert_str_eq(console(), "n");
    ck_assert_uint_eq(usart_model.read(u0, VERSION + 1, 1), 0x06);
    ck_assert_uint_eq(usart_model.read(u0, VERSION, 2), 0x602);
    usart_model.write(u0, MR + 2, 1, 0);  /* clears OVER only */
    ck_assert_uint_eq(rd(MR), TOCK_MR & 0xFF00FFFFu);
}
END_TEST

START_TEST(reset_stops_everything)
{
    tock_config();
    wr(IER, TXRDY | RXRDY);
    wr(THR, 'a');
    board_io_uart_rx(m, "usart0", 'b');
    ck_assert(irq_line());
    usart_model.reset(u0);
    ck_assert(!irq_line());
    ut_advance(m, 10 * CHAR);
    ck_assert_str_eq(console(), "");
    ck_assert_uint_eq(rd(CSR), 0);
    ck_assert_uint_eq(rd(IMR), 0);
    ck_assert_uint_eq(rd(MR), 0);
}
END_TEST

START_TEST(through_mmio)
{
    /* the same through Unicorn's MMIO path, at the USART0 address */
    const uint32_t base = 0x40024000u;
    ut_wr32(m, base + CR, RSTRX | RSTTX);
    ut_wr32(m, base + MR, TOCK_MR);
    ut_wr32(m, base + BRGR, TOCK_BRGR);
    ut_wr32(m, base + CR, TXEN);
    ut_wr8(m, base + THR, 'T');
    ck_assert_uint_eq(ut_rd32(m, base + CSR), TXRDY);
    ut_advance(m, CHAR);
    ck_assert_str_eq(console(), "T");
    ck_assert_uint_eq(ut_rd32(m, base + CSR), TXRDY | TXEMPTY);
}
END_TEST

START_TEST(uart_trace_event)
{
    char *text = NULL;
    size_t len = 0;
    struct trace tr = { .f = open_memstream(&text, &len), .owned = 0 };
    ck_assert_ptr_nonnull(tr.f);
    m->trace = &tr;
    tock_config();
    wr(THR, 'h');
    wr(THR, 'i');
    ut_advance(m, 2 * CHAR);
    wr(THR, '\n');
    ut_advance(m, 3 * CHAR - 1);
    fflush(tr.f);
    ck_assert_ptr_null(strstr(text, "\"uart\""));
    ut_advance(m, 3 * CHAR);              /* 12510 cycles at 48 MHz = 260625 ns */
    fflush(tr.f);
    ck_assert_ptr_nonnull(strstr(text,
        "{\"t_ns\":260625,\"ev\":\"uart\",\"device\":\"usart0\",\"text\":\"hi\\n\"}"));
    m->trace = NULL;
    fclose(tr.f);
    free(text);
}
END_TEST

Suite *usart_suite(void); /* called by tests/unit/runner.c */
Suite *usart_suite(void)
{
    Suite *s = suite_create("usart");
    TCase *tc = tcase_create("usart");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, reset_values);
    tcase_add_test(tc, tock_character_time);
    tcase_add_test(tc, back_to_back);
    tcase_add_test(tc, transmitter_disabled);
    tcase_add_test(tc, character_formats);
    tcase_add_test(tc, baud_clock_stopped);
    tcase_add_test(tc, timeguard);
    tcase_add_test(tc, receive);
    tcase_add_test(tc, receive_paced);
    tcase_add_test(tc, overrun);
    tcase_add_test(tc, receiver_disabled);
    tcase_add_test(tc, interrupt_line);
    tcase_add_test(tc, receiver_timeout);
    tcase_add_test(tc, local_loopback);
    tcase_add_test(tc, write_protection);
    tcase_add_test(tc, narrow_access);
    tcase_add_test(tc, reset_stops_everything);
    tcase_add_test(tc, through_mmio);
    tcase_add_test(tc, uart_trace_event);
    suite_add_tcase(s, tc);
    return s;
}
