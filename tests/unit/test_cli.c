/*
 * test_cli.c — the hailsim command line (sim/cli.c): durations, defaults,
 * positional app images, every option, and the error messages, which must
 * name the offending option.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

START_TEST(duration_units)
{
    uint64_t ns = 12345;
    ck_assert_int_eq(cli_parse_duration("10s", &ns), 0);
    ck_assert_uint_eq(ns, 10000000000ull);
    ck_assert_int_eq(cli_parse_duration("250ms", &ns), 0);
    ck_assert_uint_eq(ns, 250000000ull);
    ck_assert_int_eq(cli_parse_duration("5000us", &ns), 0);
    ck_assert_uint_eq(ns, 5000000ull);
    ck_assert_int_eq(cli_parse_duration("100ns", &ns), 0);
    ck_assert_uint_eq(ns, 100ull);
    ck_assert_int_eq(cli_parse_duration("0s", &ns), 0);
    ck_assert_uint_eq(ns, 0);
    /* the largest values that fit */
    ck_assert_int_eq(cli_parse_duration("18446744073709551615ns", &ns), 0);
    ck_assert_uint_eq(ns, UINT64_MAX);
    ck_assert_int_eq(cli_parse_duration("18446744073s", &ns), 0);
    ck_assert_uint_eq(ns, 18446744073000000000ull);
}
END_TEST

START_TEST(duration_errors)
{
    static const char *const bad[] = {
        "", "10", "10m", "10sec", "10 s", " 10s", "s", "ms", "-5s", "+5s", "1.5s", "10S",
        "0x10s", "18446744073709551616ns",     /* overflows the number itself */
        "18446744074s",                        /* overflows once scaled */
        "18446744073709552ms", "99999999999999999999999s",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint64_t ns = 777;
        ck_assert_msg(cli_parse_duration(bad[i], &ns) == -1, "'%s' accepted", bad[i]);
        ck_assert_msg(ns == 777, "'%s' changed the output", bad[i]);
    }
    uint64_t ns;
    ck_assert_int_eq(cli_parse_duration(NULL, &ns), -1);
}
END_TEST

/* cli_parse with a NULL-terminated argument list */
static struct cli_options o;
static char err[512];

static int parse_v(const char *const *args)
{
    static char *argv[64];
    int argc = 0;
    argv[argc++] = (char *)"hailsim";
    for (; *args; args++)
        argv[argc++] = (char *)*args;
    argv[argc] = NULL;
    err[0] = '\0';
    return cli_parse(argc, argv, &o, err, sizeof err);
}
#define PARSE(...) parse_v((const char *const[]){ __VA_ARGS__, NULL })
#define PARSE0() parse_v((const char *const[]){ NULL })

START_TEST(defaults)
{
    ck_assert_int_eq(PARSE0(), 0);
    ck_assert_str_eq(o.board, "boards/hail.yaml");
    ck_assert_str_eq(o.kernel, "build/hail/kernel.elf");
    ck_assert_int_eq(o.napps, 0);
    ck_assert(!o.has_time_limit);
    ck_assert_ptr_null(o.trace);
    ck_assert_uint_eq(o.seed, 0);
    ck_assert(!o.stats && !o.trace_exceptions && !o.strict_mmio && !o.mpu_pages);
    ck_assert(!o.help && !o.version && !o.headless);
}
END_TEST

START_TEST(every_option)
{
    ck_assert_int_eq(PARSE("--board", "b.yaml", "--kernel", "k.elf", "--headless", "--time-limit", "250ms",
                           "--trace", "t.jsonl", "--trace-exceptions", "--seed", "42", "--stats",
                           "--strict-mmio", "--mpu=pages"), 0);
    ck_assert_str_eq(o.board, "b.yaml");
    ck_assert_str_eq(o.kernel, "k.elf");
    ck_assert(o.headless);
    ck_assert(o.has_time_limit);
    ck_assert_uint_eq(o.time_limit_ns, 250000000ull);
    ck_assert_str_eq(o.trace, "t.jsonl");
    ck_assert(o.trace_exceptions && o.stats && o.strict_mmio && o.mpu_pages);
    ck_assert_uint_eq(o.seed, 42);
    ck_assert_int_eq(PARSE("--board=x.yaml", "--time-limit=10s"), 0);
    ck_assert_str_eq(o.board, "x.yaml");
    ck_assert_uint_eq(o.time_limit_ns, 10000000000ull);
    ck_assert_int_eq(PARSE("--help"), 0);
    ck_assert(o.help);
    ck_assert_int_eq(PARSE("--version"), 0);
    ck_assert(o.version);
}
END_TEST

START_TEST(positional_apps)
{
    ck_assert_int_eq(PARSE("a.tbf", "--seed", "3", "b.tbf", "c.tbf"), 0);
    ck_assert_int_eq(o.napps, 3);
    ck_assert_str_eq(o.apps[0], "a.tbf");
    ck_assert_str_eq(o.apps[1], "b.tbf");
    ck_assert_str_eq(o.apps[2], "c.tbf");
    ck_assert_uint_eq(o.seed, 3);
    /* "--" ends the options */
    ck_assert_int_eq(PARSE("--stats", "--", "--weird.tbf"), 0);
    ck_assert_int_eq(o.napps, 1);
    ck_assert_str_eq(o.apps[0], "--weird.tbf");
    /* a fresh parse starts from the defaults */
    ck_assert_int_eq(PARSE0(), 0);
    ck_assert_int_eq(o.napps, 0);
    ck_assert(!o.stats);
}
END_TEST

START_TEST(too_many_apps)
{
    const char *args[CLI_MAX_APPS + 2];
    for (int i = 0; i <= CLI_MAX_APPS; i++)
        args[i] = "x.tbf";
    args[CLI_MAX_APPS + 1] = NULL;
    ck_assert_int_eq(parse_v(args), -1);
    ck_assert_ptr_nonnull(strstr(err, "too many app images"));
}
END_TEST

START_TEST(unknown_option)
{
    ck_assert_int_eq(PARSE("--bogus"), -1);
    ck_assert_msg(strstr(err, "--bogus") != NULL, "message: %s", err);
    ck_assert_msg(strstr(err, "unknown option") != NULL, "message: %s", err);
    ck_assert_int_eq(PARSE("--stats", "--frobnicate=3"), -1);
    ck_assert_msg(strstr(err, "--frobnicate") != NULL, "message: %s", err);
}
END_TEST

/* Regression: with an app image before the bad option, the message named
 * the app image instead of the option (argv[optind before getopt_long], but
 * GNU getopt skips over non-options first). */
START_TEST(unknown_option_after_app_names_the_option)
{
    ck_assert_int_eq(PARSE("app.tbf", "--bogus"), -1);
    ck_assert_msg(strstr(err, "--bogus") != NULL, "message names the wrong argument: %s", err);
    ck_assert_msg(strstr(err, "app.tbf") == NULL, "message names the app image: %s", err);
}
END_TEST

START_TEST(missing_value_after_app_names_the_option)
{
    /* the same regression, for a missing value */
    ck_assert_int_eq(PARSE("app.tbf", "--kernel"), -1);
    ck_assert_msg(strstr(err, "--kernel") != NULL, "message names the wrong argument: %s", err);
}
END_TEST

START_TEST(missing_value)
{
    static const char *const opts[] = { "--board", "--kernel", "--time-limit", "--trace", "--seed", "--mpu" };
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
        ck_assert_int_eq(PARSE(opts[i]), -1);
        ck_assert_msg(strstr(err, opts[i]) != NULL, "%s: message %s", opts[i], err);
        ck_assert_msg(strstr(err, "needs a value") != NULL, "%s: message %s", opts[i], err);
    }
}
END_TEST

START_TEST(time_limit_errors)
{
    static const char *const bad[] = { "10", "abc", "10m", "-1s", "" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_int_eq(PARSE("--time-limit", bad[i]), -1);
        ck_assert_msg(strstr(err, "--time-limit") != NULL, "'%s': message %s", bad[i], err);
        ck_assert_msg(strstr(err, "ms") != NULL, "'%s': message does not say what is expected: %s",
                      bad[i], err);
    }
    ck_assert_int_eq(PARSE("--time-limit=abc"), -1);
    ck_assert_ptr_nonnull(strstr(err, "'abc'"));
}
END_TEST

START_TEST(seed)
{
    ck_assert_int_eq(PARSE("--seed", "0x10"), 0);
    ck_assert_uint_eq(o.seed, 16);
    ck_assert_int_eq(PARSE("--seed", "18446744073709551615"), 0);
    ck_assert_uint_eq(o.seed, UINT64_MAX);
    static const char *const bad[] = { "-1", "abc", "12x", "", "18446744073709551616" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_msg(PARSE("--seed", bad[i]) == -1, "'%s' accepted", bad[i]);
        ck_assert_msg(strstr(err, "--seed") != NULL, "'%s': message %s", bad[i], err);
    }
}
END_TEST

/* The two-mode options: both spellings, each mode, and a bad mode named in the error. */
START_TEST(two_mode_options)
{
    ck_assert_int_eq(PARSE("--mpu=qemu", "--registers=live"), 0);
    ck_assert(!o.mpu_pages && !o.registers_api);
    ck_assert_int_eq(PARSE("--mpu=pages", "--registers=api"), 0);
    ck_assert(o.mpu_pages && o.registers_api);
    ck_assert_int_eq(PARSE("--mpu", "pages", "--registers", "api"), 0);
    ck_assert(o.mpu_pages && o.registers_api);
    static const char *const bad[][4] = {
        { "--mpu=bad", "--mpu", "qemu", "pages" }, { "--registers=fast", "--registers", "live", "api" },
    };
    for (int i = 0; i < 2; i++) {
        ck_assert_int_eq(PARSE(bad[i][0]), -1);
        for (int k = 1; k < 4; k++)
            ck_assert_msg(strstr(err, bad[i][k]) != NULL, "'%s' not in: %s", bad[i][k], err);
        ck_assert_ptr_nonnull(strstr(err, strchr(bad[i][0], '=') + 1));
    }
}
END_TEST

/* Regression: resetting getopt with optind = 1 does not reset glibc's
 * position inside a cluster of short options, so after a failed parse of
 * "-xy" the next parse (of other arguments!) still saw the stale 'y'
 * (optind = 0 is glibc's full re-initialisation). */
START_TEST(parse_twice_after_short_option_cluster)
{
    ck_assert_int_eq(PARSE("-xy"), -1);
    ck_assert_msg(PARSE("--seed", "5") == 0, "second parse failed: %s", err);
    ck_assert_uint_eq(o.seed, 5);
}
END_TEST

START_TEST(usage_mentions_every_option)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    ck_assert_ptr_nonnull(f);
    cli_usage(f);
    fclose(f);
    static const char *const opts[] = { "--board", "--kernel", "--headless", "--time-limit", "--trace",
                                        "--trace-exceptions", "--seed", "--stats", "--strict-mmio",
                                        "--mpu", "--help", "--version" };
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
        ck_assert_msg(strstr(text, opts[i]) != NULL, "usage does not mention %s", opts[i]);
    free(text);
}
END_TEST

Suite *cli_suite(void); /* called by tests/unit/runner.c */
Suite *cli_suite(void)
{
    Suite *s = suite_create("cli");
    TCase *tc = tcase_create("duration");
    tcase_add_test(tc, duration_units);
    tcase_add_test(tc, duration_errors);
    suite_add_tcase(s, tc);
    tc = tcase_create("parse");
    tcase_add_test(tc, defaults);
    tcase_add_test(tc, every_option);
    tcase_add_test(tc, positional_apps);
    tcase_add_test(tc, too_many_apps);
    tcase_add_test(tc, unknown_option);
    tcase_add_test(tc, unknown_option_after_app_names_the_option);
    tcase_add_test(tc, missing_value_after_app_names_the_option);
    tcase_add_test(tc, missing_value);
    tcase_add_test(tc, time_limit_errors);
    tcase_add_test(tc, seed);
    tcase_add_test(tc, two_mode_options);
    tcase_add_test(tc, parse_twice_after_short_option_cluster);
    tcase_add_test(tc, usage_mentions_every_option);
    suite_add_tcase(s, tc);
    return s;
}
