/*
 * test_scenario.c — scenario files (sim/scenario.c): a full document read
 * back, defaults, errors with FILE:LINE and the field; judging synthetic
 * observations (sim/scenario_eval.c): console windows and counts, LED
 * levels, blink period/duty, toggles, faults, the exit; JUnit escaping.
 */
#define _GNU_SOURCE
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "junit.h"
#include "scenario_run.h"

#define MS 1000000ull

static char err[1024];

static struct scenario *load(const char *yaml, int want)
{
    struct scenario *s = calloc(1, sizeof *s);
    ck_assert_ptr_nonnull(s);
    int rc = scenario_load_string("t.yaml", yaml, strlen(yaml), s, err, sizeof err);
    ck_assert_msg(rc == want, "rc %d: %s", rc, err);
    return s;
}

START_TEST(full_document)
{
    struct scenario *s = load("name: demo\napps: [blink, x/y.tbf]\ntime_limit: 1.5s\nseed: 7\n"
                              "inputs:\n  - { at: 1s, press: user, duration: 200ms }\n  - { at: 2ms, uart: \"ab\\n\" }\n"
                              "expect:\n  - console: \"a.*\"\n    match: regex\n    from: 10ms\n"
                              "  - led: red\n    blink: { period: 1s, duty: 25%, tolerance: 0.5% }\n"
                              "  - fault: none\n  - exit: 3\n", 0);
    ck_assert_str_eq(s->name, "demo");
    ck_assert_str_eq(s->kernel, SCN_DEFAULT_KERNEL);
    ck_assert_str_eq(s->apps[0], "build/apps/blink.tbf");
    ck_assert_str_eq(s->apps[1], "x/y.tbf");
    ck_assert_uint_eq(s->time_limit_ns, 1500 * MS);
    ck_assert_int_eq(s->ninputs, 2);
    ck_assert_uint_eq(s->inputs[0].duration_ns, 200 * MS);
    ck_assert_int_eq((int)s->inputs[1].len, 3);
    ck_assert_int_eq(s->nexpects, 4);
    ck_assert_int_eq(s->expects[0].match, SCN_MATCH_REGEX);
    ck_assert_uint_eq(s->expects[0].until_ns, 1500 * MS);
    ck_assert_int_eq(s->expects[1].kind, SCN_BLINK);
    ck_assert(s->expects[1].duty > 0.2499 && s->expects[1].duty < 0.2501);
    ck_assert(s->expects[2].none);
    ck_assert_int_eq(s->expects[3].exit_status, 3);
    ck_assert_int_eq(s->expects[3].line, 15);
    free(s);
}
END_TEST

static void expect_error(const char *yaml, const char *text)
{
    free(load(yaml, -1));
    ck_assert_msg(strstr(err, text) != NULL, "message lacks '%s': %s", text, err);
}

START_TEST(errors_name_line_and_field)
{
    expect_error("apps: [hello]\nexpect:\n  - exit: 0\n", "t.yaml:1: time_limit: missing");
    expect_error("time_limit: 1s\nexpect:\n  - led: red\n    at: 2s\n    on: true\n", "t.yaml:4: expect[0]: at is after");
    expect_error("time_limit: 1s\nexpect:\n  - console: \"(\"\n    match: regex\n", "t.yaml:3: expect[0].console: bad regular");
    expect_error("time_limit: 1s\nexpect:\n  - pin: PB1\n", "expected exactly one");
    expect_error("time_limit: 1s\nbogus: 1\nexpect:\n  - exit: 0\n", "t.yaml:2: bogus: unknown key");
    expect_error("time_limit: 1x\nexpect:\n  - exit: 0\n", "t.yaml:1: time_limit: '1x' is not a time");
    expect_error("time_limit: 1s\nexpect:\n  - wibble: 1\n", "has no kind");
    expect_error("time_limit: 1s\nexpect:\n  - fault: none\n    kind: busfault\n", "fault: none takes no kind");
    expect_error("time_limit: 1s\nexpect: [\n", "(yaml syntax)");
}
END_TEST

/* A scenario with one expectation of each kind judged against obs. */
static struct scn_result *judge(const char *yaml, struct scn_obs *o)
{
    struct scenario *s = load(yaml, 0);
    struct scn_result *r = calloc(1, sizeof *r);
    scn_evaluate(s, o, r);
    free(s);
    return r;
}

START_TEST(console_windows_and_counts)
{
    struct scn_obs o = { 0 };
    o.stop = STOP_TIME_LIMIT;
    o.end_ns = 1000 * MS;
    scn_obs_line(&o, 10 * MS, "hello");
    scn_obs_line(&o, 500 * MS, "hello again");
    struct scn_result *r = judge("time_limit: 1s\nexpect:\n  - console: hello\n    until: 100ms\n"
                                 "  - console: hello\n    match: contains\n    count: 2\n"
                                 "  - console: again\n    match: contains\n    until: 100ms\n"
                                 "  - console: hel+o\n    match: regex\n    never: true\n"
                                 "  - exit: time_limit\n", &o);
    ck_assert(r->r[0].passed && r->r[1].passed && !r->r[2].passed && !r->r[3].passed && r->r[4].passed);
    ck_assert_msg(strstr(r->r[2].msg, "outside the window 1 more at 0.500000 s"), "%s", r->r[2].msg);
    ck_assert_msg(strstr(r->r[3].msg, "expected no such line; seen \"hello\" at 0.010000 s"), "%s", r->r[3].msg);
    ck_assert_int_eq(r->nfailed, 2);
    free(r);
    scn_obs_free(&o);
}
END_TEST

START_TEST(blink_and_levels)
{
    struct scn_obs o = { 0 };
    o.stop = STOP_TIME_LIMIT;
    o.end_ns = 5000 * MS;
    for (int i = 0; i < 8; i++)                 /* on at 0.5 s steps; one late edge at 2.6 s */
        scn_obs_edge(&o, 0, (uint64_t)i * 500 * MS + (i == 5 ? 100 * MS : 0), !(i & 1));
    for (int i = 0; i < 8; i++)
        scn_obs_edge(&o, 1, (uint64_t)i * 500 * MS, !(i & 1));
    for (int i = 0; i < 8; i++)
        scn_obs_edge(&o, 2, (uint64_t)i * 500 * MS, !(i & 1));
    struct scn_result *r = judge("time_limit: 5s\nexpect:\n  - led: red\n    blink: { period: 1s }\n"
                                 "  - led: red\n    blink: { period: 1s }\n"
                                 "  - led: red\n    at: 1.2s\n    on: true\n", &o);
    ck_assert_msg(!r->r[0].passed && strstr(r->r[0].msg, "first at 2.000000 s"), "%s", r->r[0].msg);
    ck_assert_msg(r->r[1].passed && strstr(r->r[1].msg, "seen 3 cycles"), "%s", r->r[1].msg);
    ck_assert_msg(r->r[2].passed, "%s", r->r[2].msg);
    free(r);
    scn_obs_free(&o);
}
END_TEST

START_TEST(faults_and_exit)
{
    struct scn_obs o = { 0 };
    o.stop = STOP_GUEST_EXIT;
    o.exit_status = 1;
    o.end_ns = 100 * MS;
    scn_obs_fault(&o, 20 * MS, "app", 1);
    scn_obs_fault(&o, 30 * MS, "app", 1);
    struct scn_result *r = judge("time_limit: 1s\nexpect:\n  - fault: app\n    kind: memmanage\n    count: 2\n"
                                 "  - fault: app\n    kind: busfault\n  - fault: none\n    from: 25ms\n"
                                 "  - exit: 0\n", &o);
    ck_assert(r->r[0].passed && !r->r[1].passed && !r->r[2].passed && !r->r[3].passed);
    ck_assert_msg(strstr(r->r[3].msg, "seen semihosting exit with status 1"), "%s", r->r[3].msg);
    free(r);
    scn_obs_free(&o);
}
END_TEST

START_TEST(junit_escapes)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    junit_escape(f, "a<b>&\"'\x01\xff\xc3\xa9\n");
    fclose(f);
    ck_assert_str_eq(buf, "a&lt;b&gt;&amp;&quot;&apos;??\xc3\xa9&#10;");
    free(buf);
}
END_TEST

Suite *scenario_suite(void);
Suite *scenario_suite(void)
{
    Suite *s = suite_create("scenario");
    TCase *tc = tcase_create("scenario");
    tcase_add_test(tc, full_document);
    tcase_add_test(tc, errors_name_line_and_field);
    tcase_add_test(tc, console_windows_and_counts);
    tcase_add_test(tc, blink_and_levels);
    tcase_add_test(tc, faults_and_exit);
    tcase_add_test(tc, junit_escapes);
    suite_add_tcase(s, tc);
    return s;
}
