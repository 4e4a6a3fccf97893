/*
 * test_evq.c — the virtual-time event queue (sim/evq.c): timers fire in
 * order of time, then of arming; cancel; re-arming from inside a callback
 * (also at the same or an earlier time); run_due with nothing due; the
 * cached next time; the capacity limit.
 */
#include <check.h>
#include <string.h>

#include "evq.h"

#define LOG_CAP 64

struct log {
    int n;
    char who[LOG_CAP];
    uint64_t when[LOG_CAP];
};

struct tctx {
    struct evq *q;
    struct evq_timer *t;
    struct log *log;
    char name;
    uint64_t rearm_step;        /* > 0: re-arm at when + step */
    int rearm_left;
};

static void fire(void *ctx, uint64_t now)
{
    struct tctx *c = ctx;
    ck_assert_int_lt(c->log->n, LOG_CAP);
    c->log->who[c->log->n] = c->name;
    c->log->when[c->log->n] = now;
    c->log->n++;
    if (c->rearm_step && c->rearm_left > 0) {
        c->rearm_left--;
        evq_arm(c->q, c->t, now + c->rearm_step);
    }
}

static struct evq q;
static struct evq_timer t[4];
static struct tctx ctx[4];
static struct log lg;

static void setup(void)
{
    memset(&lg, 0, sizeof lg);
    evq_init(&q);
    for (int i = 0; i < 4; i++) {
        ctx[i] = (struct tctx){ &q, &t[i], &lg, (char)('A' + i), 0, 0 };
        ck_assert_int_eq(evq_add_timer(&q, &t[i], "t", fire, &ctx[i]), 0);
    }
}

static void teardown(void) {}

static void log_is(const char *who)
{
    lg.who[lg.n < LOG_CAP ? lg.n : LOG_CAP - 1] = '\0';
    ck_assert_str_eq(lg.who, who);
}

START_TEST(idle_queue)
{
    ck_assert_uint_eq(evq_next(&q), EVQ_NEVER);
    ck_assert_int_eq(evq_run_due(&q, 0), 0);
    ck_assert_int_eq(evq_run_due(&q, UINT64_MAX - 1), 0);
    ck_assert_int_eq(lg.n, 0);
    ck_assert_uint_eq(t[0].when, EVQ_NEVER);
}
END_TEST

START_TEST(nothing_due_yet)
{
    evq_arm(&q, &t[0], 100);
    ck_assert_uint_eq(evq_next(&q), 100);
    ck_assert_int_eq(evq_run_due(&q, 99), 0);
    ck_assert_int_eq(lg.n, 0);
    ck_assert_uint_eq(evq_next(&q), 100);
    ck_assert_int_eq(evq_run_due(&q, 100), 1);               /* due at exactly its time */
    ck_assert_uint_eq(lg.when[0], 100);
    ck_assert_uint_eq(evq_next(&q), EVQ_NEVER);
    ck_assert_int_eq(evq_run_due(&q, 1000), 0);              /* fires once */
}
END_TEST

START_TEST(order_by_time_then_arming)
{
    evq_arm(&q, &t[0], 300);                                  /* A */
    evq_arm(&q, &t[1], 200);                                  /* B */
    evq_arm(&q, &t[3], 200);                                  /* D, armed after B */
    evq_arm(&q, &t[2], 100);                                  /* C */
    ck_assert_uint_eq(evq_next(&q), 100);
    ck_assert_int_eq(evq_run_due(&q, 1000), 4);
    log_is("CBDA");
    ck_assert_uint_eq(lg.when[0], 100);
    ck_assert_uint_eq(lg.when[1], 200);
    ck_assert_uint_eq(lg.when[2], 200);
    ck_assert_uint_eq(lg.when[3], 300);
}
END_TEST

START_TEST(rearming_changes_tie_order)
{
    evq_arm(&q, &t[1], 50);                                   /* B */
    evq_arm(&q, &t[2], 50);                                   /* C */
    evq_arm(&q, &t[1], 50);                                   /* B again: now armed after C */
    ck_assert_int_eq(evq_run_due(&q, 50), 2);
    log_is("CB");
}
END_TEST

START_TEST(rearm_moves_later_and_earlier)
{
    evq_arm(&q, &t[0], 100);
    evq_arm(&q, &t[1], 200);
    evq_arm(&q, &t[0], 300);                                  /* the minimum moves away */
    ck_assert_uint_eq(evq_next(&q), 200);
    evq_arm(&q, &t[1], 10);
    ck_assert_uint_eq(evq_next(&q), 10);
    ck_assert_int_eq(evq_run_due(&q, 299), 1);
    log_is("B");
    ck_assert_uint_eq(evq_next(&q), 300);
}
END_TEST

START_TEST(cancel)
{
    evq_arm(&q, &t[0], 100);
    evq_arm(&q, &t[1], 150);
    evq_cancel(&q, &t[0]);
    ck_assert_uint_eq(t[0].when, EVQ_NEVER);
    ck_assert_uint_eq(evq_next(&q), 150);
    evq_cancel(&q, &t[2]);                                    /* idle: harmless */
    ck_assert_int_eq(evq_run_due(&q, 1000), 1);
    log_is("B");
    evq_cancel(&q, &t[1]);
    ck_assert_uint_eq(evq_next(&q), EVQ_NEVER);
}
END_TEST

START_TEST(rearm_from_callback)
{
    /* a periodic timer: every 10 cycles from 10; run_due(35) fires A at 10, 20,
     * 30 and B at 25, each callback seeing its own scheduled time */
    ctx[0].rearm_step = 10;
    ctx[0].rearm_left = 100;
    evq_arm(&q, &t[0], 10);
    evq_arm(&q, &t[1], 25);
    ck_assert_int_eq(evq_run_due(&q, 35), 4);
    log_is("AABA");
    ck_assert_uint_eq(lg.when[0], 10);
    ck_assert_uint_eq(lg.when[1], 20);
    ck_assert_uint_eq(lg.when[2], 25);
    ck_assert_uint_eq(lg.when[3], 30);
    ck_assert_uint_eq(evq_next(&q), 40);
    ck_assert_uint_eq(t[0].when, 40);
}
END_TEST

static int same_time_count;
static struct evq_timer *same_time_timer;
static void fire_rearm_now(void *c, uint64_t now)
{
    (void)c;
    if (++same_time_count < 3)
        evq_arm(&q, same_time_timer, now);
}

START_TEST(rearm_at_same_time_runs_again)
{
    same_time_count = 0;
    same_time_timer = &t[2];
    t[2].fn = fire_rearm_now;
    evq_arm(&q, &t[2], 7);
    evq_arm(&q, &t[3], 7);
    ck_assert_int_eq(evq_run_due(&q, 7), 4);                  /* C, D, C, C */
    ck_assert_int_eq(same_time_count, 3);
    log_is("D");
    ck_assert_uint_eq(evq_next(&q), EVQ_NEVER);
}
END_TEST

START_TEST(capacity_limit)
{
    static struct evq big;
    static struct evq_timer many[EVQ_MAX_TIMERS + 1];
    evq_init(&big);
    for (int i = 0; i < EVQ_MAX_TIMERS; i++)
        ck_assert_int_eq(evq_add_timer(&big, &many[i], "x", fire, &ctx[0]), 0);
    ck_assert_int_eq(evq_add_timer(&big, &many[EVQ_MAX_TIMERS], "x", fire, &ctx[0]), -1);
    ck_assert_int_eq(big.ntimers, EVQ_MAX_TIMERS);
    /* the full queue still works: the last timer added fires */
    evq_arm(&big, &many[EVQ_MAX_TIMERS - 1], 3);
    ctx[0].q = &big;
    ck_assert_int_eq(evq_run_due(&big, 3), 1);
    log_is("A");
}
END_TEST

Suite *evq_suite(void); /* called by tests/unit/runner.c */
Suite *evq_suite(void)
{
    Suite *s = suite_create("evq");
    TCase *tc = tcase_create("evq");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, idle_queue);
    tcase_add_test(tc, nothing_due_yet);
    tcase_add_test(tc, order_by_time_then_arming);
    tcase_add_test(tc, rearming_changes_tie_order);
    tcase_add_test(tc, rearm_moves_later_and_earlier);
    tcase_add_test(tc, cancel);
    tcase_add_test(tc, rearm_from_callback);
    tcase_add_test(tc, rearm_at_same_time_runs_again);
    tcase_add_test(tc, capacity_limit);
    suite_add_tcase(s, tc);
    return s;
}
