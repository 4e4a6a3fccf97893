/*
 * test_inputs.c — scheduled inputs (sim/inputs.c) and the command-line
 * options of the front ends (sim/cli.c): --press and --uart-input parsing
 * with every error, cli_parse_time, the evq timer pressing and releasing
 * buttons at exact virtual times (checked through board_io_button_pressed
 * and the trace), UART text reaching the console USART, and --view,
 * --speed, --uart-tcp, --uart-pty, --vcd, --strict.
 *
 * Machines come from test_support.c (boards/hail.yaml: one button "user"
 * on PA16, console usart0, 48 MHz: 1 ms = 48000 cycles).
 */
#define _GNU_SOURCE
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board_io.h"
#include "cli.h"
#include "inputs.h"
#include "test_support.h"
#include "trace.h"

#define MS 48000ull             /* cycles per millisecond on the Hail */

static char err[512];
static struct input_spec spec;

#define ERR_HAS(text) ck_assert_msg(strstr(err, (text)) != NULL, "message lacks '%s': %s", (text), err)

/* ---- cli_parse_time -------------------------------------------------------------- */

START_TEST(time_with_fraction)
{
    uint64_t ns = 0;
    ck_assert_int_eq(cli_parse_time("1.5s", &ns), 0);
    ck_assert_uint_eq(ns, 1500000000ull);
    ck_assert_int_eq(cli_parse_time("0.25ms", &ns), 0);
    ck_assert_uint_eq(ns, 250000ull);
    ck_assert_int_eq(cli_parse_time("2.000000001s", &ns), 0);
    ck_assert_uint_eq(ns, 2000000001ull);
    ck_assert_int_eq(cli_parse_time("1.5us", &ns), 0);
    ck_assert_uint_eq(ns, 1500ull);
    ck_assert_int_eq(cli_parse_time("250ms", &ns), 0);      /* the integer forms too */
    ck_assert_uint_eq(ns, 250000000ull);
    static const char *const bad[] = { "1.5ns", "1.s", ".5s", "1.5", "1.5x", "1.0000000001s",
                                       "1.5.5s", "-1.5s", "", "18446744073.8s" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ns = 777;
        ck_assert_msg(cli_parse_time(bad[i], &ns) == -1, "'%s' accepted", bad[i]);
        ck_assert_uint_eq(ns, 777);
    }
}
END_TEST

/* ---- --press -------------------------------------------------------------------------- */

START_TEST(press_ok)
{
    ck_assert_int_eq(inputs_parse_press("user@1.5s:200ms", &spec, err, sizeof err), 0);
    ck_assert_int_eq(spec.kind, INPUT_PRESS);
    ck_assert_str_eq(spec.button, "user");
    ck_assert_uint_eq(spec.at_ns, 1500000000ull);
    ck_assert_uint_eq(spec.duration_ns, 200000000ull);
    ck_assert_int_eq(inputs_parse_press("user@2s", &spec, err, sizeof err), 0);
    ck_assert_uint_eq(spec.at_ns, 2000000000ull);
    ck_assert_uint_eq(spec.duration_ns, INPUT_DEFAULT_PRESS_NS);
    ck_assert_int_eq(inputs_parse_press("b@0ns:1ns", &spec, err, sizeof err), 0);
    ck_assert_uint_eq(spec.at_ns, 0);
    ck_assert_uint_eq(spec.duration_ns, 1);
}
END_TEST

START_TEST(press_errors)
{
    static const struct { const char *arg, *says; } bad[] = {
        { "user", "has no '@TIME'" },
        { "@1s", "button name is missing" },
        { "a_very_long_button_name_of_more_than_32_chars@1s", "too long" },
        { "user@", "time '' is not valid" },
        { "user@1x", "time '1x' is not valid" },
        { "user@1.5ns", "time '1.5ns' is not valid" },
        { "user@:100ms", "time '' is not valid" },
        { "user@1s:", "duration '' is not valid" },
        { "user@1s:abc", "duration 'abc' is not valid" },
        { "user@1s:10ms:5ms", "duration '10ms:5ms' is not valid" },
        { "user@1s:0ms", "duration is 0" },
        { "user@18446744073s:1s", "overflows" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        ck_assert_msg(inputs_parse_press(bad[i].arg, &spec, err, sizeof err) == -1, "'%s' accepted", bad[i].arg);
        ERR_HAS("--press");
        ERR_HAS(bad[i].says);
        ERR_HAS(bad[i].arg);
        ck_assert_msg(strstr(err, "expected") != NULL, "'%s': no expectation in: %s", bad[i].arg, err);
    }
}
END_TEST

/* ---- --uart-input ------------------------------------------------------------------------ */

START_TEST(uart_ok)
{
    ck_assert_int_eq(inputs_parse_uart("hi\\n@2s", &spec, err, sizeof err), 0);
    ck_assert_int_eq(spec.kind, INPUT_UART);
    ck_assert_uint_eq(spec.at_ns, 2000000000ull);
    ck_assert_uint_eq(spec.len, 3);
    ck_assert_mem_eq(spec.text, "hi\n", 3);
    /* the time follows the last '@' */
    ck_assert_int_eq(inputs_parse_uart("a@b@1.5ms", &spec, err, sizeof err), 0);
    ck_assert_uint_eq(spec.at_ns, 1500000ull);
    ck_assert_uint_eq(spec.len, 3);
    ck_assert_mem_eq(spec.text, "a@b", 3);
    ck_assert_int_eq(inputs_parse_uart("\\x41\\x7a\\t\\r\\\\\\x00@0s", &spec, err, sizeof err), 0);
    ck_assert_uint_eq(spec.len, 6);
    ck_assert_mem_eq(spec.text, "Az\t\r\\\0", 6);
    char big[INPUT_MAX_TEXT + 8];
    memset(big, 'x', INPUT_MAX_TEXT);
    strcpy(big + INPUT_MAX_TEXT, "@1s");
    ck_assert_int_eq(inputs_parse_uart(big, &spec, err, sizeof err), 0);
    ck_assert_uint_eq(spec.len, INPUT_MAX_TEXT);
}
END_TEST

START_TEST(uart_errors)
{
    static const struct { const char *arg, *says; } bad[] = {
        { "hello", "has no '@TIME'" },
        { "@1s", "the text is empty" },
        { "x@1", "time '1' is not valid" },
        { "x@", "time '' is not valid" },
        { "\\q@1s", "'\\q' is not an escape" },
        { "\\x4@1s", "'\\x4' is not an escape" },
        { "\\xzz@1s", "'\\xzz' is not an escape" },
        { "abc\\@1s", "a '\\' ends the text" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        ck_assert_msg(inputs_parse_uart(bad[i].arg, &spec, err, sizeof err) == -1, "'%s' accepted", bad[i].arg);
        ERR_HAS("--uart-input");
        ERR_HAS(bad[i].says);
        ERR_HAS("expected");
    }
    char big[INPUT_MAX_TEXT + 8];
    memset(big, 'x', INPUT_MAX_TEXT + 1);
    strcpy(big + INPUT_MAX_TEXT + 1, "@1s");
    ck_assert_int_eq(inputs_parse_uart(big, &spec, err, sizeof err), -1);
    ERR_HAS("longer than 256 bytes");
}
END_TEST

/* ---- the command line ------------------------------------------------------------------- */

static struct cli_options o;

static int parse_v(const char *const *args)
{
    static char *argv[2 * CLI_MAX_INPUTS + 8];
    int argc = 0;
    argv[argc++] = (char *)"hailsim";
    for (; *args; args++)
        argv[argc++] = (char *)*args;
    argv[argc] = NULL;
    err[0] = '\0';
    return cli_parse(argc, argv, &o, err, sizeof err);
}
#define PARSE(...) parse_v((const char *const[]){ __VA_ARGS__, NULL })

START_TEST(cli_inputs_in_order)
{
    ck_assert_int_eq(PARSE("--press", "user@1s", "--uart-input=ls\\r@2s", "--press=user@3s:1s", "app.tbf"), 0);
    ck_assert_int_eq(o.ninputs, 3);
    ck_assert_int_eq(o.inputs[0].kind, INPUT_PRESS);
    ck_assert_int_eq(o.inputs[1].kind, INPUT_UART);
    ck_assert_mem_eq(o.inputs[1].text, "ls\r", 3);
    ck_assert_uint_eq(o.inputs[2].duration_ns, 1000000000ull);
    ck_assert_int_eq(o.napps, 1);
    ck_assert_int_eq(PARSE("--press", "user"), -1);
    ERR_HAS("--press");
    ck_assert_int_eq(PARSE("--uart-input", "x@y"), -1);
    ERR_HAS("--uart-input");
    ck_assert_int_eq(PARSE("--press"), -1);
    ERR_HAS("--press");
    ERR_HAS("needs a value");
}
END_TEST

START_TEST(cli_too_many_inputs)
{
    const char *args[2 * CLI_MAX_INPUTS + 4];
    int n = 0;
    for (int i = 0; i <= CLI_MAX_INPUTS; i++) {
        args[n++] = "--press";
        args[n++] = "user@1s";
    }
    args[n] = NULL;
    ck_assert_int_eq(parse_v(args), -1);
    ERR_HAS("--press: too many scheduled inputs");
}
END_TEST

START_TEST(cli_front_options)
{
    ck_assert_int_eq(PARSE("--view=terminal", "--speed", "10", "--uart-pty", "--uart-tcp", "4000",
                           "--vcd", "w.vcd", "--strict"), 0);
    ck_assert_int_eq(o.view, CLI_VIEW_TERMINAL);
    ck_assert(o.has_speed);
    ck_assert(o.speed == 10.0);
    ck_assert(o.uart_pty);
    ck_assert_int_eq(o.uart_tcp_port, 4000);
    ck_assert_str_eq(o.vcd, "w.vcd");
    ck_assert(o.strict_mmio);
    ck_assert_int_eq(PARSE("--view", "plain", "--speed=max", "--strict-mmio"), 0);
    ck_assert_int_eq(o.view, CLI_VIEW_PLAIN);
    ck_assert(o.has_speed && o.speed == 0.0);
    ck_assert(o.strict_mmio);
    ck_assert_int_eq(PARSE("--speed", "0.5"), 0);
    ck_assert(o.speed == 0.5);
    ck_assert_int_eq(PARSE("--stats"), 0);
    ck_assert_int_eq(o.view, CLI_VIEW_AUTO);
    ck_assert(!o.has_speed && !o.uart_pty && o.uart_tcp_port == 0 && !o.vcd && o.ninputs == 0);
    static const char *const bad_speed[] = { "0", "-1", "fast", "1x", "", "nan", "inf" };
    for (size_t i = 0; i < sizeof bad_speed / sizeof bad_speed[0]; i++) {
        ck_assert_msg(PARSE("--speed", bad_speed[i]) == -1, "speed '%s' accepted", bad_speed[i]);
        ERR_HAS("--speed");
        ERR_HAS("max");
    }
    ck_assert_int_eq(PARSE("--view=window"), -1);
    ERR_HAS("--view: 'window'");
    ERR_HAS("'terminal'");
    static const char *const bad_port[] = { "0", "65536", "http", "-1" };
    for (size_t i = 0; i < sizeof bad_port / sizeof bad_port[0]; i++) {
        ck_assert_msg(PARSE("--uart-tcp", bad_port[i]) == -1, "port '%s' accepted", bad_port[i]);
        ERR_HAS("--uart-tcp");
        ERR_HAS("1..65535");
    }
}
END_TEST

START_TEST(usage_mentions_front_options)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    cli_usage(f);
    fclose(f);
    static const char *const opts[] = { "--press NAME@TIME[:DURATION]", "--uart-input TEXT@TIME", "--vcd FILE",
                                        "--view=auto|terminal|plain", "--speed N|max", "--uart-pty",
                                        "--uart-tcp PORT", "--strict ", "--strict-mmio", "Ctrl-Q" };
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
        ck_assert_msg(strstr(text, opts[i]) != NULL, "usage does not mention %s", opts[i]);
    free(text);
}
END_TEST

/* ---- firing in virtual time ---------------------------------------------------------------- */

static struct machine *m;
static struct inputs *in;
static char *trace_text, *err_text;
static size_t trace_len, err_len;
static struct trace trace;

static void setup(void)
{
    m = ut_machine_new();
    trace.f = open_memstream(&trace_text, &trace_len);
    trace.owned = 0;
    m->trace = &trace;
    m->err = open_memstream(&err_text, &err_len);
    in = NULL;
}

static void teardown(void)
{
    fclose(m->err);
    m->err = stderr;
    m->trace = NULL;
    fclose(trace.f);
    ut_machine_free(m);
    inputs_free(in);
    free(trace_text);
    free(err_text);
}

static void schedule(const char *const *args, int n)
{
    struct input_spec specs[8];
    for (int i = 0; i < n; i++) {
        bool press = strncmp(args[i], "press:", 6) == 0;
        const char *a = args[i] + (press ? 6 : 5);
        int r = press ? inputs_parse_press(a, &specs[i], err, sizeof err) : inputs_parse_uart(a, &specs[i], err, sizeof err);
        ck_assert_msg(r == 0, "%s: %s", args[i], err);
    }
    in = inputs_create(m, specs, n, err, sizeof err);
    ck_assert_msg(in != NULL, "inputs_create: %s", err);
}
#define SCHEDULE(...) schedule((const char *const[]){ __VA_ARGS__ }, \
                               (int)(sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *)))

static bool pressed(void) { return board_io_button_pressed(m, 0); }

/* The trace's "button" lines (the GPIO model adds "pin" lines for PA16). */
static const char *trace_now(void)
{
    static char buttons[4096];
    fflush(trace.f);
    buttons[0] = '\0';
    for (const char *p = trace_text; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p + 1) : strlen(p);
        if (memmem(p, n, "\"ev\":\"button\"", strlen("\"ev\":\"button\"")) && strlen(buttons) + n < sizeof buttons)
            strncat(buttons, p, n);
        p += n;
    }
    return buttons;
}

START_TEST(press_and_release_at_exact_times)
{
    SCHEDULE("press:user@1ms:2ms", "press:user@10ms");
    ck_assert_uint_eq(evq_next(&m->evq), 1 * MS);
    ck_assert_int_eq(inputs_pending(in), 4);
    ut_advance(m, 1 * MS - 1);
    ck_assert(!pressed());
    ut_advance(m, 1 * MS);
    ck_assert(pressed());
    ck_assert_uint_eq(evq_next(&m->evq), 3 * MS);
    ut_advance(m, 3 * MS - 1);
    ck_assert(pressed());
    ut_advance(m, 3 * MS);
    ck_assert(!pressed());
    ut_advance(m, 10 * MS);
    ck_assert(pressed());
    ut_advance(m, 110 * MS - 1);
    ck_assert(pressed());
    ut_advance(m, 110 * MS);
    ck_assert(!pressed());
    ck_assert_int_eq(inputs_pending(in), 0);
    ck_assert_uint_eq(evq_next(&m->evq), EVQ_NEVER);
    ck_assert_str_eq(trace_now(),
        "{\"t_ns\":1000000,\"ev\":\"button\",\"name\":\"user\",\"pressed\":true}\n"
        "{\"t_ns\":3000000,\"ev\":\"button\",\"name\":\"user\",\"pressed\":false}\n"
        "{\"t_ns\":10000000,\"ev\":\"button\",\"name\":\"user\",\"pressed\":true}\n"
        "{\"t_ns\":110000000,\"ev\":\"button\",\"name\":\"user\",\"pressed\":false}\n");
}
END_TEST

START_TEST(fired_in_time_order_not_argument_order)
{
    SCHEDULE("press:user@5ms:1ms", "press:user@1ms:1ms");
    ck_assert_uint_eq(evq_next(&m->evq), 1 * MS);
    /* one late step fires every due action in order (press, release, press, release) */
    ut_advance(m, 7 * MS);
    ck_assert(!pressed());
    ck_assert_str_eq(trace_now(),
        "{\"t_ns\":7000000,\"ev\":\"button\",\"name\":\"user\",\"pressed\":true}\n"
        "{\"t_ns\":7000000,\"ev\":\"button\",\"name\":\"user\",\"pressed\":false}\n"
        "{\"t_ns\":7000000,\"ev\":\"button\",\"name\":\"user\",\"pressed\":true}\n"
        "{\"t_ns\":7000000,\"ev\":\"button\",\"name\":\"user\",\"pressed\":false}\n");
}
END_TEST

START_TEST(release_before_press_at_the_same_time)
{
    /* the second press starts when the first ends: the button stays pressed */
    SCHEDULE("press:user@2ms:1ms", "press:user@1ms:1ms");
    ut_advance(m, 1 * MS);
    ck_assert(pressed());
    ut_advance(m, 2 * MS);
    ck_assert(pressed());
    ut_advance(m, 3 * MS);
    ck_assert(!pressed());
    ck_assert_str_eq(trace_now(),
        "{\"t_ns\":1000000,\"ev\":\"button\",\"name\":\"user\",\"pressed\":true}\n"
        "{\"t_ns\":2000000,\"ev\":\"button\",\"name\":\"user\",\"pressed\":false}\n"
        "{\"t_ns\":2000000,\"ev\":\"button\",\"name\":\"user\",\"pressed\":true}\n"
        "{\"t_ns\":3000000,\"ev\":\"button\",\"name\":\"user\",\"pressed\":false}\n");
}
END_TEST

START_TEST(sub_cycle_press_lasts_one_cycle)
{
    SCHEDULE("press:user@1ns:1ns");        /* both ends round up to cycle 1 */
    ut_advance(m, 1);
    ck_assert(pressed());
    ck_assert_uint_eq(evq_next(&m->evq), 2);
    ut_advance(m, 2);
    ck_assert(!pressed());
}
END_TEST

START_TEST(unknown_button_lists_the_board_buttons)
{
    struct input_spec s;
    ck_assert_int_eq(inputs_parse_press("reset@1s", &s, err, sizeof err), 0);
    ck_assert_ptr_null(inputs_create(m, &s, 1, err, sizeof err));
    ERR_HAS("--press");
    ERR_HAS("no button 'reset'");
    ERR_HAS("expected one of: user");
    ck_assert_uint_eq(evq_next(&m->evq), EVQ_NEVER);
    ck_assert_ptr_null(inputs_create(m, &s, 0, err, sizeof err));    /* nothing to do */
}
END_TEST

START_TEST(uart_text_reaches_the_console_usart)
{
    SCHEDULE("uart:ab@1ms", "uart:c@2ms");
    /* the receiver is disabled after reset: the USART refuses the bytes */
    ut_advance(m, 1 * MS);
    fflush(m->err);
    ck_assert_msg(strstr(err_text, "did not take 2 of 2 bytes") != NULL, "stderr: %s", err_text);
    /* USART0 CR = RXEN: now the byte is taken */
    ut_wr32(m, 0x40024000u, 1u << 4);
    ut_advance(m, 2 * MS);
    fflush(m->err);
    ck_assert_msg(strstr(err_text, "of 1 bytes") == NULL, "stderr: %s", err_text);
    ck_assert_int_eq(inputs_pending(in), 0);
}
END_TEST

START_TEST(mixed_inputs_share_one_timer)
{
    int before = m->evq.ntimers;
    SCHEDULE("press:user@3ms", "uart:x@1ms", "press:user@2ms:500us");
    ck_assert_int_eq(m->evq.ntimers, before + 1);
    ck_assert_int_eq(inputs_pending(in), 5);
    ck_assert_uint_eq(evq_next(&m->evq), 1 * MS);
    ut_advance(m, 1 * MS);
    ck_assert_uint_eq(evq_next(&m->evq), 2 * MS);
    ut_advance(m, 2 * MS);
    ck_assert(pressed());
    ck_assert_uint_eq(evq_next(&m->evq), 2 * MS + MS / 2);
}
END_TEST

Suite *inputs_suite(void); /* called by tests/unit/runner.c */
Suite *inputs_suite(void)
{
    Suite *s = suite_create("inputs");
    TCase *tc = tcase_create("parse");
    tcase_add_test(tc, time_with_fraction);
    tcase_add_test(tc, press_ok);
    tcase_add_test(tc, press_errors);
    tcase_add_test(tc, uart_ok);
    tcase_add_test(tc, uart_errors);
    tcase_add_test(tc, cli_inputs_in_order);
    tcase_add_test(tc, cli_too_many_inputs);
    tcase_add_test(tc, cli_front_options);
    tcase_add_test(tc, usage_mentions_front_options);
    suite_add_tcase(s, tc);
    tc = tcase_create("schedule");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, press_and_release_at_exact_times);
    tcase_add_test(tc, fired_in_time_order_not_argument_order);
    tcase_add_test(tc, release_before_press_at_the_same_time);
    tcase_add_test(tc, sub_cycle_press_lasts_one_cycle);
    tcase_add_test(tc, unknown_button_lists_the_board_buttons);
    tcase_add_test(tc, uart_text_reaches_the_console_usart);
    tcase_add_test(tc, mixed_inputs_share_one_timer);
    suite_add_tcase(s, tc);
    return s;
}
