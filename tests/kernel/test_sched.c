/*
 * test_sched.c — the four schedulers (kernel/sched_*.c, tock-abi.md §8)
 * against a kernel whose processes are made runnable (Running) or idle
 * (Yielded with nothing queued) by hand.
 */
#include <check.h>
#include <string.h>

#include "kernel/kernel.h"

Suite *sched_suite(void);

static struct kernel k;
static struct scheduler s;
static struct sched_rr_state rr;
static struct sched_mlfq_state mq;
static bool irq_pending;

static bool has_irq(void) { return irq_pending; }
static const struct chip_ops chip = { .has_pending_interrupts = has_irq };

static struct process pcbs[KERNEL_MAX_PROCS];    /* the PCBs (in process RAM on the target) */

static void setup(void)
{
    memset(&k, 0, sizeof k);
    memset(pcbs, 0, sizeof pcbs);
    for (int i = 0; i < KERNEL_MAX_PROCS; i++)
        k.procs[i] = &pcbs[i];
    k.nprocs = 4;
    for (int i = 0; i < 4; i++)
        k.procs[i]->state = PROC_RUNNING;
    k.chip = &chip;
    irq_pending = false;
}

static void idle(int i) { k.procs[i]->state = PROC_YIELDED; task_queue_init(&k.procs[i]->tasks); }
static void ready(int i) { k.procs[i]->state = PROC_RUNNING; }

static struct sched_decision next(void) { return s.next(&s, &k); }

static void expect(int index, uint32_t slice)
{
    struct sched_decision d = next();
    ck_assert(d.run);
    ck_assert_int_eq(d.index, index);
    ck_assert_uint_eq(d.timeslice_us, slice);
}

START_TEST(rr_rotation_and_preemption)
{
    sched_round_robin_init(&s, &rr, 10000);
    ck_assert_str_eq(s.name, "round-robin");
    expect(0, 10000);
    s.result(&s, &k, SCHED_TIMESLICE_EXPIRED, 10000);
    expect(1, 10000);
    s.result(&s, &k, SCHED_KERNEL_PREEMPTION, 3000);
    expect(1, 7000);                                  /* continues with what is left */
    s.result(&s, &k, SCHED_KERNEL_PREEMPTION, 6000);
    expect(1, 1000);
    s.result(&s, &k, SCHED_KERNEL_PREEMPTION, 500);   /* 500 left: not re-entered */
    expect(2, 10000);
    s.result(&s, &k, SCHED_NO_WORK_LEFT, 100);        /* yielded: to the back */
    idle(3);
    expect(0, 10000);
    s.result(&s, &k, SCHED_STOPPED, 10);
    expect(1, 10000);
    s.result(&s, &k, SCHED_KERNEL_PREEMPTION, 100);
    idle(1);                                          /* no longer runnable: move on */
    expect(2, 10000);
    s.result(&s, &k, SCHED_STOPPED_FAULTED, 100);
    idle(0), idle(2);
    struct sched_decision d = next();
    ck_assert(!d.run);
    ready(2);
    expect(2, 10000);                                 /* the only one: again */
    s.result(&s, &k, SCHED_TIMESLICE_EXPIRED, 10000);
    expect(2, 10000);
}
END_TEST

START_TEST(rr_default_slice)
{
    sched_round_robin_init(&s, &rr, 0);
    expect(0, 10000);
    ck_assert_ptr_null(s.do_kernel_work_now);
    ck_assert_ptr_null(s.continue_process);
}
END_TEST

START_TEST(cooperative)
{
    sched_cooperative_init(&s, &rr);
    expect(0, 0);
    s.result(&s, &k, SCHED_KERNEL_PREEMPTION, 50000);
    expect(0, 0);
    s.result(&s, &k, SCHED_NO_WORK_LEFT, 10);
    expect(1, 0);
    s.result(&s, &k, SCHED_NO_WORK_LEFT, 10);
    idle(2);
    expect(3, 0);
    s.result(&s, &k, SCHED_NO_WORK_LEFT, 10);
    expect(0, 0);
}
END_TEST

START_TEST(priority)
{
    sched_priority_init(&s);
    idle(0);
    expect(1, 0);
    s.result(&s, &k, SCHED_NO_WORK_LEFT, 10);
    expect(1, 0);                                     /* still the highest-priority ready one */
    ck_assert(s.continue_process(&s, &k, 1));
    ready(0);
    ck_assert(!s.continue_process(&s, &k, 1));        /* a higher-priority process became ready */
    ck_assert(s.continue_process(&s, &k, 0));
    irq_pending = true;
    ck_assert(!s.continue_process(&s, &k, 0));
    irq_pending = false;
    k.deferred_pending = 1;
    ck_assert(!s.continue_process(&s, &k, 0));
    expect(0, 0);
    for (int i = 0; i < 4; i++)
        idle(i);
    ck_assert(!next().run);
}
END_TEST

START_TEST(mlfq_demote_and_boost)
{
    sched_mlfq_init(&s, &mq);
    k.nprocs = 2;
    expect(0, 10000);
    s.result(&s, &k, SCHED_TIMESLICE_EXPIRED, 10000);  /* 0 → level 1 */
    expect(1, 10000);
    s.result(&s, &k, SCHED_NO_WORK_LEFT, 4000);        /* 1 stays at level 0 */
    expect(1, 6000);                                  /* level 0 first; used time counts */
    s.result(&s, &k, SCHED_KERNEL_PREEMPTION, 1000);
    expect(1, 5000);                                  /* continues */
    s.result(&s, &k, SCHED_NO_WORK_LEFT, 4600);        /* 400 left: demoted */
    ck_assert_uint_eq(mq.queue[1], 1);
    expect(0, 20000);                                 /* both at level 1: round robin */
    s.result(&s, &k, SCHED_TIMESLICE_EXPIRED, 20000);  /* 0 → level 2 */
    expect(1, 20000);
    s.result(&s, &k, SCHED_TIMESLICE_EXPIRED, 20000);
    expect(0, 50000);
    s.result(&s, &k, SCHED_TIMESLICE_EXPIRED, 50000);  /* bottom: stays */
    ck_assert_uint_eq(mq.queue[0], 2);
    expect(1, 50000);
    for (int i = 0; i < 100; i++)
        s.result(&s, &k, SCHED_TIMESLICE_EXPIRED, 50000);  /* 5 s pass */
    expect(0, 10000);                                 /* everyone boosted to the top */
    ck_assert_uint_eq(mq.queue[1], 0);
    idle(0), idle(1);
    ck_assert(!next().run);
}
END_TEST

Suite *sched_suite(void)
{
    Suite *su = suite_create("sched");
    TCase *tc = tcase_create("schedulers");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, rr_rotation_and_preemption);
    tcase_add_test(tc, rr_default_slice);
    tcase_add_test(tc, cooperative);
    tcase_add_test(tc, priority);
    tcase_add_test(tc, mlfq_demote_and_boost);
    suite_add_tcase(su, tc);
    return su;
}
