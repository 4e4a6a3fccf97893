/*
 * test_vcd.c — the Value Change Dump writer (sim/vcd.c): the header and
 * variable declarations made from boards/hail.yaml, initial values, value
 * changes with their timestamps for a scripted sequence of board_io events
 * (LEDs, the button, header pins, console TX bytes reconstructed backwards
 * from the end of their stop bit), ordering of changes that are reported
 * out of order, and the final timestamp.
 *
 * The events are fed to the observer callbacks (vcd_led, vcd_pin, ...) at
 * virtual times set with ut_set_cycle(), as board_io calls them.  Hail:
 * 48 MHz, so ns = cycles × 125 / 6; console usart0 at 115200 baud: bit k of
 * a character starts (k × 48e6 + 57600) / 115200 cycles after its start bit
 * (417, 833, 1250, ... 4167 for the end of the stop bit).
 */
#define _GNU_SOURCE
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board_io.h"
#include "test_support.h"
#include "vcd.h"

static struct machine *m;
static const char *path;
static char err[512];
static char *err_text;
static size_t err_len;

static void setup(void)
{
    m = ut_machine_new();
    m->err = open_memstream(&err_text, &err_len);   /* the "no observer hook yet" warning */
    path = ut_path(ut_tmpdir(), "out.vcd");
}

static void teardown(void)
{
    fclose(m->err);
    m->err = stderr;
    free(err_text);
    ut_machine_free(m);
}

static char *slurp(const char *p)
{
    FILE *f = fopen(p, "rb");
    ck_assert_ptr_nonnull(f);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

static struct vcd *open_vcd(void)
{
    struct vcd *v = vcd_open(m, path, err, sizeof err);
    ck_assert_msg(v != NULL, "vcd_open: %s", err);
    return v;
}

/* The part after $enddefinitions. */
static const char *changes(const char *text)
{
    const char *p = strstr(text, "$enddefinitions $end\n");
    ck_assert_ptr_nonnull(p);
    return p + strlen("$enddefinitions $end\n");
}

#define INITIAL "#0\n$dumpvars\n0a\n0b\n0c\n0d\nze\nzf\nzg\nzh\n1i\n$end\n"

START_TEST(header_and_declarations)
{
    ut_set_cycle(m, 4800);
    ck_assert_int_eq(vcd_close(open_vcd()), 0);
    ck_assert_str_eq(slurp(path),
        "$version hailsim $end\n"
        "$comment board: Hail (ATSAM4LC8BA); virtual time $end\n"
        "$timescale 1ns $end\n"
        "$scope module board $end\n"
        "$scope module leds $end\n"
        "$var wire 1 a red $end\n"
        "$var wire 1 b green $end\n"
        "$var wire 1 c blue $end\n"
        "$upscope $end\n"
        "$scope module buttons $end\n"
        "$var wire 1 d user $end\n"
        "$upscope $end\n"
        "$scope module header $end\n"
        "$var wire 1 e D0 $end\n"
        "$var wire 1 f D1 $end\n"
        "$var wire 1 g D6 $end\n"
        "$var wire 1 h D7 $end\n"
        "$upscope $end\n"
        "$scope module console $end\n"
        "$var wire 1 i usart0_tx $end\n"
        "$upscope $end\n"
        "$upscope $end\n"
        "$enddefinitions $end\n"
        "#100000\n$dumpvars\n0a\n0b\n0c\n0d\nze\nzf\nzg\nzh\n1i\n$end\n");
}
END_TEST

START_TEST(initial_values_follow_board_io)
{
    board_io_button(m, "user", true);
    board_io_pin(m, 1, 15, 1, true);            /* D1 = PB15 driven high */
    board_io_pin(m, 0, 13, 0, true);            /* red LED (PA13, active low) lit */
    ck_assert_int_eq(vcd_close(open_vcd()), 0);
    ck_assert_str_eq(changes(slurp(path)), "#0\n$dumpvars\n1a\n0b\n0c\n1d\nze\n1f\nzg\nzh\n1i\n$end\n");
}
END_TEST

START_TEST(scripted_changes)
{
    struct vcd *v = open_vcd();
    ut_set_cycle(m, 48);                        /* 1000 ns */
    vcd_led(v, 0, true);
    ut_set_cycle(m, 96);
    vcd_button(v, 0, true);
    ut_set_cycle(m, 144);
    vcd_pin(v, 1, 14, 1, true);                 /* D0 = PB14 */
    vcd_led(v, 0, true);                        /* no change: not written */
    ut_set_cycle(m, 192);
    vcd_pin(v, 1, 14, 0, false);                /* released: z */
    vcd_pin(v, 0, 13, 0, true);                 /* not a header pin */
    vcd_pin(v, 1, 12, 0, true);                 /* D7 = PB12 */
    vcd_button(v, 0, false);
    ut_set_cycle(m, 480000);                    /* 10 ms */
    vcd_led(v, 2, true);
    ut_set_cycle(m, 960000);                    /* 20 ms */
    ck_assert_int_eq(vcd_close(v), 0);
    ck_assert_str_eq(changes(slurp(path)), INITIAL
        "#1000\n1a\n"
        "#2000\n1d\n"
        "#3000\n1e\n"
        "#4000\nze\n0h\n0d\n"
        "#10000000\n1c\n"
        "#20000000\n");
}
END_TEST

START_TEST(uart_byte_reconstructed_backwards)
{
    struct vcd *v = open_vcd();
    /* 'A' = 0x41: start 0, data 1 0 0 0 0 0 1 0 (LSB first), stop 1 */
    ut_set_cycle(m, 96000);                     /* 2 ms: inside the character, reported first */
    vcd_led(v, 1, true);
    ut_set_cycle(m, 100000);                    /* the stop bit of 'A' ends */
    vcd_uart_tx(v, "usart0", 'A');
    vcd_uart_tx(v, "usart1", 'B');              /* not the console: not drawn */
    ut_set_cycle(m, 200000);
    ck_assert_int_eq(vcd_close(v), 0);
    /* start 95833 (1996520 ns), bit0 96250, bit1 96666, bit6 98750, bit7 99166, stop 99583 */
    ck_assert_str_eq(changes(slurp(path)), INITIAL
        "#1996520\n0i\n"
        "#2000000\n1b\n"
        "#2005208\n1i\n"
        "#2013875\n0i\n"
        "#2057291\n1i\n"
        "#2065958\n0i\n"
        "#2074645\n1i\n"
        "#4166666\n");
}
END_TEST

START_TEST(back_to_back_bytes_do_not_overlap)
{
    struct vcd *v = open_vcd();
    ut_set_cycle(m, 100000);
    vcd_uart_tx(v, "usart0", 0x00);             /* start 95833, all zeros, stop at 99583 */
    ut_set_cycle(m, 101000);                    /* too early for a whole character after the first */
    vcd_uart_tx(v, "usart0", 0xFF);             /* placed right after: start 100000, data 1 at 100417 */
    ck_assert_int_eq(vcd_close(v), 0);
    ck_assert_str_eq(changes(slurp(path)), INITIAL
        "#1996520\n0i\n"
        "#2074645\n1i\n"
        "#2083333\n0i\n"
        "#2092020\n1i\n"
        "#2104166\n");
}
END_TEST

START_TEST(changes_before_the_horizon_are_written_at_once)
{
    struct vcd *v = open_vcd();
    ut_set_cycle(m, 48);
    vcd_led(v, 0, true);
    ut_set_cycle(m, 48 + 4166);                 /* one character time later: not yet final */
    vcd_led(v, 1, true);
    fflush(NULL);
    ck_assert_ptr_null(strstr(changes(slurp(path)), "#1000\n"));
    ut_set_cycle(m, 48 + 4168);
    vcd_led(v, 2, true);
    fflush(NULL);                               /* flushes the VCD's own FILE too */
    ck_assert_str_eq(changes(slurp(path)), INITIAL "#1000\n1a\n");
    ck_assert_int_eq(vcd_close(v), 0);
    ck_assert_str_eq(changes(slurp(path)), INITIAL "#1000\n1a\n#87791\n1b\n#87833\n1c\n");
}
END_TEST

START_TEST(open_errors)
{
    ck_assert_ptr_null(vcd_open(m, "/nonexistent-dir/x.vcd", err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "--vcd"));
    ck_assert_ptr_nonnull(strstr(err, "/nonexistent-dir/x.vcd"));
    ck_assert_int_eq(vcd_close(NULL), 0);
}
END_TEST

/* With the board_io observer hook: the same events through board_io itself. */
START_TEST(through_board_io)
{
    struct vcd *v = open_vcd();
    ut_set_cycle(m, 48);
    board_io_pin(m, 0, 13, 0, true);            /* red on */
    ut_set_cycle(m, 96);
    board_io_button(m, "user", true);
    ut_set_cycle(m, 144);
    board_io_pin(m, 1, 11, 1, true);            /* D6 */
    ut_set_cycle(m, 100000);
    board_io_uart_tx(m, "usart0", 'A');
    ut_set_cycle(m, 200000);
    ck_assert_int_eq(vcd_close(v), 0);
    board_io_pin(m, 0, 13, 1, true);            /* after close: no callback into freed memory */
    ck_assert_str_eq(changes(slurp(path)), INITIAL
        "#1000\n1a\n#2000\n1d\n#3000\n1g\n"
        "#1996520\n0i\n#2005208\n1i\n#2013875\n0i\n#2057291\n1i\n#2065958\n0i\n#2074645\n1i\n"
        "#4166666\n");
}
END_TEST

Suite *vcd_suite(void); /* called by tests/unit/runner.c */
Suite *vcd_suite(void)
{
    Suite *s = suite_create("vcd");
    TCase *tc = tcase_create("vcd");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, header_and_declarations);
    tcase_add_test(tc, initial_values_follow_board_io);
    tcase_add_test(tc, scripted_changes);
    tcase_add_test(tc, uart_byte_reconstructed_backwards);
    tcase_add_test(tc, back_to_back_bytes_do_not_overlap);
    tcase_add_test(tc, changes_before_the_horizon_are_written_at_once);
    tcase_add_test(tc, open_errors);
    tcase_add_test(tc, through_board_io);
    suite_add_tcase(s, tc);
    return s;
}
